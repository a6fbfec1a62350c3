/**
 * What a review would cost, before sending anything. Input tokens are counted exactly where we can (the
 * chunks, the instructions, the PR-text wrapper: all o200k counts of the text we send); the rest are stated
 * assumptions:
 * - The response schema is counted as its JSON text; the provider renders it into the prompt its own way.
 * - Prompt caching (OpenAI: automatic for prompts of at least 1,024 tokens, matched on the exact prefix in
 *   128-token steps): the part before the diff (instructions, schema, PR text) is identical in every
 *   request, so it is assumed cached in every request after the first wave of `max-concurrency` requests,
 *   which start together before any of them could have written the cache.
 * - Output (reasoning included) is unknowable before the model answers: a per-request figure by effort,
 *   overridable, plus the worst case where every request uses its whole `max-output-tokens` budget.
 */
import type { ReasoningEffort, ReviewSettings } from '../config/review-settings.js'
import { countTokens } from '../chunk/tokens.js'
import { buildReviewInput } from '../model/build-request.js'
import { FINDINGS_SCHEMA } from '../model/findings-schema.js'
import { REVIEW_INSTRUCTIONS, REVIEW_INSTRUCTIONS_WITH_CONTEXT } from '../model/instructions.js'
import { findModelSpec } from '../model/models.js'
import type { Chunk } from '../types.js'
import { priceAtList } from './cost.js'

/** OpenAI caches prompts from this many tokens, in steps of PROMPT_CACHE_STEP_TOKENS. */
export const PROMPT_CACHE_MIN_TOKENS = 1_024
export const PROMPT_CACHE_STEP_TOKENS = 128

/**
 * Assumed output tokens per request by effort: the findings JSON is a few hundred tokens, the rest is
 * reasoning, which grows with effort. An assumption for planning, not a measurement: override it with
 * --output-tokens-per-request once a real run's usage is known.
 */
export const ASSUMED_OUTPUT_TOKENS: Readonly<Record<ReasoningEffort, number>> = {
  low: 1_500,
  medium: 3_000,
  high: 6_000
}

/** Prices given by the user (the CLI's --price-* flags), USD per million tokens, each replacing the list price. */
export interface PriceOverrides {
  readonly input?: number
  readonly cachedInput?: number
  readonly output?: number
}

/** USD per million tokens. */
export interface Prices {
  readonly input: number
  readonly cachedInput: number
  readonly output: number
}

export type PriceResolution =
  | { readonly ok: true; readonly prices: Prices; readonly source: 'list prices' | 'flags' | 'list prices and flags' }
  | { readonly ok: false; readonly missing: readonly string[] }

/** The model's list prices with any flag overriding each; says which flags are missing for an unknown model. */
export function resolvePrices(model: string, overrides: PriceOverrides): PriceResolution {
  const list = findModelSpec(model)?.price
  const input = overrides.input ?? list?.input
  const cachedInput = overrides.cachedInput ?? list?.cachedInput
  const output = overrides.output ?? list?.output
  if (input === undefined || cachedInput === undefined || output === undefined) {
    const missing = [
      ...(input === undefined ? ['--price-input'] : []),
      ...(cachedInput === undefined ? ['--price-cached-input'] : []),
      ...(output === undefined ? ['--price-output'] : [])
    ]
    return { ok: false, missing }
  }
  const overridden = Object.keys(overrides).length
  const source =
    list === undefined || overridden === 3 ? 'flags' : overridden === 0 ? 'list prices' : 'list prices and flags'
  return { ok: true, prices: { input, cachedInput, output }, source }
}

/** Tokens every request carries besides its chunk. */
export interface RequestOverhead {
  readonly instructionTokens: number
  /** The strict JSON schema of the answer, counted as its JSON text. */
  readonly schemaTokens: number
  /** The PR text and the `<diff>` tags around the chunk. */
  readonly wrapperTokens: number
  /** Instructions, schema and everything of the input before the diff: identical in every request. */
  readonly sharedPrefixTokens: number
}

/**
 * Counts the per-request overhead for this PR text (one tokenizer pass over each fixed part). With context on,
 * the instructions carry their context section (context blocks themselves are counted per chunk).
 */
export function measureRequestOverhead(
  pullRequest: { readonly title: string; readonly body: string },
  options: { readonly withContext?: boolean } = {}
): RequestOverhead {
  const emptyChunk: Chunk = { id: 1, pieces: [], text: '', tokens: 0, changedLines: 0 }
  const wrapper = buildReviewInput({ chunk: emptyChunk, pullRequest })
  const beforeDiff = wrapper.slice(0, wrapper.lastIndexOf('<diff>\n') + '<diff>\n'.length)
  const instructionTokens = countTokens(
    options.withContext === true ? REVIEW_INSTRUCTIONS_WITH_CONTEXT : REVIEW_INSTRUCTIONS
  )
  const schemaTokens = countTokens(JSON.stringify(FINDINGS_SCHEMA))
  return {
    instructionTokens,
    schemaTokens,
    wrapperTokens: countTokens(wrapper),
    sharedPrefixTokens: instructionTokens + schemaTokens + countTokens(beforeDiff)
  }
}

