/**
 * The cost ceiling before anything is sent (`max-cost-usd` per run, `max-pr-cost-usd` for all runs of a pull
 * request): the ceiling this run is held to, each chunk's estimated cost (the dry run's estimator, one request
 * per chunk, priced at the model that will review it), and which chunks fit. Pure.
 *
 * When the whole plan does not fit, chunks are taken in order of importance (chunk-importance.ts) while the
 * next one still fits; the first that does not, and every chunk after it, is not reviewed. Stopping there, rather
 * than skipping to a cheaper chunk further down, keeps the promise the order makes: no chunk is reviewed while a
 * more important one was left out.
 *
 * Estimates are per request and uncached: a chunk is priced as if it were alone, so no chunk's estimate depends
 * on which others run (the dry run's whole-plan figure assumes the shared prefix cached after the first wave,
 * which makes it a little lower; the ceiling errs the other way, by about 3% of a request).
 */
import type { ReviewSettings } from '../config/review-settings.js'
import { ConfigError } from '../errors.js'
import { findModelSpec, type ModelSpec } from '../model/models.js'
import type { Chunk } from '../types.js'
import type { ChunkImportance } from './chunk-importance.js'
import { ASSUMED_OUTPUT_TOKENS, estimateCost, type RequestOverhead } from './estimate.js'
import { formatUsd } from '../util/usd.js'

/** Which setting holds the run's ceiling. */
export type CeilingSource = 'max-cost-usd' | 'max-pr-cost-usd'

/** The limits as set, and what earlier runs of the pull request spent. */
export interface CeilingLimits {
  /** `max-cost-usd`; 0 = none. */
  readonly maxRunUsd: number
  /** `max-pr-cost-usd`; 0 = none. */
  readonly maxPullUsd: number
  /** Dollars earlier runs on the same pull request spent (the signed state); 0 when none are known. */
  readonly spentBeforeUsd: number
}

/** The ceiling this run is held to: the lower of `max-cost-usd` and what `max-pr-cost-usd` has left. */
export interface RunCeiling extends CeilingLimits {
  readonly usd: number
  readonly source: CeilingSource
}

/** The run's ceiling, or undefined when neither limit is set. */
export function resolveCeiling(limits: CeilingLimits): RunCeiling | undefined {
  const run = limits.maxRunUsd > 0 ? limits.maxRunUsd : Infinity
  const pull = limits.maxPullUsd > 0 ? Math.max(0, limits.maxPullUsd - limits.spentBeforeUsd) : Infinity
  if (run === Infinity && pull === Infinity) return undefined
  return pull < run
    ? { ...limits, usd: pull, source: 'max-pr-cost-usd' }
    : { ...limits, usd: run, source: 'max-cost-usd' }
}

/** "the $0.5000 max-cost-usd", or "the $0.0500 left of max-pr-cost-usd $2.0000 (earlier runs spent $1.9500)". */
export function describeCeiling(ceiling: RunCeiling): string {
  if (ceiling.source === 'max-cost-usd') return `the ${formatUsd(ceiling.usd)} max-cost-usd`
  return (
    `the ${formatUsd(ceiling.usd)} left of max-pr-cost-usd ${formatUsd(ceiling.maxPullUsd)} ` +
    `(earlier runs spent ${formatUsd(ceiling.spentBeforeUsd)})`
  )
}

/** One chunk's estimated request. */
export interface ChunkEstimate {
  readonly id: number
  /** The model that will review it (escalate-paths chunks: the escalation model). */
  readonly model: string
  readonly inputTokens: number
  readonly outputTokens: number
  readonly usd: number
}

/** Input, cached input and output prices per million tokens of a model, or a ConfigError naming the input. */
export function requirePrice(model: string, specs: readonly ModelSpec[], input: CeilingSource): ModelSpec['price'] {
  const price = findModelSpec(model, specs)?.price
  if (price === undefined) {
    throw new ConfigError(
      `Input "${input}" is set, but ${model} has no list prices, so no request can be estimated against it. ` +
        'Use a model from the table in the README (the CLI also takes --price-input, --price-cached-input and ' +
        '--price-output for --model), or remove the ceiling.'
    )
  }
  return price
}

