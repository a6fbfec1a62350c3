/**
 * The dry run's report: every file reviewed (and in which chunks) or skipped (and why), every chunk with its
 * tokens and files, the requests, and the estimated cost. One plain object, printed as JSON as is, or as
 * text or Markdown by plan-render.ts.
 */
import type { EscalateOnRisk, ReviewSettings, SeverityGate } from '../config/review-settings.js'
import type { CeilingSource } from '../engine/ceiling-plan.js'
import { guidanceTokensOf, type RulesReport } from '../engine/chunk-guidance.js'
import { IMPORTANCE_ORDER, type FileKind, type PathRisk } from '../engine/chunk-importance.js'
import {
  estimatePlan,
  type CostEstimate,
  type PlanEstimate,
  type PriceOverrides,
  type Prices,
  type RequestOverhead
} from '../engine/estimate.js'
import type { ContextReport } from '../engine/context-report.js'
import type { ModelRouting } from '../engine/model-routing.js'
import type { PlannedReview } from '../engine/plan-review.js'
import type { SpendingPlan } from '../engine/plan-spending.js'
import { findEscalatedPaths } from '../review/escalation.js'
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
  /** Tokens the repository's guidance (config instructions, rule files) adds to this chunk's request. */
  readonly guidanceTokens: number
  readonly changedLines: number
  readonly files: readonly { readonly path: string; readonly part: number; readonly parts: number }[]
  /** Under --max-cost-usd: the request's estimate alone, uncached, and whether it fits the ceiling. */
  readonly ceiling?: {
    readonly usd: number
    readonly reviewed: boolean
    readonly kind: FileKind
    readonly pathRisk: PathRisk
  }
}

/** When and how the escalation model would be called. */
export interface PlannedEscalation {
  /** The escalation model; absent when no trigger is set (it is never called). */
  readonly model?: string
  readonly escalatePaths: readonly string[]
  readonly verifySeverity: SeverityGate
  readonly escalateOnRisk: EscalateOnRisk
  /** Chunks that go to the escalation model by --escalate-paths. */
  readonly escalatedChunks: readonly number[]
  /**
   * Reviewing every chunk again with the escalation model, at its list prices (the estimator's assumptions):
   * the most --escalate-on-risk can add, when the review model rates every chunk at or above the gate.
   */
  readonly everyChunkAgainUsd?: number
}

/** The cost ceiling's plan (--max-cost-usd). */
export interface PlannedCeiling {
  readonly source: CeilingSource
  readonly ceilingUsd: number
  /** Every chunk's request estimated alone, uncached (the ceiling's own figure; a little above `estimate.usd`). */
  readonly estimatedUsd: number
  readonly plannedUsd: number
  /** The order chunks are planned and sent in. */
  readonly order: string
  readonly notReviewed: readonly { readonly id: number; readonly neededUsd: number }[]
  readonly neededUsd: number
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
  /** Tokens of repository guidance over all requests (each chunk's `guidanceTokens`). */
  readonly guidanceTokens: number
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
  readonly escalation: PlannedEscalation
  /** Absent without --max-cost-usd. */
  readonly ceiling?: PlannedCeiling
  /** The repository's rule files read at the base commit; absent when none were read or noted. */
  readonly rules?: RulesReport
}

