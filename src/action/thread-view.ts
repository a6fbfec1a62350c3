/**
 * The review threads of a pull request as the action needs them (issue 13): who the action posts as, which
 * threads it started (first comment by that identity AND carrying a finding marker: a thread anyone else started
 * is never read as ours, let alone touched), what its own replies in them say, and who resolved or 👎'd them.
 *
 * A person's resolve or 👎 dismisses a finding only when that person has write access to the repository (checked
 * like `/review`, once per login): anyone who can read a public repository can react, and the author of a pull
 * request from a fork can resolve its threads, and neither may wave a finding past `fail-on-severity`. A thread
 * resolved by someone without write access keeps its finding standing: it still counts for dedupe and the gate.
 */
import type { Logger } from '../engine/logger.js'
import { getErrorMessage } from '../errors.js'
import type { GitHubApi } from '../github/client.js'
import { findPostingIdentity, isAuthoredBy, type GitHubIdentity, type GitHubUserRef } from '../github/identity.js'
import { fetchRepoAccess, hasWriteAccess } from '../github/permission.js'
import { listThumbsDownBy } from '../github/reactions.js'
import { listReviewThreads, type ReviewThread, type ReviewThreadComment } from '../github/review-threads.js'
import { parseFindingMarker, parseInlineCommentHeading } from '../review/finding-marker.js'
import { parseAnswerMarker, parseSettledMarker } from '../review/thread-markers.js'
import type { ThreadFacts } from '../state/thread-status.js'
import type { Category, PullRequestRef, Severity } from '../types.js'

/** A thread the action started, with what the action and people did in it. */
export interface OurThread {
  readonly thread: ReviewThread
  readonly root: ReviewThreadComment
  readonly fingerprint: string
  readonly severity: Severity
  readonly heading?: { readonly category: Category; readonly title: string }
  readonly facts: ThreadFacts
  /** REST ids of the replies an answer of ours names. */
  readonly answeredReplies: ReadonlySet<number>
}

export interface ThreadView {
  readonly identity: GitHubIdentity
  /** Every thread of the pull request (for finding the one a reply belongs to). */
  readonly threads: readonly ReviewThread[]
  readonly ours: readonly OurThread[]
  /** Answers of ours on the pull request: what `max-replies` counts. */
  readonly answered: number
}

/** Whether a login may dismiss findings: write access, asked once per login. */
export type WriterCheck = (login: string) => Promise<boolean>

/** A WriterCheck through the collaborator permission API; a failed lookup counts as no access (and is logged). */
export function createWriterCheck(
  github: GitHubApi,
  options: { readonly ref: PullRequestRef; readonly log: (message: string) => void }
): WriterCheck {
  const known = new Map<string, Promise<boolean>>()
  return (login) => {
    const key = login.toLowerCase()
    let answer = known.get(key)
    if (answer === undefined) {
      answer = fetchRepoAccess(github, { owner: options.ref.owner, repo: options.ref.repo, username: login }).then(
        hasWriteAccess,
        (error: unknown) => {
          options.log(`Could not check the access of ${login}, so it counts as none: ${getErrorMessage(error)}`)
          return false
        }
      )
      known.set(key, answer)
    }
    return answer
  }
}

function authorOf(comment: ReviewThreadComment): GitHubUserRef {
  return { login: comment.authorLogin, id: comment.authorId ?? null, type: comment.authorIsBot ? 'Bot' : 'User' }
}

/** The comments of a thread the action wrote. */
export function ownComments(identity: GitHubIdentity, thread: ReviewThread): ReviewThreadComment[] {
  return thread.comments.filter((comment) => isAuthoredBy(identity, authorOf(comment)))
}

/** The thread's first comment and its marker, when the action started the thread. */
function startedByUs(identity: GitHubIdentity, thread: ReviewThread) {
  const root = thread.comments[0]
  if (root === undefined || !isAuthoredBy(identity, authorOf(root))) return undefined
  const marker = parseFindingMarker(root.body)
  return marker === undefined ? undefined : { root, marker }
}