export interface EstimateChunksOptions {
  readonly chunks: readonly Chunk[]
  readonly overhead: RequestOverhead
  /** Tokens each chunk's repository guidance adds to its request (chunk-guidance.ts); 0 without any. */
  readonly guidanceTokens: (chunk: Chunk) => number
  /** The model that reviews the chunk. */
  readonly modelFor: (chunk: Chunk) => string
  readonly specs: readonly ModelSpec[]
  readonly settings: Pick<ReviewSettings, 'reasoningEffort' | 'maxOutputTokens'>
  /** Assumed output tokens per request; default by effort (ASSUMED_OUTPUT_TOKENS). */
  readonly outputTokensPerRequest?: number
  readonly source: CeilingSource
}

/** Each chunk's request estimated alone (see the module comment), by chunk id. */
export function estimateChunks(options: EstimateChunksOptions): Map<number, ChunkEstimate> {
  const { overhead, settings } = options
  const output = options.outputTokensPerRequest ?? ASSUMED_OUTPUT_TOKENS[settings.reasoningEffort]
  return new Map(
    options.chunks.map((chunk) => {
      const model = options.modelFor(chunk)
      // The request carries the diff, its context (context-tokens) and its guidance.
      const tokens = chunk.tokens + (chunk.context?.tokens ?? 0) + options.guidanceTokens(chunk)
      const estimate = estimateCost({
        chunkTokens: [tokens],
        overhead,
        concurrency: 1,
        outputTokensPerRequest: Math.min(output, settings.maxOutputTokens),
        maxOutputTokens: settings.maxOutputTokens,
        prices: requirePrice(model, options.specs, options.source)
      })
      const entry: ChunkEstimate = {
        id: chunk.id,
        model,
        inputTokens: estimate.inputTokens,
        outputTokens: estimate.outputTokens,
        usd: estimate.usd ?? 0
      }
      return [chunk.id, entry]
    })
  )
}

/** The chunks a ceiling lets through, and what the rest would have cost. */
export interface CeilingPlan {
  readonly ceiling: RunCeiling
  /** Every chunk, most important first. */
  readonly order: readonly ChunkImportance[]
  readonly estimates: ReadonlyMap<number, ChunkEstimate>
  /** Chunks to review. */
  readonly selected: ReadonlySet<number>
  /** Chunks left out before sending, most important first. */
  readonly excluded: readonly ChunkEstimate[]
  /** Estimate of the selected chunks. */
  readonly plannedUsd: number
  /** Estimate of every chunk. */
  readonly totalUsd: number
}

/** Dollars below this are rounding, not spending: sums taken in another order differ in the last bits. */
export const USD_TOLERANCE = 1e-9

/** Takes chunks in order of importance while the next one fits (see the module comment). */
export function planWithinCeiling(options: {
  readonly ceiling: RunCeiling
  readonly order: readonly ChunkImportance[]
  readonly estimates: ReadonlyMap<number, ChunkEstimate>
}): CeilingPlan {
  const { ceiling, order, estimates } = options
  const selected = new Set<number>()
  const excluded: ChunkEstimate[] = []
  let plannedUsd = 0
  let totalUsd = 0
  for (const { id } of order) {
    const estimate = estimates.get(id)
    if (estimate === undefined) continue
    totalUsd += estimate.usd
    if (excluded.length === 0 && plannedUsd + estimate.usd <= ceiling.usd + USD_TOLERANCE) {
      selected.add(id)
      plannedUsd += estimate.usd
    } else {
      excluded.push(estimate)
    }
  }
  return { ceiling, order, estimates, selected, excluded, plannedUsd, totalUsd }
}
