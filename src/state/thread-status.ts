/**
 * What each review thread of ours stands for at the start of a run, and what the signed state remembers of it
 * (issue 13). A finding is dismissed when a person resolved its thread without the code changing, when an answer
 * of ours accepted their reply as a dismissal, or when its comment got a 👎 from the pull request's author or
 * someone with write access. The action resolves the thread of a finding dismissed by reply or 👎, so that every
 * dismissal is a resolved thread and the one way to undo it is the same: reopen (unresolve) the thread. A reopened
 * thread is remembered as undone, so the reply or 👎 that caused the dismissal does not dismiss it again; resolving
 * it again is a fresh decision. Pure.
 */
import type { SettledKind } from '../review/thread-markers.js'
import { MAX_DISMISSED, type DismissalReason, type DismissedFinding } from './review-state.js'

/** One thread the action started (its first comment is ours and carries a finding marker), as GitHub shows it. */
export interface ThreadFacts {
  /** REST id of the thread's first comment. */
  readonly root: number
  readonly fingerprint: string
  readonly isResolved: boolean
  readonly isOutdated: boolean
  /** Resolved by someone other than the action. */
  readonly resolvedByPerson: boolean
  /** How a reply of ours settled the thread, when one did. */
  readonly settled?: SettledKind
  /** An answer of ours accepted a reply in the thread as a dismissal. */
  readonly dismissedInReply: boolean
  /** The first comment has a 👎 from the pull request's author or someone with write access (not the action). */
  readonly trustedThumbsDown: boolean
}

/**
 * - open: the finding stands (counts for dedupe and the gate)
 * - fixed: resolved by the action because its code changed and the finding was gone
 * - dismissed: a person dismissed the finding
 * - resolved: resolved otherwise (a person resolved it after its code changed): counts for nothing
 */
export type ThreadStatus = 'open' | 'fixed' | 'dismissed' | 'resolved'

export interface ThreadTriage {
  readonly status: ReadonlyMap<number, ThreadStatus>
  /** The dismissed list after this triage (entries for `toResolve` say `resolved: false` until that succeeds). */
  readonly dismissed: readonly DismissedFinding[]
  /** Open threads whose finding a person dismissed by reply or 👎: the action resolves them now. */
  readonly toResolve: readonly { readonly root: number; readonly reason: DismissalReason }[]
  /** Threads a person reopened, undoing their dismissal. */
  readonly undone: readonly number[]
  /** Threads the action replied "Fixed in" to but could not resolve last time (still open): it tries again. */
  readonly pendingResolve: readonly number[]
}

function newDismissal(facts: ThreadFacts): DismissalReason | undefined {
  if (facts.dismissedInReply) return 'reply'
  // Our own "dismissed" note answers a 👎 (which may have been taken back since: the note stands).
  return facts.trustedThumbsDown || facts.settled === 'dismissed' ? 'thumbs-down' : undefined
}

interface Decision {
  readonly status: ThreadStatus
  readonly entry?: DismissedFinding
  readonly resolve?: DismissalReason
  readonly undone?: boolean
}

function decideResolved(facts: ThreadFacts, entry: DismissedFinding | undefined): Decision {
  const active = entry !== undefined && entry.undone !== true
  if (facts.settled === 'fixed' || facts.settled === 'removed') return { status: 'fixed', ...(entry ? { entry } : {}) }
  if (active) return { status: 'dismissed', entry: { ...entry, resolved: true } }
  const base = { fingerprint: facts.fingerprint, thread: facts.root, resolved: true }
  // Resolved by a person while the code is as it was: they dismissed the finding (again, after an undo).
  if (facts.resolvedByPerson && !facts.isOutdated)
    return { status: 'dismissed', entry: { ...base, reason: 'resolved' } }
  const reason = entry === undefined ? newDismissal(facts) : undefined
  if (reason !== undefined && !facts.resolvedByPerson) return { status: 'dismissed', entry: { ...base, reason } }
  return { status: 'resolved', ...(entry ? { entry } : {}) }
}

