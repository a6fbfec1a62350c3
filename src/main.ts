import * as core from '@actions/core'
import { createCoreLogger } from './action/core-logger.js'
import { readActionEnvironment } from './action/environment.js'
import { publishResults } from './action/publish-results.js'
import { DEFAULTS, readConfig } from './config/config.js'
import { getErrorMessage } from './errors.js'
import { resolveReviewTarget } from './event.js'
import { createGitHubClient, type GitHubClientOptions } from './github/client.js'
import { fetchPullDiff } from './github/pull-diff.js'
import { fetchPullRequest } from './github/pull-request.js'
import { placeFindings } from './review/place-findings.js'
import { prepareReview, reviewedPathsOf } from './pipeline/prepare.js'
import { reviewAllChunks } from './pipeline/review-all-chunks.js'
import type { Logger } from './pipeline/logger.js'
import type { ModelTransport } from './model/responses-client.js'

const DEPENDABOT_LOGIN = 'dependabot[bot]'

/**
 * Transport settings a caller may tune. The runner uses the defaults; tests shorten waits (GitHub's
 * write spacing, retry back-off) so they run in milliseconds against the loopback servers.
 */
export interface RunOptions {
  readonly githubThrottle?: GitHubClientOptions['throttle']
  readonly modelTransport?: Pick<ModelTransport, 'sleep' | 'timeouts' | 'maxRetries' | 'random'>
}

/** The action's entry point: reads the event and inputs, reviews the pull request, posts one review. */
export async function run(options: RunOptions = {}): Promise<void> {
  const logger = createCoreLogger()
  try {
    await reviewFromEnvironment(logger, options)
  } catch (error: unknown) {
    core.setFailed(getErrorMessage(error))
  }
}

async function reviewFromEnvironment(logger: Logger, options: RunOptions): Promise<void> {
  const environment = readActionEnvironment()
  const apiKey = core.getInput('api-key')
  if (apiKey !== '') core.setSecret(apiKey)

  const pullNumberInput = core.getInput('pull-number').trim()
  const target = resolveReviewTarget({
    eventName: environment.eventName,
    payload: environment.payload,
    repository: environment.repository,
    ...(/^\d+$/.test(pullNumberInput) ? { pullNumberInput: Number(pullNumberInput) } : {})
  })
  if (target.kind === 'skip') {
    logger.notice(target.reason)
    return
  }
  if (apiKey.trim() === '' && target.fromFork) {
    logger.notice(
      'Skipped: this pull request comes from a fork, so GitHub gives the workflow a read-only token and no secrets ' +
        '(no api-key). Nothing was posted. To review fork PRs safely, have a maintainer run the workflow with ' +
        'workflow_dispatch and a pull-number, or use pull_request_target without checking out the PR code (see README).'
    )
    return
  }
  if (apiKey.trim() === '' && target.author === DEPENDABOT_LOGIN) {
    logger.notice(
      'Skipped: Dependabot pull requests only receive Dependabot secrets. Add the API key as a Dependabot secret ' +
        'with the same name to review them.'
    )
    return
  }

  const config = readConfig((name) => core.getInput(name))
  const github = createGitHubClient({
    token: config.githubToken,
    baseUrl: environment.apiUrl,
    log: logger.info,
    ...(options.githubThrottle === undefined ? {} : { throttle: options.githubThrottle })
  })

  const pullRequest = await logger.group('Pull request', async () => {
    const info = await fetchPullRequest(github, target.ref)
    logger.info(`#${info.pullNumber} "${info.title.slice(0, 80)}" at ${info.headSha.slice(0, 12)} by ${info.authorLogin}`)
    return info
  })
  if (pullRequest.draft) {
    logger.notice(`Skipped: #${pullRequest.pullNumber} is a draft; it is reviewed when marked ready for review.`)
    return
  }

  const source = await logger.group('Diff', async () => {
    const diff = await fetchPullDiff(github, target.ref, { maxFiles: DEFAULTS.maxFiles, log: logger.info })
    logger.info(
      diff.kind === 'unified'
        ? `Unified diff: ${diff.text.length} characters.`
        : `Diff too large for one request (${diff.fallbackReason}); listed ${diff.files.length} file(s) instead.`
    )
    return diff
  })

  const prepared = await logger.group('Plan', async () => {
    const result = prepareReview(source, {
      include: config.include,
      exclude: config.exclude,
      maxChunkTokens: config.maxChunkTokens,
      maxFiles: DEFAULTS.maxFiles,
      maxFileChangedLines: DEFAULTS.maxFileChangedLines
    })
    logger.info(
      `${result.files.length} file(s) changed: ${result.filter.reviewable.length} to review, ` +
        `${result.filter.skipped.length} skipped; ${result.plan.chunks.length} chunk(s), ${result.plan.totalTokens} diff tokens ` +
        `(budget ${config.maxChunkTokens} per chunk).`
    )
    for (const skipped of result.filter.skipped) logger.debug(`skip ${skipped.path}: ${skipped.detail}`)
    return result
  })

  const outcomes = await logger.group('Review', () =>
    reviewAllChunks({
      chunks: prepared.plan.chunks,
      transport: { ...options.modelTransport, baseUrl: config.baseUrl, apiKey: config.apiKey, log: logger.debug },
      model: config.model,
      reasoningEffort: config.reasoningEffort,
      maxOutputTokens: config.maxOutputTokens,
      concurrency: config.maxConcurrency,
      pullRequest: { title: pullRequest.title, body: pullRequest.body },
      logger
    })
  )

  const placement = await logger.group('Place findings', async () => {
    const findings = outcomes.flatMap((outcome) => (outcome.ok ? outcome.review.findings : []))
    const result = placeFindings(findings, {
      maxComments: config.maxComments,
      lineIndex: prepared.lineIndex,
      reviewedPaths: reviewedPathsOf(prepared.plan)
    })
    logger.info(
      `${findings.length} finding(s): ${result.inline.length} inline, ${result.summaryOnly.length} in the summary only, ` +
        `${result.duplicates} duplicate(s) dropped.`
    )
    return result
  })

  const published = await logger.group('Publish', () =>
    publishResults({ github, config, pullRequest, prepared, outcomes, placement, source, runKey: environment.runKey, logger })
  )

  const failedChunks = outcomes.filter((outcome) => !outcome.ok).length
  const problems = [
    ...(failedChunks > 0 ? [`${failedChunks} of ${outcomes.length} chunk(s) could not be reviewed`] : []),
    ...(published.reviewError === undefined ? [] : [`the review could not be posted: ${published.reviewError}`])
  ]
  if (problems.length > 0) {
    const message = `Review incomplete: ${problems.join('; ')}. See the summary comment.`
    if (config.failOnError) core.setFailed(message)
    else logger.warning(`${message} (fail-on-error is off, so the step passes.)`)
  }
}
