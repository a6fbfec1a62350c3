/**
 * The review's result for the CLI: findings placed on diff lines (what the action posts inline), findings
 * that could not be placed (with the reason), findings held back by --severity-threshold (counted, and kept
 * here as the action's JSON report keeps them), the severity counts and gate, skipped files, failed chunks,
 * and usage and cost per model. JSON prints this object as is; text and Markdown render it (review-render.ts).
 */
import type { SeverityGate } from '../config/review-settings.js'
import type { CostCeilingReport } from '../engine/ceiling-report.js'
import type { RulesReport } from '../engine/chunk-guidance.js'
import type { ContextReport } from '../engine/context-report.js'
import type { CostSource, EscalationReport, ModelCostRow } from '../engine/cost.js'
import type { RunResult } from '../engine/run-result.js'
import { countBySeverity } from '../review/severity-gate.js'
import type { MergedVerdict } from '../review/verdict.js'
import type { ModelFinding, PlacementResult, Severity, SkipReason, TokenUsage } from '../types.js'
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
  /** The model's confidence (0–1) that it is a real problem; absent when the answer gave none. */
  readonly confidence?: number
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
    /** At or above the severity threshold but below --min-confidence: listed apart, not counted by the gate. */
    readonly lowConfidence: readonly (ReportedFinding | UnplacedReportedFinding)[]
    readonly duplicates: number
  }
  readonly minConfidence: number
  /** The model's verdict over the change (advice): any part judged incorrect wins. */
  readonly verdict: MergedVerdict
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
  /** Set when no chunk could be reviewed because of the model API setup, naming the flag or variable at fault. */
  readonly nothingReviewed?: string
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
  /** Spent against --max-cost-usd and the chunks it kept out; absent without a ceiling. */
  readonly costCeiling?: CostCeilingReport
  /** The rule files read at the base commit, used, and left out by --rules-max-tokens; absent without any. */
  readonly rules?: RulesReport
  /** Context tokens per chunk, where files came from and what context was left out; absent with context off. */
  readonly context?: ContextReport
}

/** The CLI's JSON view of a run result. Pure: a projection, nothing is computed again. */
export function toReviewReport(result: RunResult, options: { readonly source: string }): ReviewReport {
  const { findings, coverage, cost, settings } = result
  const { shown, belowThreshold } = findings
  const everyFinding = [...shown.inline, ...shown.summaryOnly, ...belowThreshold]
  const { verdict } = result.gate
  return {
    mode: 'review',
    source: options.source,
    model: result.model,
    complete: coverage.complete,
    findings: {
      placed: shown.inline.map(reportPlaced),
      unplaced: shown.summaryOnly.map(reportUnplaced),
      belowThreshold: belowThreshold.map((entry) => ('path' in entry ? reportPlaced(entry) : reportUnplaced(entry))),
      lowConfidence: findings.lowConfidence.map((entry) =>
        'path' in entry ? reportPlaced(entry) : reportUnplaced(entry)
      ),
      duplicates: shown.duplicates
    },
    minConfidence: settings.minConfidence,
    verdict: result.verdict,
    severityThreshold: settings.severityThreshold,
    failOnSeverity: settings.failOnSeverity,
    maxSeverity: result.maxSeverity,
    counts: {
      total: everyFinding.length,
      placed: shown.inline.length,
      unplaced: shown.summaryOnly.length,
      belowThreshold: belowThreshold.length,
      bySeverity: countBySeverity(everyFinding),
      belowThresholdBySeverity: countBySeverity(belowThreshold)
    },
    gate: {
      failed: verdict.failed,
      reached: verdict.reached.length,
      ...(verdict.message === undefined ? {} : { message: verdict.message })
    },
    reviewedFiles: coverage.reviewedFiles,
    skipped: coverage.skipped.map(({ path, reason, detail }) => ({ path, reason, detail })),
    chunks: coverage.chunks,
    ...(coverage.nothingReviewed === undefined
      ? {}
      : { nothingReviewed: toFlagWording(coverage.nothingReviewed.message) }),
    failedChunks: coverage.failedChunks.map((chunk) => ({ ...chunk, error: toFlagWording(chunk.error) })),
    usage: cost.usage,
    ...(cost.usd === undefined ? {} : { costUsd: cost.usd, costIsBilled: cost.source === 'billed' }),
    costSource: cost.source,
    modelCosts: cost.rows,
    ...(result.escalation === undefined ? {} : { escalation: result.escalation }),
    ...(result.costCeiling === undefined ? {} : { costCeiling: result.costCeiling }),
    ...(result.rules === undefined ? {} : { rules: result.rules }),
    ...(result.context === undefined ? {} : { context: result.context })
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
  return {
    ...describeFinding(finding, { path: finding.path, line: finding.line, startLine: finding.startLine ?? undefined }),
    reason: entry.reason
  }
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
    chunk: finding.chunkId,
    ...(finding.confidence === undefined ? {} : { confidence: finding.confidence })
  }
}
