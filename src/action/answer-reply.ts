/**
 * A run started by a reply in a review thread (`pull_request_review_comment`, issue 13): answer it once, in
 * that thread, with the model. In order, each check cheaper than the next:
 * - the event is a new reply (not a new thread, an edit or a deletion), on a pull request whose workflow has the key;
 * - the reply is not the action's own (a token other than GITHUB_TOKEN does trigger workflows with its comments);
 * - the person has write access (as for `/review`: on a public repository anybody can reply, and an answer
 *   spends the repository's model credits);
 * - the thread is one the action started (first comment by its identity AND carrying a finding marker);
 * - no answer of ours names this reply yet (a re-run adds none), and fewer than `max-replies` answers exist on the
 *   pull request.
 * Then one model request (model/thread-answer.ts), the answer posted in the thread, and, when the model accepted
 * the reply as a dismissal, the thread resolved: the next review run records the dismissal in its state.
 * Nothing is read or written outside this pull request; a token that may not reply (`pull-requests: write`) or
 * resolve (`contents: write` as well) gets a warning naming the permission.
 */
import * as core from '@actions/core'
import { readConfig } from '../config/config.js'
import { buildCostReport, formatCostOutput } from '../engine/cost.js'
import type { Logger } from '../engine/logger.js'
import { getErrorMessage } from '../errors.js'
import { createGitHubClient, type GitHubApi, type GitHubClientOptions } from '../github/client.js'
import { readFilesAtCommit } from '../github/file-contents.js'
import { GitHubGraphQLError } from '../github/graphql.js'
import { findPostingIdentity, isAuthoredBy } from '../github/identity.js'
import { fetchPullRequest } from '../github/pull-request.js'
import { replyToThread, resolveThread } from '../github/review-threads.js'
import { planModels } from '../model/model-plan.js'
import { createModelDispatcher } from '../model/responses-client.js'
import { answerThread, type AnswerOutcome } from '../model/thread-answer.js'
import { renderAnswerReply } from '../render/thread-reply.js'
import type { TransportTuning } from '../engine/run-review.js'
import type { PullRequestInfo } from '../types.js'
import type { ActionEnvironment } from './environment.js'
import { resolveReplyEvent, type ReplyTarget } from './event-review-comment.js'
import { setReplyOutputs } from './outputs.js'
import { loadReviewConfig } from './review-config.js'
import { conversationOf, threadCode } from './thread-context.js'
import { createWriterCheck, loadThreadView, type OurThread } from './thread-view.js'

export interface AnswerReplyOptions {
  readonly environment: ActionEnvironment
  readonly logger: Logger
  readonly throttle?: GitHubClientOptions['throttle']
  readonly modelTransport?: TransportTuning
}

/** What was decided and done, for the outputs. */
interface Answered {
  readonly outcome: AnswerOutcome
  readonly resolved: boolean
}

/** Answers the reply the event carries, or says (as a notice) why not. Throws only for a wrong input. */
export async function answerReplyEvent(options: AnswerReplyOptions): Promise<void> {
  const { environment, logger } = options
  const target = resolveReplyEvent({
    eventName: environment.eventName,
    payload: environment.payload,
    repository: environment.repository
  })
  if (target.kind === 'skip') return logger.notice(target.reason)
  const apiKey = core.getInput('api-key')
  if (apiKey !== '') core.setSecret(apiKey)
  if (apiKey.trim() === '' && target.fromFork) {
    return logger.notice(
      'Skipped: this pull request comes from a fork, so GitHub gives the workflow no secrets (no api-key) and a ' +
        'read-only token. Replies in its review threads are not answered.'
    )
  }
  const inputs = readConfig((name) => core.getInput(name))
  if (inputs.maxReplies === 0) return logger.notice('Ignored: max-replies is 0, so replies are not answered.')
  const github = createGitHubClient({
    token: inputs.githubToken,
    baseUrl: environment.apiUrl,
    log: logger.info,
    ...(options.throttle === undefined ? {} : { throttle: options.throttle })
  })
  const answered = await logger.group('Reply', () => answerIfAllowed(github, { ...options, target, inputs }))
  if (answered === undefined) return
  const cost = buildCostReport([
    {
      model: inputs.model,
      usage: answered.outcome.usage,
      attempts: answered.outcome.attempts,
      ...(answered.outcome.billedUsd === undefined ? {} : { billedUsd: answered.outcome.billedUsd }),
      escalation: false
    }
  ])
  setReplyOutputs({
    usage: cost.usage,
    cost: formatCostOutput({ costSource: cost.source, ...(cost.usd === undefined ? {} : { costUsd: cost.usd }) }),
    threadsResolved: answered.resolved ? 1 : 0
  })
  if (!answered.outcome.ok) {
    const message = `Could not answer the reply: ${answered.outcome.error}`
    if (inputs.failOnError) core.setFailed(message)
    else logger.warning(`${message} (fail-on-error is off, so the step passes.)`)
  }
}

