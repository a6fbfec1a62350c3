/**
 * The review threads in a review run (issue 13), in two steps around the review:
 * 1. before: read the threads, decide what each stands for (state/thread-status.ts), resolve the threads of
 *    findings people dismissed by reply or 👎, and give the engine its EarlierComments from the threads (open
 *    threads count for dedupe and the gate; resolved ones and dismissed fingerprints do not);
 * 2. after: reply "Fixed in `<sha>`" (or "No longer applies") in each thread the run fixed and resolve it, then
 *    count the threads for the summary and hand the state what it remembers.
 * Replying needs `pull-requests: write`; resolving also needs `contents: write` (GitHub gates resolveReviewThread
 * on it). A token without one gets one warning naming it, and the run goes on: nothing here ever fails a run.
 */
import type { Logger } from '../engine/logger.js'
import type { EarlierComments } from '../engine/place.js'
import { getErrorMessage } from '../errors.js'
import type { GitHubApi } from '../github/client.js'
import type { GitHubIdentity } from '../github/identity.js'
import { GitHubGraphQLError } from '../github/graphql.js'
import { replyToThread, resolveThread } from '../github/review-threads.js'
import { renderDismissedNote, renderFixedReply } from '../render/thread-reply.js'
import type { PostedFinding } from '../review/dedupe-existing.js'
import type { FixedThread } from '../review/fixed-threads.js'
import type { DismissedFinding, ReviewState } from '../state/review-state.js'
import {
  countStatuses,
  dismissedFingerprints,
  triageThreads,
  type ThreadStatus,
  type ThreadTracking,
  type ThreadTriage
} from '../state/thread-status.js'
import type { PullRequestInfo, Severity } from '../types.js'
import type { StandingFindings } from './earlier-reviews.js'
import { createWriterCheck, loadThreadView, type OurThread, type ThreadView } from './thread-view.js'

type ThreadWrite = 'reply' | 'resolve'

/**
 * Writes to threads. A refusal for want of permission stops that kind of write for the rest of the run, with one
 * warning that names the permission (GitHub's message carries the adapter's hint): replying needs
 * `pull-requests: write`, resolving also `contents: write`, so a token may be able to do one and not the other.
 */
class ThreadWriter {
  private readonly refused = new Set<ThreadWrite>()

  constructor(
    private readonly github: GitHubApi,
    private readonly logger: Logger
  ) {}

  /** Runs `write`; false when it failed (logged) or this kind of write was refused before. */
  private async attempt(kind: ThreadWrite, what: string, write: () => Promise<unknown>): Promise<boolean> {
    if (this.refused.has(kind)) return false
    try {
      await write()
      return true
    } catch (error: unknown) {
      if (error instanceof GitHubGraphQLError && error.kind === 'forbidden') {
        this.refused.add(kind)
        const left = kind === 'reply' ? 'replied to' : 'resolved'
        this.logger.warning(`${getErrorMessage(error)}. No other thread is ${left} this run.`)
      } else {
        this.logger.warning(`Could not ${what}: ${getErrorMessage(error)}`)
      }
      return false
    }
  }

  reply(threadId: string, body: string): Promise<boolean> {
    return this.attempt('reply', `reply in review thread ${threadId}`, () =>
      replyToThread(this.github, { threadId, body })
    )
  }

  resolve(threadId: string): Promise<boolean> {
    return this.attempt('resolve', `resolve review thread ${threadId}`, () => resolveThread(this.github, threadId))
  }
}

/** What the review run knows of the threads once they are read and the dismissals settled. */
export interface PreparedThreads {
  readonly view: ThreadView
  readonly status: ReadonlyMap<number, ThreadStatus>
  readonly dismissed: readonly DismissedFinding[]
  /** Fixed threads still to resolve (replied "Fixed in", but the token could not resolve them). */
  readonly pendingResolve: readonly number[]
  /** Fixed threads resolved while preparing (ones an earlier run could not resolve). */
  readonly resolvedNow: number
  /** The engine's port: earlier findings from the threads, with the dismissed fingerprints. */
  readonly earlier: EarlierComments
  readonly writer: ThreadWriter
}