export interface EstimateOptions {
  readonly chunkTokens: readonly number[]
  readonly overhead: RequestOverhead
  readonly concurrency: number
  readonly outputTokensPerRequest: number
  readonly maxOutputTokens: number
  readonly prices?: Prices
}

export interface CostEstimate {
  readonly requests: number
  readonly inputTokens: number
  readonly cachedInputTokens: number
  /** Tokens of each request's cached prefix (0 when under the 1,024-token minimum). */
  readonly cachedPerRequest: number
  readonly outputTokens: number
  readonly worstCaseOutputTokens: number
  readonly usd?: number
  /** Every request using its whole output budget, nothing cached. */
  readonly worstCaseUsd?: number
}

/** The part of a prefix the provider can serve from cache. */
export function countCacheableTokens(prefixTokens: number): number {
  if (prefixTokens < PROMPT_CACHE_MIN_TOKENS) return 0
  return Math.floor(prefixTokens / PROMPT_CACHE_STEP_TOKENS) * PROMPT_CACHE_STEP_TOKENS
}

/** Tokens and dollars of one request per chunk, under the assumptions in this module's header. Pure. */
export function estimateCost(options: EstimateOptions): CostEstimate {
  const requests = options.chunkTokens.length
  const { overhead } = options
  const perRequest = overhead.instructionTokens + overhead.schemaTokens + overhead.wrapperTokens
  const inputTokens = options.chunkTokens.reduce((sum, tokens) => sum + tokens + perRequest, 0)
  const cachedPerRequest = countCacheableTokens(overhead.sharedPrefixTokens)
  const coldRequests = Math.min(requests, Math.max(1, options.concurrency))
  const cachedInputTokens = (requests - coldRequests) * cachedPerRequest
  const outputTokens = requests * options.outputTokensPerRequest
  const worstCaseOutputTokens = requests * options.maxOutputTokens
  const base = { requests, inputTokens, cachedInputTokens, cachedPerRequest, outputTokens, worstCaseOutputTokens }
  const { prices } = options
  if (prices === undefined) return base
  const usd = priceAtList({ price: prices }, { inputTokens, cachedInputTokens, outputTokens, reasoningTokens: 0 })
  const worstCaseUsd = priceAtList(
    { price: prices },
    { inputTokens, cachedInputTokens: 0, outputTokens: worstCaseOutputTokens, reasoningTokens: 0 }
  )
  return { ...base, usd, worstCaseUsd }
}

/** The dry run's estimate of a plan: per-request overhead, prices, and tokens and dollars. */
export interface PlanEstimate {
  readonly overhead: RequestOverhead
  readonly pricing: PriceResolution
  readonly outputTokensPerRequest: number
  /** Where the output figure comes from: "assumed for effort medium", or "from --output-tokens-per-request". */
  readonly outputAssumption: string
  readonly estimate: CostEstimate
}

/** Estimates what reviewing `chunkTokens` would cost with these settings, before anything is sent. Pure. */
export function estimatePlan(options: {
  /** Tokens each request carries besides the fixed overhead: its diff plus its context. */
  readonly chunkTokens: readonly number[]
  /** The chunks carry context: the instructions have their context section. */
  readonly withContext?: boolean
  readonly pullRequest: { readonly title: string; readonly body: string }
  readonly settings: Pick<ReviewSettings, 'model' | 'reasoningEffort' | 'maxConcurrency' | 'maxOutputTokens'>
  readonly prices?: PriceOverrides
  /** Assumed output tokens per request; default by effort (ASSUMED_OUTPUT_TOKENS). */
  readonly outputTokensPerRequest?: number
}): PlanEstimate {
  const { settings } = options
  const overhead = measureRequestOverhead(options.pullRequest, { withContext: options.withContext === true })
  const pricing = resolvePrices(settings.model, options.prices ?? {})
  const outputTokensPerRequest = options.outputTokensPerRequest ?? ASSUMED_OUTPUT_TOKENS[settings.reasoningEffort]
  const estimate = estimateCost({
    chunkTokens: options.chunkTokens,
    overhead,
    concurrency: settings.maxConcurrency,
    outputTokensPerRequest,
    maxOutputTokens: settings.maxOutputTokens,
    ...(pricing.ok ? { prices: pricing.prices } : {})
  })
  const outputAssumption =
    options.outputTokensPerRequest === undefined
      ? `assumed for effort ${settings.reasoningEffort}`
      : 'from --output-tokens-per-request'
  return { overhead, pricing, outputTokensPerRequest, outputAssumption, estimate }
}