function decideOpen(facts: ThreadFacts, entry: DismissedFinding | undefined, pending: boolean): Decision {
  // Replied "Fixed in" but not resolved (no permission then): fixed. Open without that record: a person reopened it.
  if (pending && (facts.settled === 'fixed' || facts.settled === 'removed')) return { status: 'fixed' }
  if (entry !== undefined && entry.undone !== true) {
    if (entry.resolved) {
      const { undone: _undone, ...rest } = entry
      return { status: 'open', entry: { ...rest, resolved: false, undone: true }, undone: true }
    }
    // Dismissed, but the action could not resolve the thread last time: it tries again.
    return { status: 'dismissed', entry, resolve: entry.reason }
  }
  if (entry !== undefined) return { status: 'open', entry }
  const reason = newDismissal(facts)
  if (reason === undefined) return { status: 'open' }
  return {
    status: 'dismissed',
    entry: { fingerprint: facts.fingerprint, thread: facts.root, reason, resolved: false },
    resolve: reason
  }
}

/** Keeps at most MAX_DISMISSED entries, giving up undone ones first, then the oldest. */
export function boundDismissed(entries: readonly DismissedFinding[]): DismissedFinding[] {
  const kept = [...entries]
  while (kept.length > MAX_DISMISSED) {
    const undone = kept.findIndex((entry) => entry.undone === true)
    kept.splice(undone === -1 ? 0 : undone, 1)
  }
  return kept
}

/**
 * Each thread's status and the next dismissed list. Entries of threads not listed (deleted, or started under
 * another identity) are kept as they are: their fingerprints stay dismissed.
 */
export function triageThreads(options: {
  readonly threads: readonly ThreadFacts[]
  readonly previous: readonly DismissedFinding[]
  /** Fixed threads the last run could not resolve (state `pendingResolve`). */
  readonly pendingResolve?: readonly number[]
}): ThreadTriage {
  const byThread = new Map(options.previous.map((entry) => [entry.thread, entry]))
  const pending = new Set(options.pendingResolve ?? [])
  const stillPending: number[] = []
  const status = new Map<number, ThreadStatus>()
  const decided = new Map<number, DismissedFinding>()
  const toResolve: { root: number; reason: DismissalReason }[] = []
  const undone: number[] = []
  for (const facts of options.threads) {
    const entry = byThread.get(facts.root)
    const decision = facts.isResolved ? decideResolved(facts, entry) : decideOpen(facts, entry, pending.has(facts.root))
    if (!facts.isResolved && decision.status === 'fixed') stillPending.push(facts.root)
    status.set(facts.root, decision.status)
    if (decision.entry !== undefined) decided.set(facts.root, decision.entry)
    if (decision.resolve !== undefined) toResolve.push({ root: facts.root, reason: decision.resolve })
    if (decision.undone === true) undone.push(facts.root)
  }
  const kept = options.previous.map((entry) => decided.get(entry.thread) ?? entry)
  const added = [...decided.values()].filter((entry) => !byThread.has(entry.thread))
  return { status, dismissed: boundDismissed([...kept, ...added]), toResolve, undone, pendingResolve: stillPending }
}

/** Fingerprints of the findings that stand dismissed. */
export function dismissedFingerprints(dismissed: readonly DismissedFinding[]): Set<string> {
  return new Set(dismissed.filter((entry) => entry.undone !== true).map((entry) => entry.fingerprint))
}

/** The threads of ours at the end of a run, for the summary. */
export interface ThreadCounts {
  /** Open threads of ours, the ones this run posted included. */
  readonly open: number
  /** Threads the action resolved as fixed (or no longer applying), this run's included. */
  readonly fixed: number
  readonly dismissed: number
  /** Replies the action answered on this pull request. */
  readonly answered: number
  /** Threads this run resolved as fixed or no longer applying: the `threads-resolved` output. */
  readonly resolvedNow: number
}

/** What a run that read the threads hands on: the counts, and what the state remembers. */
export interface ThreadTracking {
  readonly counts: ThreadCounts
  readonly dismissed: readonly DismissedFinding[]
  /** Open threads of ours GitHub shows outdated, for the next run's fixed decision. */
  readonly outdatedThreads: readonly number[]
  /** Fixed threads still to resolve (the token could not), for the next run. */
  readonly pendingResolve: readonly number[]
}

/** Counts each status of `status`. */
export function countStatuses(status: ReadonlyMap<number, ThreadStatus>): Record<ThreadStatus, number> {
  const counts: Record<ThreadStatus, number> = { open: 0, fixed: 0, dismissed: 0, resolved: 0 }
  for (const value of status.values()) counts[value] += 1
  return counts
}
