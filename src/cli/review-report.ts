/**
 * The review's result for the CLI: findings placed on diff lines (what the action posts inline), findings
 * that could not be placed (with the reason), skipped files, failed chunks, usage and cost. JSON prints this
 * object as is; text and Markdown render it (review-render.ts).
 */
import type { PreparedReview } from '../pipeline/prepare.js'
import { estimateCost as estimateRunCost, totalUsage } from '../pipeline/usage.js'
import type { ChunkOutcome, ModelFinding, PlacementResult, Severity, SkipReason, TokenUsage } from '../types.js'
import type { Prices } from './estimate.js'
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
    readonly duplicates: number
  }
  readonly reviewedFiles: readonly string[]
  readonly skipped: readonly { readonly path: string; readonly reason: SkipReason; readonly detail: string }[]
  readonly chunks: number
  readonly failedChunks: readonly { readonly id: number; readonly paths: readonly string[]; readonly error: string }[]
  readonly usage: TokenUsage
  readonly costUsd?: number
  /** True when the provider billed the figure; false for list (or --price-*) prices. */
  readonly costIsBilled?: boolean
}

export interface ReviewReportOptions {
  readonly source: string
  readonly model: string
  readonly prepared: PreparedReview
  readonly outcomes: readonly ChunkOutcome[]
  readonly placement: PlacementResult
  /** Prices to use when the provider does not bill per request; undefined = none known. */
  readonly prices?: Prices
}

/** Gathers the report from the stages' outputs. Pure. */
export function buildReviewReport(options: ReviewReportOptions): ReviewReport {
  const { placement, outcomes, prepared } = options
  const usage = totalUsage(outcomes)
  const cost = priceRun(options, usage)
  const failedChunks = outcomes.flatMap((outcome) =>
    outcome.ok
      ? []
      : [{ id: outcome.chunk.id, paths: [...new Set(outcome.chunk.pieces.map((piece) => piece.path))], error: toFlagWording(outcome.error) }]
  )
  return {
    mode: 'review',
    source: options.source,
    model: options.model,
    complete: failedChunks.length === 0,
    findings: {
      placed: placement.inline.map((placed) => ({
        ...describeFinding(placed.finding, placed),
        ...(placed.reanchored === undefined ? {} : { reanchored: placed.reanchored })
      })),
      unplaced: placement.summaryOnly.map((entry) => ({
        ...describeFinding(entry.finding, { path: entry.finding.path, line: entry.finding.line, startLine: entry.finding.startLine ?? undefined }),
        reason: entry.reason
      })),
      duplicates: placement.duplicates
    },
    reviewedFiles: [...new Set(prepared.plan.chunks.flatMap((chunk) => chunk.pieces.map((piece) => piece.path)))],
    skipped: prepared.filter.skipped.map(({ path, reason, detail }) => ({ path, reason, detail })),
    chunks: outcomes.length,
    failedChunks,
    usage,
    ...(cost === undefined ? {} : { costUsd: cost.usd, costIsBilled: cost.billed })
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
    chunk: finding.chunkId
  }
}

/** The provider's bill when it gave one for every chunk, else the usage at the prices in effect. */
function priceRun(options: ReviewReportOptions, usage: TokenUsage): { usd: number; billed: boolean } | undefined {
  const listed = estimateRunCost(options.model, options.outcomes)
  if (listed?.billed === true || options.prices === undefined) return listed
  const { prices } = options
  const uncached = Math.max(0, usage.inputTokens - usage.cachedInputTokens)
  const usd = (uncached * prices.input + usage.cachedInputTokens * prices.cachedInput + usage.outputTokens * prices.output) / 1_000_000
  return { usd, billed: false }
}
