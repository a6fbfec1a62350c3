/**
 * The dry run's report: every file reviewed (and in which chunks) or skipped (and why), every chunk with its
 * tokens and files, the requests, and the estimated cost. One plain object, printed as JSON as is, or as
 * text or Markdown by plan-render.ts.
 */
import type { CostEstimate, PlanEstimate, Prices, RequestOverhead } from '../engine/estimate.js'
import type { ContextReport } from '../engine/context-report.js'
import type { PlannedReview } from '../engine/plan-review.js'
import type { FileStatus, SkipReason } from '../types.js'

export interface PlannedFile {
  readonly path: string
  readonly previousPath?: string
  readonly status: FileStatus
  readonly additions: number
  readonly deletions: number
  /** Chunk ids holding a piece of this file, in order. */
  readonly chunks: readonly number[]
}

export interface PlannedChunk {
  readonly id: number
  /** Diff tokens. */
  readonly tokens: number
  /** Context tokens sent with it (0 with context off). */
  readonly contextTokens: number
  readonly changedLines: number
  readonly files: readonly { readonly path: string; readonly part: number; readonly parts: number }[]
}

export interface PlanReport {
  readonly mode: 'plan'
  readonly source: string
  readonly model: string
  readonly maxChunkTokens: number
  readonly changedFiles: number
  readonly reviewed: readonly PlannedFile[]
  readonly skipped: readonly { readonly path: string; readonly reason: SkipReason; readonly detail: string }[]
  readonly chunks: readonly PlannedChunk[]
  readonly requests: number
  readonly diffTokens: number
  /** Context tokens over all chunks (0 with context off). */
  readonly contextTokens: number
  /** The context stage's report: where files came from, per-chunk figures, what was left out; absent with it off. */
  readonly context?: ContextReport
  readonly overhead: RequestOverhead
  readonly estimate: CostEstimate & {
    readonly outputTokensPerRequest: number
    /** Where the output figure comes from. */
    readonly outputAssumption: string
    readonly prices?: Prices
    readonly priceSource?: string
    /** Flags needed to price a model without built-in prices. */
    readonly missingPrices?: readonly string[]
  }
}

/** The CLI's dry-run view of a plan and its estimate. Pure: a projection, nothing is computed again. */
export function toPlanReport(
  planned: PlannedReview,
  options: { readonly model: string; readonly maxChunkTokens: number; readonly estimate: PlanEstimate }
): PlanReport {
  const { prepared, input } = planned
  const { pricing } = options.estimate
  const chunksOf = new Map<string, number[]>()
  for (const chunk of prepared.plan.chunks) {
    for (const piece of chunk.pieces) {
      const ids = chunksOf.get(piece.path) ?? []
      if (ids.at(-1) !== chunk.id) ids.push(chunk.id)
      chunksOf.set(piece.path, ids)
    }
  }
  const reviewed = prepared.filter.reviewable.map((file) => ({
    path: file.path,
    ...(file.previousPath === undefined ? {} : { previousPath: file.previousPath }),
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    chunks: chunksOf.get(file.path) ?? []
  }))
  const chunks = prepared.plan.chunks.map((chunk) => ({
    id: chunk.id,
    tokens: chunk.tokens,
    contextTokens: chunk.context?.tokens ?? 0,
    changedLines: chunk.changedLines,
    files: chunk.pieces.map((piece) => ({ path: piece.path, part: piece.part, parts: piece.parts }))
  }))
  const pricingFields = pricing.ok
    ? { prices: pricing.prices, priceSource: pricing.source }
    : { missingPrices: pricing.missing }
  return {
    mode: 'plan',
    source: input.label,
    model: options.model,
    maxChunkTokens: options.maxChunkTokens,
    changedFiles: prepared.files.length,
    reviewed,
    skipped: prepared.filter.skipped.map(({ path, reason, detail }) => ({ path, reason, detail })),
    chunks,
    requests: chunks.length,
    diffTokens: prepared.plan.totalTokens,
    contextTokens: planned.context?.totalTokens ?? 0,
    ...(planned.context === undefined ? {} : { context: planned.context }),
    overhead: options.estimate.overhead,
    estimate: {
      ...options.estimate.estimate,
      outputTokensPerRequest: options.estimate.outputTokensPerRequest,
      outputAssumption: options.estimate.outputAssumption,
      ...pricingFields
    }
  }
}