async function trustedThumbsDown(
  github: GitHubApi,
  options: {
    readonly identity: GitHubIdentity
    readonly roots: readonly ReviewThreadComment[]
    readonly isWriter: WriterCheck
  }
): Promise<Set<string>> {
  const reacted = options.roots.filter((root) => root.thumbsDown > 0)
  if (reacted.length === 0) return new Set()
  const reactors = await listThumbsDownBy(
    github,
    reacted.map((root) => root.id)
  )
  const trusted = new Set<string>()
  for (const root of reacted) {
    for (const reactor of reactors.get(root.id) ?? []) {
      if (isAuthoredBy(options.identity, reactor) || !(await options.isWriter(reactor.login))) continue
      trusted.add(root.id)
      break
    }
  }
  return trusted
}

async function factsOf(
  started: { readonly root: ReviewThreadComment; readonly marker: { readonly fingerprint: string } },
  context: {
    readonly thread: ReviewThread
    readonly identity: GitHubIdentity
    readonly own: readonly ReviewThreadComment[]
    readonly thumbsDown: ReadonlySet<string>
    readonly isWriter: WriterCheck
  }
): Promise<ThreadFacts> {
  const { thread, identity, own } = context
  const resolver = thread.resolvedBy
  const byUs = resolver !== undefined && isAuthoredBy(identity, { login: resolver.login, id: resolver.id ?? null })
  const byWriter = resolver !== undefined && !byUs && (await context.isWriter(resolver.login))
  const settled = own.map((comment) => parseSettledMarker(comment.body)).find((kind) => kind !== undefined)
  return {
    root: started.root.databaseId,
    fingerprint: started.marker.fingerprint,
    // Resolved by someone who may not dismiss: the finding stands, as if the thread were open.
    isResolved: thread.isResolved && (byUs || byWriter),
    isOutdated: thread.isOutdated,
    resolvedByPerson: byWriter,
    ...(settled === undefined ? {} : { settled }),
    dismissedInReply: own.some((comment) => parseAnswerMarker(comment.body)?.dismissed === true),
    trustedThumbsDown: context.thumbsDown.has(started.root.id)
  }
}

/**
 * Reads the pull request's threads and classifies them. Undefined (after a warning saying what is lost) when
 * GitHub cannot say who the action is or will not list the threads, e.g. a GitHub Enterprise Server without
 * GraphQL: the run then dedupes through REST as before and leaves every thread alone.
 */
export async function loadThreadView(
  github: GitHubApi,
  options: {
    readonly ref: PullRequestRef
    readonly isWriter: WriterCheck
    readonly logger: Logger
    /** Who the action posts as, when the caller already asked. */
    readonly identity?: GitHubIdentity
  }
): Promise<ThreadView | undefined> {
  const { logger, isWriter } = options
  const lost = 'threads are not resolved, answered or remembered this run'
  const identity =
    options.identity === undefined
      ? await findPostingIdentity(github, { log: logger.info })
      : { known: true as const, identity: options.identity }
  if (!identity.known) {
    logger.warning(`Review threads: ${identity.reason}; ${lost}.`)
    return undefined
  }
  try {
    const threads = await listReviewThreads(github, options.ref, { log: logger.info })
    const started = threads.flatMap((thread) => {
      const ours = startedByUs(identity.identity, thread)
      return ours === undefined ? [] : [{ thread, ...ours }]
    })
    const thumbsDown = await trustedThumbsDown(github, {
      identity: identity.identity,
      roots: started.map((entry) => entry.root),
      isWriter
    })
    const ours: OurThread[] = []
    let answered = 0
    for (const entry of started) {
      const own = ownComments(identity.identity, entry.thread)
      const answers = own.flatMap((comment) => {
        const marker = parseAnswerMarker(comment.body)
        return marker === undefined ? [] : [marker.to]
      })
      answered += answers.length
      const heading = parseInlineCommentHeading(entry.root.body)
      ours.push({
        thread: entry.thread,
        root: entry.root,
        fingerprint: entry.marker.fingerprint,
        severity: entry.marker.severity,
        ...(heading === undefined ? {} : { heading }),
        facts: await factsOf(entry, { thread: entry.thread, identity: identity.identity, own, thumbsDown, isWriter }),
        answeredReplies: new Set(answers)
      })
    }
    logger.info(`${ours.length} of ${threads.length} review thread(s) were started by this action.`)
    return { identity: identity.identity, threads, ours, answered }
  } catch (error: unknown) {
    logger.warning(`Could not read the review threads (${getErrorMessage(error)}); ${lost}.`)
    return undefined
  }
}
