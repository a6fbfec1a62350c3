/**
 * Which open threads of ours the run settles (issue 13): a thread whose code changed in what this run reviewed,
 * and which this run's review does not raise again, was fixed; one whose file is gone no longer applies. The
 * decision is conservative, since a thread wrongly marked fixed hides a real problem while one left open costs
 * a click:
 * - the code "changed" only when this run's model saw the change: on a full review, GitHub shows the thread
 *   outdated; on an incremental one, the thread became outdated since the last run recorded the threads, or its
 *   line is one the new commits added (context lines do not count: the model is told to report problems only in
 *   added lines, so it would not raise a problem it saw as context);
 * - the file must have been reviewed completely (every chunk with a piece of it answered): a failed chunk, a
 *   skipped file or a time budget that ran out says nothing about the finding;
 * - "raised again" is exactly what dedupe calls already posted (same path and fingerprint, lines within
 *   NEARBY_LINES), so a finding the run posts anew beside a thread it resolves, or keeps a thread for, is never
 *   both. Findings below the severity threshold count as raised: the threshold hides them, they still exist.
 * Pure.
 */
import { fingerprintFinding } from './fingerprint.js'
import { isNear, postedRange, rangeOf, type PostedFinding, type PostedThread } from './dedupe-existing.js'

/** Where a thread's file is at the head, as far as the pull request's diff says. */
export type HeadPath =
  | { readonly kind: 'present' }
  | { readonly kind: 'renamed'; readonly to: string }
  /** Not in the pull request's diff (added, then deleted or reverted), or deleted by it. */
  | { readonly kind: 'removed' }

/** What this run's review covered, as the engine knows it. */
export interface ReviewedChange {
  /** Only the new commits were reviewed (a push after a complete review), not the whole pull request. */
  readonly incremental: boolean
  /** New-file numbers of the lines the reviewed diff adds, by path. */
  readonly addedLines: ReadonlyMap<string, ReadonlySet<number>>
  readonly headPath: (path: string) => HeadPath
  /** Paths whose every piece was in a chunk the model answered. */
  readonly completelyReviewed: ReadonlySet<string>
}

/** A finding of this run, at the path and with the fingerprint placement gave it. */
export interface RaisedFinding {
  readonly path: string
  readonly fingerprint: string
  readonly startLine: number | null
  readonly line: number
}

/** A posted finding that starts a thread. */
export type ThreadFinding = PostedFinding & { readonly thread: PostedThread }

/** A thread this run settles: `fixed` (the code changed, the finding is gone) or `removed` (its file is gone). */
export interface FixedThread {
  readonly posted: ThreadFinding
  readonly kind: 'fixed' | 'removed'
}

function changedInReview(posted: ThreadFinding, change: ReviewedChange): boolean {
  const outdated = posted.line === null
  if (!change.incremental) return outdated
  if (outdated) return !posted.thread.outdatedEarlier
  return change.addedLines.get(posted.path)?.has(posted.line) ?? false
}

function raisedAgain(posted: ThreadFinding, raised: readonly RaisedFinding[], renamedTo?: string): boolean {
  if (renamedTo !== undefined) {
    // Lines of a moved file are not comparable; the same title in the new file is the same finding.
    if (posted.heading === undefined) return true
    const fingerprint = fingerprintFinding({ path: renamedTo, title: posted.heading.title, body: '', category: 'bug' })
    return raised.some((finding) => finding.path === renamedTo && finding.fingerprint === fingerprint)
  }
  const at = postedRange(posted)
  return raised.some((finding) => {
    if (finding.path !== posted.path || finding.fingerprint !== posted.fingerprint) return false
    const cited = rangeOf(finding.startLine, finding.line)
    return at === undefined || cited === undefined || isNear(at, cited)
  })
}

/** The open threads of `earlier` this run settles, in the order given. */
export function findFixedThreads(options: {
  readonly earlier: readonly PostedFinding[]
  readonly raised: readonly RaisedFinding[]
  readonly change: ReviewedChange
}): FixedThread[] {
  const { change } = options
  return options.earlier.flatMap((posted): FixedThread[] => {
    if (posted.thread === undefined || posted.thread.resolved) return []
    const thread: ThreadFinding = { ...posted, thread: posted.thread }
    if (!changedInReview(thread, change)) return []
    const where = change.headPath(posted.path)
    // An open thread on a file that is gone: GitHub shows it outdated, and there is no code left to fix.
    if (where.kind === 'removed') return posted.line === null ? [{ posted: thread, kind: 'removed' }] : []
    const target = where.kind === 'renamed' ? where.to : posted.path
    if (!change.completelyReviewed.has(target)) return []
    return raisedAgain(thread, options.raised, where.kind === 'renamed' ? where.to : undefined)
      ? []
      : [{ posted: thread, kind: 'fixed' }]
  })
}