/** An open or resolved thread of ours as the engine's posted finding. */
function toPostedFinding(
  ours: OurThread,
  context: { readonly previousOutdated: ReadonlySet<number> | undefined; readonly status: ThreadStatus | undefined }
): PostedFinding {
  const { thread, root } = ours
  return {
    commentId: root.databaseId,
    path: thread.path,
    line: thread.line,
    startLine: thread.startLine,
    originalLine: thread.originalLine,
    originalStartLine: null,
    fingerprint: ours.fingerprint,
    severity: ours.severity,
    ...(ours.heading === undefined ? {} : { heading: ours.heading }),
    authorLogin: root.authorLogin,
    authorIsBot: root.authorIsBot,
    thread: {
      id: thread.id,
      // A fixed thread the token could not resolve is as good as resolved: the finding is gone.
      resolved: ours.facts.isResolved || context.status === 'fixed',
      outdatedEarlier: context.previousOutdated?.has(root.databaseId) ?? true
    }
  }
}

/** Resolves the threads of findings just dismissed by reply or 👎 (the 👎 ones with a note); the list updated. */
async function resolveDismissed(
  triage: ThreadTriage,
  context: { readonly view: ThreadView; readonly writer: ThreadWriter; readonly logger: Logger }
): Promise<DismissedFinding[]> {
  const byRoot = new Map(context.view.ours.map((ours) => [ours.root.databaseId, ours]))
  const resolved = new Set<number>()
  for (const { root, reason } of triage.toResolve) {
    const ours = byRoot.get(root)
    if (ours === undefined) continue
    const noted = reason !== 'thumbs-down' || ours.facts.settled === 'dismissed'
    if (!noted && !(await context.writer.reply(ours.thread.id, renderDismissedNote()))) continue
    if (await context.writer.resolve(ours.thread.id)) resolved.add(root)
  }
  if (triage.toResolve.length > 0) {
    context.logger.info(
      `Resolved ${resolved.size} of ${triage.toResolve.length} thread(s) whose finding was dismissed.`
    )
  }
  if (triage.undone.length > 0) {
    context.logger.info(`${triage.undone.length} dismissal(s) undone: their threads were reopened.`)
  }
  return triage.dismissed.map((entry) => (resolved.has(entry.thread) ? { ...entry, resolved: true } : entry))
}

/** Tries again to resolve the fixed threads an earlier run could not; returns those still open. */
async function resolvePending(
  roots: readonly number[],
  context: { readonly view: ThreadView; readonly writer: ThreadWriter }
): Promise<number[]> {
  const byRoot = new Map(context.view.ours.map((ours) => [ours.root.databaseId, ours]))
  const still: number[] = []
  for (const root of roots) {
    const ours = byRoot.get(root)
    if (ours !== undefined && !(await context.writer.resolve(ours.thread.id))) still.push(root)
  }
  return still
}

/**
 * Reads the threads and settles dismissals. Undefined when the threads cannot be read (the caller then uses
 * the REST listing for dedupe, as before issue 13).
 */
export async function prepareReviewThreads(
  github: GitHubApi,
  options: {
    readonly pullRequest: PullRequestInfo
    /** The verified state of earlier runs, or null. */
    readonly previous: ReviewState | null
    /** `resolve-fixed`: the engine decides which threads the run fixed, and they are resolved. */
    readonly resolveFixed: boolean
    readonly logger: Logger
    /** Who the action posts as, when the run already asked (posting-identity.ts): asked once per run. */
    readonly identity?: GitHubIdentity
  }
): Promise<PreparedThreads | undefined> {
  const { pullRequest, previous, logger } = options
  const isWriter = createWriterCheck(github, { ref: pullRequest, log: logger.info })
  const view = await loadThreadView(github, {
    ref: pullRequest,
    isWriter,
    logger,
    ...(options.identity === undefined ? {} : { identity: options.identity })
  })
  if (view === undefined) return undefined
  const writer = new ThreadWriter(github, logger)
  const triage = triageThreads({
    threads: view.ours.map((ours) => ours.facts),
    previous: previous?.dismissed ?? [],
    pendingResolve: previous?.pendingResolve ?? []
  })
  const dismissed = await resolveDismissed(triage, { view, writer, logger })
  const pendingResolve = options.resolveFixed
    ? await resolvePending(triage.pendingResolve, { view, writer })
    : triage.pendingResolve
  const previousOutdated = previous?.outdatedThreads === undefined ? undefined : new Set(previous.outdatedThreads)
  const posted = view.ours.map((ours) =>
    toPostedFinding(ours, { previousOutdated, status: triage.status.get(ours.root.databaseId) })
  )
  const fingerprints = dismissedFingerprints(dismissed)
  return {
    view,
    status: triage.status,
    dismissed,
    pendingResolve,
    resolvedNow: triage.pendingResolve.length - pendingResolve.length,
    writer,
    earlier: {
      settlesThreads: options.resolveFixed,
      list: async () => ({
        posted,
        trustedLogins: new Set([view.identity.restLogin]),
        dismissed: fingerprints
      })
    }
  }
}

