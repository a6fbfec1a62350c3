/**
 * The review's result for the CLI: findings placed on diff lines (what the action posts inline), findings
 * that could not be placed (with the reason), findings held back by --severity-threshold (counted, and kept
 * here as the action's JSON report keeps them), the severity counts and gate, skipped files, failed chunks,
 * and usage and cost per model. JSON prints this object as is; text and Markdown render it (review-render.ts).
 */
import type { SeverityGate } from '../config/review-settings.js'
import type { CostReport } from '../pipeline/cost-report.js'
import type { PreparedReview } from '../pipeline/prepare.js'
import type { CostSource, EscalationReport, ModelCostRow } from '../render/summary-cost.js'
import { countBySeverity, findMaxSeverity, type BelowThresholdFinding, type GateVerdict } from '../review/severity-gate.js'
import type { ChunkOutcome, ModelFinding, PlacementResult, Severity, SkipReason, TokenUsage } from '../types.js'
import { toFlagWording } from './usage-error.js'

export interface ReportedFinding {
  readonly path: string
  readonly line: number
  readonly startLine?: number
  readonly severity: Severity
  readonly category: string
  readonly title: string
  readonly body: string
  readonly suggestion?: string
  /** How the anchor differs from what the model cited. */
  readonly reanchored?: string
  readonly chunk: number
}

/** A finding not placed on a diff line: `line` and `startLine` are what the model cited. */
export interface UnplacedReportedFinding extends Omit<ReportedFinding, 'reanchored'> {
  readonly reason: string
}

export interface ReviewReport {
  readonly mode: 'review'
  readonly source: string
  readonly model: string
  /** False when a chunk failed: its files were not (fully) reviewed. */
  readonly complete: boolean
  readonly findings: {
    readonly placed: readonly ReportedFinding[]
    readonly unplaced: readonly UnplacedReportedFinding[]
    /** Below --severity-threshold: not shown in text or Markdown, counted there. */
    readonly belowThreshold: readonly (ReportedFinding | UnplacedReportedFinding)[]
    readonly duplicates: number
  }
  readonly severityThreshold: Severity
  readonly failOnSeverity: SeverityGate
  readonly maxSeverity: Severity | 'none'
  /** Over every finding of the run, shown or held back (duplicates excluded), as in the action's JSON report. */
  readonly counts: {
    readonly total: number
    readonly placed: number
    readonly unplaced: number
    readonly belowThreshold: number
    readonly bySeverity: Readonly<Record<Severity, number>>
    readonly belowThresholdBySeverity: Readonly<Record<Severity, number>>
  }
  /** --fail-on-severity: failed means the CLI exits 1; `reached` counts the findings at or above the level. */
  readonly gate: { readonly failed: boolean; readonly reached: number; readonly message?: string }
  readonly reviewedFiles: readonly string[]
  readonly skipped: readonly { readonly path: string; readonly reason: SkipReason; readonly detail: string }[]
  readonly chunks: number
  readonly failedChunks: readonly { readonly id: number; readonly paths: readonly string[]; readonly error: string }[]
  readonly usage: TokenUsage
  readonly costUsd?: number
  /** True when the provider billed every request; false for list (or --price-*) prices, or part of them. */
  readonly costIsBilled?: boolean
  readonly costSource: CostSource
  /** Requests, tokens and dollars per model, in order of first use. */
  readonly modelCosts: readonly ModelCostRow[]
  /** What the escalation model reviewed and verified; absent when it was not called. */
  readonly escalation?: EscalationReport
}

export interface ReviewReportOptions {
  readonly source: string
  readonly model: string
  readonly prepared: PreparedReview
  readonly outcomes: readonly ChunkOutcome[]
  /** What is shown: the placement after --severity-threshold. */
  readonly placement: PlacementResult
  readonly belowThreshold: readonly BelowThresholdFinding[]
  readonly severityThreshold: Severity
  readonly failOnSeverity: SeverityGate
  readonly gate: GateVerdict
  readonly cost: CostReport
  readonly escalation?: EscalationReport
}

/** Gathers the report from the stages' outputs. Pure. */
export function buildReviewReport(options: ReviewReportOptions): ReviewReport {
  const { placement, outcomes, prepared, cost } = options
  const failedChunks = outcomes.flatMap((outcome) =>
    outcome.ok
      ? []
      : [{ id: outcome.chunk.id, paths: [...new Set(outcome.chunk.pieces.map((piece) => piece.path))], error: toFlagWording(outcome.error) }]
  )
  const everyFinding = [...placement.inline, ...placement.summaryOnly, ...options.belowThreshold]
  return {
    mode: 'review',
    source: options.source,
    model: options.model,
    complete: failedChunks.length === 0,
    findings: {
      placed: placement.inline.map(reportPlaced),
      unplaced: placement.summaryOnly.map(reportUnplaced),
      belowThreshold: options.belowThreshold.map((entry) => ('path' in entry ? reportPlaced(entry) : reportUnplaced(entry))),
      duplicates: placement.duplicates
    },
    severityThreshold: options.severityThreshold,
    failOnSeverity: options.failOnSeverity,
    maxSeverity: findMaxSeverity(everyFinding),
    counts: {
      total: everyFinding.length,
      placed: placement.inline.length,
      unplaced: placement.summaryOnly.length,
      belowThreshold: options.belowThreshold.length,
      bySeverity: countBySeverity(everyFinding),
      belowThresholdBySeverity: countBySeverity(options.belowThreshold)
    },
    gate: {
      failed: options.gate.failed,
      reached: options.gate.reached.length,
      ...(options.gate.message === undefined ? {} : { message: options.gate.message })
    },
    reviewedFiles: [...new Set(prepared.plan.chunks.flatMap((chunk) => chunk.pieces.map((piece) => piece.path)))],
    skipped: prepared.filter.skipped.map(({ path, reason, detail }) => ({ path, reason, detail })),
    chunks: outcomes.length,
    failedChunks,
    usage: cost.usage,
    ...(cost.usd === undefined ? {} : { costUsd: cost.usd, costIsBilled: cost.source === 'billed' }),
    costSource: cost.source,
    modelCosts: cost.rows,
    ...(options.escalation === undefined ? {} : { escalation: options.escalation })
  }
}

function reportPlaced(placed: PlacementResult['inline'][number]): ReportedFinding {
  return {
    ...describeFinding(placed.finding, placed),
    ...(placed.reanchored === undefined ? {} : { reanchored: placed.reanchored })
  }
}

function reportUnplaced(entry: PlacementResult['summaryOnly'][number]): UnplacedReportedFinding {
  const { finding } = entry
  return { ...describeFinding(finding, { path: finding.path, line: finding.line, startLine: finding.startLine ?? undefined }), reason: entry.reason }
}

/** The finding at `at`: where it was placed, or where the model cited it. */
function describeFinding(
  finding: ModelFinding,
  at: { readonly path: string; readonly line: number; readonly startLine?: number | undefined }
): Omit<ReportedFinding, 'reanchored'> {
  return {
    path: at.path,
    line: at.line,
    ...(at.startLine === undefined || at.startLine === at.line ? {} : { startLine: at.startLine }),
    severity: finding.severity,
    category: finding.category,
    title: finding.title,
    body: finding.body,
    ...(finding.replacement === null ? {} : { suggestion: finding.replacement }),
    chunk: finding.chunkId
  }
}
