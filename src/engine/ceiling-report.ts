/**
 * What the summary, the outputs and the reports say about the cost ceiling after a run: the ceiling and where
 * it comes from, spent against it, the plan's estimate, and every chunk not reviewed because of it with the
 * amount it would have needed. Pure.
 */
import type { ChunkOutcome } from '../types.js'
import type { CeilingPlan, CeilingSource } from './ceiling-plan.js'
import type { CeilingRefusal } from './cost-guard.js'

/** A chunk the ceiling kept from being reviewed. */
export interface ChunkOverCeiling {
  readonly id: number
  readonly paths: readonly string[]
  /** Its estimated review. */
  readonly neededUsd: number
  /** Left out by the plan, or refused during the run when the real spending left too little. */
  readonly when: 'planned' | 'during the run'
}

export interface CostCeilingReport {
  /** The setting that set this run's ceiling. */
  readonly source: CeilingSource
  /** Dollars this run was held to. */
  readonly ceilingUsd: number
  /** `max-cost-usd` and `max-pr-cost-usd` as set; absent when 0. */
  readonly maxRunUsd?: number
  readonly maxPullUsd?: number
  /** Dollars earlier runs on the pull request spent (the signed state). */
  readonly spentBeforeUsd: number
  /** This run's spending (the cost report's figure); absent when unknown. */
  readonly spentUsd?: number
  /** Estimate of every chunk, and of those planned within the ceiling. */
  readonly estimatedUsd: number
  readonly plannedUsd: number
  readonly notReviewed: readonly ChunkOverCeiling[]
  /** What the chunks not reviewed would have needed, in total. */
  readonly neededUsd: number
  /** Later requests (retries, escalations, verifications) the ceiling refused. */
  readonly followUpsRefused: number
}

/** The report for a run under a ceiling. */
export function buildCeilingReport(options: {
  readonly plan: CeilingPlan
  readonly outcomes: readonly ChunkOutcome[]
  readonly refusals: readonly CeilingRefusal[]
  readonly spentUsd?: number
}): CostCeilingReport {
  const { plan } = options
  const { ceiling } = plan
  const notReviewed = options.outcomes.flatMap((outcome): ChunkOverCeiling[] => {
    if (outcome.ok || outcome.failure !== 'cost-ceiling') return []
    return [
      {
        id: outcome.chunk.id,
        paths: [...new Set(outcome.chunk.pieces.map((piece) => piece.path))],
        neededUsd: outcome.neededUsd ?? plan.estimates.get(outcome.chunk.id)?.usd ?? 0,
        when: plan.selected.has(outcome.chunk.id) ? 'during the run' : 'planned'
      }
    ]
  })
  return {
    source: ceiling.source,
    ceilingUsd: ceiling.usd,
    ...(ceiling.maxRunUsd > 0 ? { maxRunUsd: ceiling.maxRunUsd } : {}),
    ...(ceiling.maxPullUsd > 0 ? { maxPullUsd: ceiling.maxPullUsd } : {}),
    spentBeforeUsd: ceiling.spentBeforeUsd,
    ...(options.spentUsd === undefined ? {} : { spentUsd: options.spentUsd }),
    estimatedUsd: plan.totalUsd,
    plannedUsd: plan.plannedUsd,
    notReviewed,
    neededUsd: notReviewed.reduce((sum, chunk) => sum + chunk.neededUsd, 0),
    followUpsRefused: options.refusals.filter((refusal) => refusal.kind === 'follow-up').length
  }
}