/**
 * Replies in and resolves each thread the run fixed (a reply already posted by an earlier attempt is not posted
 * again), then counts the threads. Returns what the summary and the state need.
 */
export async function finishReviewThreads(
  prepared: PreparedThreads,
  options: { readonly fixed: readonly FixedThread[]; readonly head: string; readonly logger: Logger }
): Promise<ThreadTracking> {
  const { view, writer } = prepared
  const byRoot = new Map(view.ours.map((ours) => [ours.root.databaseId, ours]))
  const status = new Map(prepared.status)
  const pendingResolve = [...prepared.pendingResolve]
  let resolvedNow = 0
  for (const { posted, kind } of options.fixed) {
    const ours = byRoot.get(posted.commentId)
    if (ours === undefined) continue
    const replied = ours.facts.settled === 'fixed' || ours.facts.settled === 'removed'
    if (!replied && !(await writer.reply(posted.thread.id, renderFixedReply({ kind, head: options.head })))) continue
    // Replied "Fixed in": fixed, resolved now or (without the permission) by a later run.
    status.set(posted.commentId, 'fixed')
    if (await writer.resolve(posted.thread.id)) resolvedNow += 1
    else pendingResolve.push(posted.commentId)
  }
  if (options.fixed.length > 0) {
    options.logger.info(`Resolved ${resolvedNow} of ${options.fixed.length} thread(s) the new commits fixed.`)
  }
  return trackThreads({ ...prepared, pendingResolve }, { status, resolvedNow: prepared.resolvedNow + resolvedNow })
}

/** The counts and what the state keeps, from the threads' statuses after the run. */
export function trackThreads(
  prepared: Pick<PreparedThreads, 'view' | 'dismissed' | 'status' | 'pendingResolve' | 'resolvedNow'>,
  after: { readonly status?: ReadonlyMap<number, ThreadStatus>; readonly resolvedNow?: number } = {}
): ThreadTracking {
  const status = after.status ?? prepared.status
  const counts = countStatuses(status)
  const outdatedThreads = prepared.view.ours
    .filter((ours) => status.get(ours.root.databaseId) === 'open' && ours.thread.isOutdated)
    .map((ours) => ours.root.databaseId)
  return {
    counts: {
      open: counts.open,
      fixed: counts.fixed,
      dismissed: counts.dismissed,
      answered: prepared.view.answered,
      resolvedNow: after.resolvedNow ?? prepared.resolvedNow
    },
    dismissed: prepared.dismissed,
    outdatedThreads,
    pendingResolve: prepared.pendingResolve
  }
}

/** The findings of earlier runs that still stand on the threads, for replaying the gate of a run that reviews nothing. */
export function standingFindings(prepared: PreparedThreads, threshold: Severity): StandingFindings {
  const dismissed = dismissedFingerprints(prepared.dismissed)
  const open = prepared.view.ours.filter(
    (ours) => prepared.status.get(ours.root.databaseId) === 'open' && !dismissed.has(ours.fingerprint)
  )
  return { open: open.map((ours) => ours.severity), dismissed, threshold }
}
