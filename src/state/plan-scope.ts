/**
 * Decides how much of a pull request this run reviews, from what earlier runs recorded: nothing (the head
 * was already reviewed under the same settings), only what is new since the last reviewed head, or
 * everything, with the reason. Pure: the compare call is the caller's, its answer comes back through
 * `decideAfterCompare`.
 */
import type { Comparison } from '../github/compare.js'
import { changedSettings } from './config-fingerprint.js'
import type { StateLookup } from './review-state.js'

export type FullReviewReason =
  /** No earlier run reviewed this PR completely. */
  | 'first-review'
  /** A record exists but was not written by this workflow's key, or was edited. */
  | 'state-unverified'
  /** The `full-review` input. */
  | 'forced'
  /** The PR now targets another branch. */
  | 'base-changed'
  | 'config-changed'
  /** The last reviewed head is not an ancestor of the new head (diverged, no common ancestor, gone). */
  | 'force-push'
  /** The new head is an ancestor of the last reviewed one: the branch was reset to an earlier commit. */
  | 'branch-reset'
  /** GitHub would not produce the compare diff (406: over 300 files or 20,000 lines). */
  | 'compare-too-large'
  | 'compare-failed'

export interface FullScope {
  readonly kind: 'full'
  readonly reason: FullReviewReason
  /** The last completely reviewed head, when there is one. */
  readonly previousHead?: string
  readonly previousBaseRef?: string
  /** For config-changed: the settings that differ. */
  readonly settings?: readonly string[]
  /** GitHub's message, for compare failures. */
  readonly message?: string
}

export interface IncrementalScope {
  readonly kind: 'incremental'
  /** The last completely reviewed head: the review covers `from...head`. */
  readonly from: string
  /** Commits between `from` and the head, as GitHub counted them. */
  readonly commits: number
}

export type ScopeDecision =
  | FullScope
  | { readonly kind: 'already-reviewed'; readonly head: string }
  | { readonly kind: 'compare'; readonly from: string }

export interface CurrentPull {
  readonly headSha: string
  readonly baseRef: string
  readonly baseSha: string
  /** This run's settings fingerprint (config-fingerprint.ts). */
  readonly config: Readonly<Record<string, string>>
}

export interface PlanScopeInput {
  readonly previous: StateLookup
  readonly current: CurrentPull
  /** The `full-review` input. */
  readonly forceFull: boolean
}

/**
 * First decision, before any API call: full (and why), already reviewed, or compare the last reviewed
 * head with the new one. A moved base SHA alone does not force a full review: GitHub moves `base.sha`
 * whenever the base branch moves on, and the compare of two PR heads is still exactly what is new; a
 * retargeted PR (another base branch) does.
 */
export function planScope(input: PlanScopeInput): ScopeDecision {
  const { previous, current } = input
  if (!previous.found) {
    return { kind: 'full', reason: previous.reason === 'missing' ? 'first-review' : 'state-unverified' }
  }
  const reviewed = previous.state.reviewed
  if (reviewed === null) return { kind: 'full', reason: 'first-review' }
  const earlier = { previousHead: reviewed.head, previousBaseRef: reviewed.baseRef }
  if (input.forceFull) return { kind: 'full', reason: 'forced', ...earlier }
  if (reviewed.baseRef !== current.baseRef) return { kind: 'full', reason: 'base-changed', ...earlier }
  const settings = changedSettings(reviewed.config, current.config)
  if (settings.length > 0) return { kind: 'full', reason: 'config-changed', ...earlier, settings }
  if (reviewed.head === current.headSha) return { kind: 'already-reviewed', head: current.headSha }
  return { kind: 'compare', from: reviewed.head }
}

/**
 * Second decision: only `ahead` (the last reviewed head is an ancestor of the new one) makes an
 * incremental review trustworthy. `identical` is an empty increment. Everything else is a full review.
 */
export function decideAfterCompare(options: {
  readonly from: string
  readonly comparison: Comparison
}): IncrementalScope | FullScope {
  const { from, comparison } = options
  const previousHead = { previousHead: from }
  switch (comparison.kind) {
    case 'compared':
      if (comparison.status === 'ahead' || comparison.status === 'identical') {
        return { kind: 'incremental', from, commits: comparison.aheadBy }
      }
      return { kind: 'full', reason: comparison.status === 'behind' ? 'branch-reset' : 'force-push', ...previousHead }
    case 'no-common-ancestor':
    case 'not-found':
      return { kind: 'full', reason: 'force-push', ...previousHead, message: comparison.message }
    case 'too-large':
      return { kind: 'full', reason: 'compare-too-large', ...previousHead, message: comparison.message }
    case 'failed':
      return { kind: 'full', reason: 'compare-failed', ...previousHead, message: comparison.message }
  }
}