/** The CLI's dry-run view of a plan and its estimate. Pure: a projection, nothing is computed again. */
export function toPlanReport(
  planned: PlannedReview,
  options: {
    readonly model: string
    readonly maxChunkTokens: number
    readonly estimate: PlanEstimate
    readonly spending: SpendingPlan
    readonly escalation: PlannedEscalation
  }
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
  const { guidance, ceiling } = options.spending
  const importance = new Map(ceiling?.order.map((entry) => [entry.id, entry]))
  const chunks = prepared.plan.chunks.map((chunk): PlannedChunk => {
    const ranked = importance.get(chunk.id)
    const usd = ceiling?.estimates.get(chunk.id)?.usd
    return {
      id: chunk.id,
      tokens: chunk.tokens,
      contextTokens: chunk.context?.tokens ?? 0,
      guidanceTokens: guidanceTokensOf(guidance, chunk),
      changedLines: chunk.changedLines,
      files: chunk.pieces.map((piece) => ({ path: piece.path, part: piece.part, parts: piece.parts })),
      ...(ceiling === undefined || ranked === undefined || usd === undefined
        ? {}
        : {
            ceiling: { usd, reviewed: ceiling.selected.has(chunk.id), kind: ranked.kind, pathRisk: ranked.pathRisk }
          })
    }
  })
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
    guidanceTokens: chunks.reduce((sum, chunk) => sum + chunk.guidanceTokens, 0),
    overhead: options.estimate.overhead,
    estimate: {
      ...options.estimate.estimate,
      outputTokensPerRequest: options.estimate.outputTokensPerRequest,
      outputAssumption: options.estimate.outputAssumption,
      ...pricingFields
    },
    escalation: options.escalation,
    ...(ceiling === undefined
      ? {}
      : {
          ceiling: {
            source: ceiling.ceiling.source,
            ceilingUsd: ceiling.ceiling.usd,
            estimatedUsd: ceiling.totalUsd,
            plannedUsd: ceiling.plannedUsd,
            order: IMPORTANCE_ORDER,
            notReviewed: ceiling.excluded.map((chunk) => ({ id: chunk.id, neededUsd: chunk.usd })),
            neededUsd: ceiling.excluded.reduce((sum, chunk) => sum + chunk.usd, 0)
          }
        }),
    ...(guidance.report === undefined ? {} : { rules: guidance.report })
  }
}

/**
 * The dry run's report, estimated: the CLI's and the action's dry runs both build it here. Each request is
 * estimated with its chunk and the repository's guidance for it; escalation is described, and priced at the
 * escalation model's list prices for the case where every chunk is sent to it again.
 */
export function buildPlanReport(
  planned: PlannedReview,
  options: {
    readonly settings: ReviewSettings
    readonly spending: SpendingPlan
    readonly routing: Pick<ModelRouting, 'plan' | 'matchesEscalatePath'>
    /** The CLI's --price-* flags for the review model. */
    readonly prices?: PriceOverrides
    /** The CLI's --output-tokens-per-request. */
    readonly outputTokensPerRequest?: number
  }
): PlanReport {
  const { settings, spending, routing } = options
  const chunks = planned.prepared.plan.chunks
  const estimateAt = (model: string, prices: PriceOverrides = options.prices ?? {}): PlanEstimate =>
    estimatePlan({
      // Each request carries its diff, its context and the repository's guidance for it.
      chunkTokens: chunks.map(
        (chunk) => chunk.tokens + (chunk.context?.tokens ?? 0) + guidanceTokensOf(spending.guidance, chunk)
      ),
      withContext: planned.context !== undefined,
      pullRequest: planned.input.pullRequest,
      settings: { ...settings, model },
      prices,
      ...(options.outputTokensPerRequest === undefined
        ? {}
        : { outputTokensPerRequest: options.outputTokensPerRequest })
    })
  const escalationModel = routing.plan.escalation?.model.id
  const everyChunkAgainUsd = escalationModel === undefined ? undefined : estimateAt(escalationModel, {}).estimate.usd
  const escalation: PlannedEscalation = {
    ...(escalationModel === undefined ? {} : { model: escalationModel }),
    escalatePaths: settings.escalatePaths,
    verifySeverity: settings.verifySeverity,
    escalateOnRisk: settings.escalateOnRisk,
    escalatedChunks: chunks
      .filter((chunk) => findEscalatedPaths(chunk, routing.matchesEscalatePath).length > 0)
      .map((chunk) => chunk.id),
    ...(everyChunkAgainUsd === undefined ? {} : { everyChunkAgainUsd })
  }
  return toPlanReport(planned, {
    model: settings.model,
    maxChunkTokens: settings.maxChunkTokens,
    estimate: estimateAt(settings.model),
    spending,
    escalation
  })
}
