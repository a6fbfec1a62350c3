import { buildCostReport, collectModelCalls } from './cost-report.js'
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

/** Usage of every request made, failed chunks and verification requests included: they were paid for too. */
export function totalUsage(outcomes: readonly ChunkOutcome[]): TokenUsage {
  const verification = (outcome: ChunkOutcome): TokenUsage =>
    (outcome.ok ? outcome.review.verification?.usage : undefined) ?? ZERO_USAGE
  return outcomes.reduce(
    (sum, outcome) => addUsage(addUsage(sum, outcome.ok ? outcome.review.usage : outcome.usage), verification(outcome)),
    ZERO_USAGE
  )
}

export interface RunCost {
  readonly usd: number
  /** True when every successful request came with the provider's own charge. */
  readonly billed: boolean
}

/**
 * Dollars spent on every request of the run (each model, failed attempts and verifications included): the
 * provider's billed figure where it gave one, list prices elsewhere (cost-report.ts). `billed` is true
 * only when every paid request was billed. Undefined when part of it has no known price.
 */
export function estimateCost(model: string, outcomes: readonly ChunkOutcome[]): RunCost | undefined {
  const report = buildCostReport(collectModelCalls(outcomes, model))
  if (report.usd === undefined) return undefined
  return { usd: report.usd, billed: report.source === 'billed' }
}
