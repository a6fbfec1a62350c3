import { findModelSpec } from '../model/models.js'
import { type ChunkOutcome, type TokenUsage, ZERO_USAGE } from '../types.js'

/** Adds two usage records. */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens
  }
}

/** Usage of every request made, failed chunks included: they were paid for too. */
export function totalUsage(outcomes: readonly ChunkOutcome[]): TokenUsage {
  return outcomes.reduce((sum, outcome) => addUsage(sum, outcome.ok ? outcome.review.usage : outcome.usage), ZERO_USAGE)
}

export interface RunCost {
  readonly usd: number
  /** True when every successful request came with the provider's own charge. */
  readonly billed: boolean
}

/**
 * Dollars spent: the provider's billed figure when it gave one for every successful chunk, else an
 * estimate from list prices (cached input billed at its own rate). Undefined for an unknown model.
 */
export function estimateCost(model: string, outcomes: readonly ChunkOutcome[]): RunCost | undefined {
  const reviews = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.review] : []))
  if (reviews.length > 0 && reviews.every((review) => review.billedUsd !== undefined)) {
    return { usd: reviews.reduce((sum, review) => sum + (review.billedUsd ?? 0), 0), billed: true }
  }
  return priceUsage(model, totalUsage(outcomes))
}

/** List-price cost of a usage record; undefined when the model's prices are unknown. */
export function priceUsage(model: string, usage: TokenUsage): RunCost | undefined {
  const spec = findModelSpec(model)
  if (spec === undefined) return undefined
  const uncached = Math.max(0, usage.inputTokens - usage.cachedInputTokens)
  const usd =
    (uncached * spec.price.input + usage.cachedInputTokens * spec.price.cachedInput + usage.outputTokens * spec.price.output) /
    1_000_000
  return { usd, billed: false }
}
