/**
 * What the summary comment shows, as one plain object, and the marker that identifies the comment. Kept apart
 * from the renderers so the sections and the scope blocks can share the shape without importing each other.
 */
import type { PlacementResult, RiskLevel, Severity, SkippedFile, TokenUsage } from '../types.js'
import type { ContextReport } from '../engine/context-report.js'
import type { CostSource, EscalationReport, ModelCostRow } from '../engine/cost.js'
import type { LowConfidenceFinding } from '../review/confidence-gate.js'
import type { MergedVerdict } from '../review/verdict.js'
import type { CostCeilingReport } from '../engine/ceiling-report.js'
import type { RulesReport } from '../engine/chunk-guidance.js'

/** First line of the summary comment; publish finds the comment to update by it. */
export const SUMMARY_MARKER = '<!-- codex-pr-review:summary -->'

export interface SummaryInput {
  readonly headSha: string
  readonly model: string
  readonly reviewedFiles: readonly string[]
  readonly skipped: readonly SkippedFile[]
  readonly chunks: {
    readonly total: number
    readonly failed: readonly { readonly id: number; readonly paths: readonly string[]; readonly error: string }[]
  }
  readonly placement: PlacementResult
  /** Inline comments GitHub accepted: `placement.inline` beyond this count are listed in the summary. */
  readonly inlinePosted: number
  readonly usage: TokenUsage
  readonly costUsd?: number
  readonly costIsBilled?: boolean
  /** Where `costUsd` comes from, when known more precisely than `costIsBilled` (e.g. partly billed). */
  readonly costSource?: CostSource
  /** Requests, tokens and dollars per model (summary-cost.ts). */
  readonly modelCosts?: readonly ModelCostRow[]
  /** What the escalation model did and cost, when it was called. */
  readonly escalation?: EscalationReport
  readonly overview?: string
  /** The highest risk level the model gave any reviewed chunk. */
  readonly risk?: RiskLevel
  /** Findings held back by `severity-threshold`: counted here, not listed. */
  readonly belowThreshold?: { readonly threshold: Severity; readonly counts: Readonly<Record<Severity, number>> }
  readonly notes?: readonly string[]
  /** Set when no chunk could be reviewed because of the model API setup: says so and names the input. */
  readonly nothingReviewed?: string
  /** The verdict over the change, merged from the chunks; the summary opens with it. */
  readonly verdict?: MergedVerdict
  /** Findings at or above the severity threshold but below `min-confidence`: listed, collapsed. */
  readonly lowConfidence?: { readonly minConfidence: number; readonly findings: readonly LowConfidenceFinding[] }
  /** How the diff was obtained, e.g. "unified diff" or "listFiles (diff too large)". */
  readonly diffSource?: string
  /** What this run reviewed of the PR (all, only the new commits, nothing), the state line and the history. */
  readonly scope?: ScopeSummaryParts
  /** The repository's rule files the review read and used (summary-rules.ts). */
  readonly rules?: RulesReport
  /** Spent against the cost ceiling and the chunks it kept out (summary-ceiling.ts); absent without a ceiling. */
  readonly costCeiling?: CostCeilingReport
  /** The context sent with the chunks and what was left out (absent with `context-tokens` 0). */
  readonly context?: ContextReport
}

/** The pre-rendered parts the summary comment carries for re-runs. */
export interface ScopeSummaryParts {
  /** The signed state line (review-state.ts); first line of the body after the summary marker. */
  readonly stateMarker: string
  readonly scopeBlock: string
  readonly historyBlock: string
  /** Earlier runs' summary-only findings still standing ('' when none); not in the already-reviewed body. */
  readonly carriedBlock?: string
}