async function answerIfAllowed(
  github: GitHubApi,
  options: AnswerReplyOptions & { readonly target: ReplyTarget; readonly inputs: ReturnType<typeof readConfig> }
): Promise<Answered | undefined> {
  const { target, inputs, logger } = options
  const { reply } = target
  const identity = await findPostingIdentity(github, { log: logger.info })
  if (!identity.known) {
    logger.warning(`Replies are not answered: ${identity.reason}.`)
    return undefined
  }
  if (isAuthoredBy(identity.identity, reply.author)) {
    logger.notice('Ignored: the reply is the action’s own comment.')
    return undefined
  }
  const isWriter = createWriterCheck(github, { ref: target.ref, log: logger.info })
  if (!(await isWriter(reply.author.login))) {
    logger.notice(
      `Ignored: ${reply.author.login} has no write access. Only collaborators with write, maintain or admin access ` +
        'get answers (an answer spends model credits). Nothing was posted.'
    )
    return undefined
  }
  const view = await loadThreadView(github, { ref: target.ref, isWriter, logger, identity: identity.identity })
  if (view === undefined) return undefined
  const ours = view.ours.find((candidate) =>
    candidate.thread.comments.some(
      (comment) => comment.databaseId === reply.inReplyToId || comment.databaseId === reply.id
    )
  )
  if (ours === undefined) {
    logger.notice('Ignored: the reply is not in a review thread this action started.')
    return undefined
  }
  if (ours.answeredReplies.has(reply.id)) {
    logger.notice(`Ignored: reply ${reply.id} was answered already.`)
    return undefined
  }
  if (view.answered >= inputs.maxReplies) {
    logger.notice(
      `Ignored: this action has answered ${view.answered} replies on this pull request, the most max-replies ` +
        `(${inputs.maxReplies}) allows.`
    )
    return undefined
  }
  const pullRequest = await fetchPullRequest(github, target.ref)
  return answerInThread(github, { ...options, ours, pullRequest, identity: identity.identity })
}

async function readThreadFile(
  github: GitHubApi,
  options: { readonly pullRequest: PullRequestInfo; readonly path: string }
) {
  const { pullRequest, path } = options
  try {
    const files = await readFilesAtCommit(github, {
      owner: pullRequest.owner,
      repo: pullRequest.repo,
      sha: pullRequest.headSha,
      paths: [path]
    })
    const read = files.files.get(path)
    return typeof read === 'string' ? read : undefined
  } catch {
    // The diff hunk from the event stands in.
    return undefined
  }
}

async function answerInThread(
  github: GitHubApi,
  options: AnswerReplyOptions & {
    readonly target: ReplyTarget
    readonly inputs: ReturnType<typeof readConfig>
    readonly ours: OurThread
    readonly pullRequest: PullRequestInfo
    readonly identity: Parameters<typeof conversationOf>[0]['identity']
  }
): Promise<Answered> {
  const { target, ours, pullRequest, logger } = options
  const { thread } = ours
  const { config } = await loadReviewConfig(github, {
    inputs: options.inputs,
    pullRequest,
    fullReviewRequested: false,
    logger
  })
  const plan = planModels(config)
  for (const notice of plan.notices) logger.notice(notice)
  const fileText = thread.isOutdated ? undefined : await readThreadFile(github, { pullRequest, path: thread.path })
  const code = threadCode({ thread, ...(fileText === undefined ? {} : { fileText }), diffHunk: target.reply.diffHunk })
  const dispatcher = createModelDispatcher(options.modelTransport?.timeouts)
  let outcome: AnswerOutcome
  try {
    outcome = await answerThread({
      transport: {
        ...options.modelTransport,
        dispatcher,
        baseUrl: config.baseUrl,
        apiKey: config.apiKey,
        log: logger.debug
      },
      endpoint: plan.primary.endpoint,
      maxOutputTokensCeiling: plan.primary.outputCeiling,
      requestId: `codex-pr-review-reply-${target.reply.id}`,
      model: config.model,
      reasoningEffort: config.reasoningEffort,
      maxOutputTokens: config.maxOutputTokens,
      language: config.language,
      pullRequest: { title: pullRequest.title, body: pullRequest.body },
      finding: {
        path: thread.path,
        line: thread.line ?? thread.originalLine,
        startLine: thread.startLine,
        severity: ours.severity,
        category: ours.heading?.category ?? 'bug',
        title: ours.heading?.title ?? ''
      },
      code,
      conversation: conversationOf({
        thread,
        identity: options.identity,
        reply: { id: target.reply.id, body: target.reply.body, login: target.reply.author.login }
      })
    })
  } finally {
    await dispatcher.close()
  }
  if (!outcome.ok) return { outcome, resolved: false }
  const { answer } = outcome
  const body = renderAnswerReply({
    replyId: target.reply.id,
    answer: answer.answer,
    replacement: answer.replacement,
    suggestable: code.form === 'lines' && !code.outdated,
    dismissed: answer.acceptDismissal
  })
  logger.info(
    `Answering reply ${target.reply.id} (stance ${answer.stance}; dismissal ${answer.dismissal}, ` +
      `${answer.acceptDismissal ? 'accepted' : 'not accepted'}).`
  )
  if (!(await writeToThread(logger, 'post the answer', () => replyToThread(github, { threadId: thread.id, body })))) {
    return { outcome, resolved: false }
  }
  const resolve = answer.acceptDismissal && !thread.isResolved
  const resolved =
    resolve && (await writeToThread(logger, 'resolve the thread', () => resolveThread(github, thread.id)))
  return { outcome, resolved }
}

/**
 * Runs a write to the thread; false, after a warning, when it fails. A refusal for want of permission carries the
 * adapter's hint naming it (`pull-requests: write` to reply; `contents: write` too to resolve).
 */
async function writeToThread(logger: Logger, what: string, write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write()
    return true
  } catch (error: unknown) {
    const forbidden = error instanceof GitHubGraphQLError && error.kind === 'forbidden'
    logger.warning(forbidden ? getErrorMessage(error) : `Could not ${what}: ${getErrorMessage(error)}`)
    return false
  }
}
