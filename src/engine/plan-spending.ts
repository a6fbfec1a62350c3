/**
 * What every request of a review will carry and may cost, decided before any is sent, by the review and the dry
 * run alike: each chunk's repository guidance (chunk-guidance.ts) and, under a cost ceiling, each chunk's
 * estimate and which chunks fit (ceiling-plan.ts). Pure.
 */
import type { RepoConfig } from '../config/repo-config.js'
import type { ReviewSettings } from '../config/review-settings.js'
import type { ModelPrice, ModelSpec } from '../model/models.js'
import { findEscalatedPaths } from '../review/escalation.js'
import type { RepositoryRules } from '../rules/repository-rules.js'
import type { Chunk } from '../types.js'
import { estimateChunks, planWithinCeiling, requirePrice, resolveCeiling, type CeilingPlan } from './ceiling-plan.js'
import { guidanceTokensOf, planChunkGuidance, type ChunkGuidance } from './chunk-guidance.js'
import { rankChunks } from './chunk-importance.js'
import { priceModelAt } from './cost.js'
import { ASSUMED_OUTPUT_TOKENS, measureRequestOverhead } from './estimate.js'
import type { ModelRouting } from './model-routing.js'
import type { PlannedReview } from './plan-review.js'

export interface SpendingPlan {
  readonly guidance: ChunkGuidance
  /** Absent when neither `max-cost-usd` nor `max-pr-cost-usd` is set. */
  readonly ceiling?: CeilingPlan
  /** Prices of every model the run may call, the review model's replaced by the CLI's --price-* flags. */
  readonly specs: readonly ModelSpec[]
  /** Output tokens assumed per request by the estimates. */
  readonly outputTokensPerRequest: number
}

export interface PlanSpendingOptions {
  readonly planned: PlannedReview
  /** The config file's guidance. */
  readonly repo: RepoConfig
  readonly rules: RepositoryRules
  readonly settings: ReviewSettings
  readonly routing: Pick<ModelRouting, 'plan' | 'matchesEscalatePath'>
  /** Dollars earlier runs on the same pull request spent (for `max-pr-cost-usd`); 0 when none are known. */
  readonly spentBeforeUsd?: number
  /** Prices of the review model replacing its list prices (the CLI's --price-* flags). */
  readonly prices?: ModelPrice
  /** Assumed output tokens per request (the CLI's --output-tokens-per-request); default by effort. */
  readonly outputTokensPerRequest?: number
}

/** Guidance per chunk and, under a ceiling, the chunks that fit. Throws ConfigError for a ceiling it cannot price. */
export function planSpending(options: PlanSpendingOptions): SpendingPlan {
  const { planned, settings, routing } = options
  const chunks = planned.prepared.plan.chunks
  const guidance = planChunkGuidance({ chunks, repo: options.repo, rules: options.rules, settings })
  const specs = priceModelAt(settings.model, options.prices)
  const outputTokensPerRequest = options.outputTokensPerRequest ?? ASSUMED_OUTPUT_TOKENS[settings.reasoningEffort]
  const base = { guidance, specs, outputTokensPerRequest }
  const ceiling = resolveCeiling({
    maxRunUsd: settings.maxCostUsd,
    maxPullUsd: settings.maxPrCostUsd,
    spentBeforeUsd: options.spentBeforeUsd ?? 0
  })
  if (ceiling === undefined) return base
  const escalation = routing.plan.escalation?.model.id
  // Every model the run may call must be priceable, or a follow-up request could not be checked.
  if (escalation !== undefined) requirePrice(escalation, specs, ceiling.source)
  const modelFor = (chunk: Chunk): string =>
    escalation !== undefined && findEscalatedPaths(chunk, routing.matchesEscalatePath).length > 0
      ? escalation
      : routing.plan.primary.model.id
  const estimates = estimateChunks({
    chunks,
    overhead: measureRequestOverhead(planned.input.pullRequest, { withContext: planned.context !== undefined }),
    guidanceTokens: (chunk) => guidanceTokensOf(guidance, chunk),
    modelFor,
    specs,
    settings,
    outputTokensPerRequest,
    source: ceiling.source
  })
  const order = rankChunks(chunks, routing.matchesEscalatePath)
  return { ...base, ceiling: planWithinCeiling({ ceiling, order, estimates }) }
}
