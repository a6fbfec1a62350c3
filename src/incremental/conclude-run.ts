/**
 * Turns what a run did into the next signed state and the summary's re-run parts. Pure: the caller
 * supplies the time and whether the run was complete.
 */
import { SEVERITIES, type PullRequestInfo, type Severity } from '../types.js'
import {
  renderHistoryBlock,
  renderScopeBlock,
  type ReportedScope,
  type ScopeSummaryParts
} from '../render/summary-scope.js'
import { encodeStateMarker, recordRun, type ReviewState, type RunKind, type StateSeal } from './review-state.js'

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
}

function maxSeverityOf(severities: readonly Severity[]): { maxSeverity?: Severity } {
  const most = SEVERITIES.find((severity) => severities.includes(severity))
  return most === undefined ? {} : { maxSeverity: most }
}

function kindOf(scope: ReportedScope): RunKind {
  return scope.kind === 'already-reviewed' ? 'skipped' : scope.kind
}

/** The next state (signed) and the summary's scope and history blocks. */
export function concludeRun(tracking: RunTracking, outcome: RunOutcome): ScopeSummaryParts & { readonly state: ReviewState } {
  const { scope, pullRequest } = tracking
  const state = recordRun(tracking.previous, {
    kind: kindOf(scope),
    head: pullRequest.headSha,
    baseRef: pullRequest.baseRef,
    baseSha: pullRequest.baseSha,
    config: tracking.config,
    complete: outcome.complete,
    findings: outcome.findings,
    at: outcome.at,
    ...(scope.kind === 'incremental' ? { from: scope.from } : {}),
    ...maxSeverityOf([...(outcome.severities ?? []), ...tracking.alreadyPosted.map((finding) => finding.severity)])
  })
  const scopeBlock = renderScopeBlock({
    scope,
    headSha: pullRequest.headSha,
    baseRef: pullRequest.baseRef,
    alreadyPosted: tracking.alreadyPosted.length,
    outsidePull: tracking.outsidePull,
    complete: outcome.complete,
    recordedHead: state.reviewed?.head ?? null
  })
  return {
    state,
    stateMarker: encodeStateMarker(state, tracking.seal),
    scopeBlock,
    historyBlock: renderHistoryBlock(state.history)
  }
}
