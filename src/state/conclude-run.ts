/**
 * Turns what a run did into the next state and what the summary says about the run's scope. Pure: the caller
 * supplies the time and whether the run was complete; render/summary-scope.ts turns the result into Markdown.
 */
import { SEVERITIES, type PullRequestInfo, type Severity } from '../types.js'
import { severityRank } from '../review/severity-gate.js'
import type { FullScope, IncrementalScope } from './plan-scope.js'
import {
  type CarriedFinding,
  MAX_CARRIED,
  recordRun,
  type ReviewState,
  type RunKind,
  type StateSeal,
  toCarriedFinding
} from './review-state.js'
import type { ThreadCounts, ThreadTracking } from './thread-status.js'

/** What a run reviewed of the pull request: everything (and why), only the new commits, or nothing. */
export type ReportedScope = FullScope | IncrementalScope | { readonly kind: 'already-reviewed'; readonly head: string }

/** What the summary says about the run's scope and what it means for the next run. */
export interface ScopeReport {
  readonly scope: ReportedScope
  readonly headSha: string
  readonly baseRef: string
  /** Findings dropped because an earlier run had already posted them. */
  readonly alreadyPosted: number
  /** Files changed since the last review that the pull request itself no longer changes. */
  readonly outsidePull: number
  /** False when chunks failed or the review was not posted: the head is not recorded as reviewed. */
  readonly complete: boolean
  /** The head recorded as reviewed after this run; null when none is. */
  readonly recordedHead: string | null
  /** The action's review threads after the run, when they could be read. */
  readonly threads?: ThreadCounts
}

/** The next state, how the run is described, and the earlier summary-only findings still standing. */
export interface ConcludedRun {
  readonly state: ReviewState
  /** Signs the state line (review-state.ts `encodeStateMarker`). */
  readonly seal: StateSeal
  readonly scope: ScopeReport
  /** Earlier runs' summary-only findings on files this run did not review again. */
  readonly carriedFromEarlier: readonly CarriedFinding[]
}

/** Everything known about the run's scope before publishing; `concludeRun` adds the outcome. */
export interface RunTracking {
  readonly scope: ReportedScope
  /** The verified state of earlier runs; null when there was none (or it did not verify). */
  readonly previous: ReviewState | null
  /** This run's settings fingerprint. */
  readonly config: Readonly<Record<string, string>>
  readonly seal: StateSeal
  readonly pullRequest: Pick<PullRequestInfo, 'headSha' | 'baseRef' | 'baseSha'>
  /** Findings dropped because an earlier run had posted them (they still count for the severity gate). */
  readonly alreadyPosted: readonly { readonly severity: Severity }[]
  /** Files of the compare diff the PR itself does not change. */
  readonly outsidePull: number
  /** The review threads after the run (issue 13); absent when they could not be read (the state keeps its own). */
  readonly threads?: ThreadTracking
}

export interface RunOutcome {
  /** Every planned chunk was reviewed and the review was posted. */
  readonly complete: boolean
  /** Findings reported by this run, after dedupe. */
  readonly findings: number
  /** ISO 8601 UTC. */
  readonly at: string
  /** Severities of the findings this run reported (posted, summary-only, below the threshold). */
  readonly severities?: readonly Severity[]
  /** This run's summary-only findings; undefined for a run that reviewed nothing (the previous ones stand). */
  readonly summaryOnly?: readonly CarriedFinding[]
  /** Files this run reviewed: an earlier summary-only finding in one of them is superseded. */
  readonly reviewedPaths?: ReadonlySet<string>
  /** Dollars this run spent, added to the pull request's total in the state; undefined for none or unknown. */
  readonly spentUsd?: number
}

/**
 * Summary-only findings standing after the run. A full review replaces them; an incremental one keeps
 * the earlier ones in files it did not review again and did not find again, so a push does not make
 * them disappear from the rewritten summary.
 */
function carrySummaryOnly(
  tracking: RunTracking,
  outcome: RunOutcome
): { readonly standing: readonly CarriedFinding[]; readonly fromEarlier: readonly CarriedFinding[] } | undefined {
  if (outcome.summaryOnly === undefined) return undefined
  // Paths and titles come from the model: one the state could not read back would void the whole state.
  const current = outcome.summaryOnly.flatMap((finding) => {
    const valid = toCarriedFinding(finding)
    return valid === undefined ? [] : [valid]
  })
  if (tracking.scope.kind !== 'incremental') return { standing: current.slice(0, MAX_CARRIED), fromEarlier: [] }
  const found = new Set(current.map((finding) => finding.fingerprint))
  const fromEarlier = (tracking.previous?.summaryOnly ?? []).filter(
    (finding) => !(outcome.reviewedPaths?.has(finding.path) ?? false) && !found.has(finding.fingerprint)
  )
  const standing = [...current, ...fromEarlier]
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity))
    .slice(0, MAX_CARRIED)
  const kept = new Set(standing)
  return { standing, fromEarlier: fromEarlier.filter((finding) => kept.has(finding)) }
}

function maxSeverityOf(severities: readonly Severity[]): { maxSeverity?: Severity } {
  const most = SEVERITIES.find((severity) => severities.includes(severity))
  return most === undefined ? {} : { maxSeverity: most }
}

function kindOf(scope: ReportedScope): RunKind {
  return scope.kind === 'already-reviewed' ? 'skipped' : scope.kind
}

/** The next state and the facts the summary's scope and history blocks show. */
export function concludeRun(tracking: RunTracking, outcome: RunOutcome): ConcludedRun {
  const { scope, pullRequest } = tracking
  const carried = carrySummaryOnly(tracking, outcome)
  const { threads } = tracking
  const state = recordRun(tracking.previous, {
    ...(carried === undefined ? {} : { summaryOnly: carried.standing }),
    ...(threads === undefined
      ? {}
      : {
          dismissed: threads.dismissed,
          outdatedThreads: threads.outdatedThreads,
          pendingResolve: threads.pendingResolve
        }),
    kind: kindOf(scope),
    head: pullRequest.headSha,
    baseRef: pullRequest.baseRef,
    baseSha: pullRequest.baseSha,
    config: tracking.config,
    complete: outcome.complete,
    findings: outcome.findings,
    at: outcome.at,
    ...(outcome.spentUsd === undefined ? {} : { spentUsd: outcome.spentUsd }),
    ...(scope.kind === 'incremental' ? { from: scope.from } : {}),
    ...maxSeverityOf([...(outcome.severities ?? []), ...tracking.alreadyPosted.map((finding) => finding.severity)])
  })
  return {
    state,
    seal: tracking.seal,
    scope: {
      scope,
      headSha: pullRequest.headSha,
      baseRef: pullRequest.baseRef,
      alreadyPosted: tracking.alreadyPosted.length,
      outsidePull: tracking.outsidePull,
      complete: outcome.complete,
      recordedHead: state.reviewed?.head ?? null,
      ...(threads === undefined ? {} : { threads: threads.counts })
    },
    carriedFromEarlier: carried?.fromEarlier ?? []
  }
}
