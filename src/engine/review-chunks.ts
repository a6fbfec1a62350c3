import type { ReasoningEffort } from '../config/config.js'
import type { ModelTransport } from '../model/responses-client.js'
import { mapWithConcurrency } from '../util/concurrency.js'
import type { Chunk, ChunkOutcome } from '../types.js'
import type { CostGuard } from './cost-guard.js'
import { reviewChunkRouted, type ModelRouting } from './model-routing.js'
import type { Logger } from './logger.js'
import type { ReviewLimits } from './review-limits.js'

export interface ReviewAllOptions {
  readonly chunks: readonly Chunk[]
  readonly transport: ModelTransport
  readonly model: string
  readonly reasoningEffort: ReasoningEffort
  readonly maxOutputTokens: number
  readonly concurrency: number
  readonly pullRequest: { readonly title: string; readonly body: string }
  readonly logger: Logger
  /** Time budget and token-rate limit (review-limits.ts); none when absent. */
  readonly limits?: ReviewLimits
  /** Models, endpoints and escalation (escalated-review.ts); without it every chunk goes to `model` via /responses. */
  readonly routing?: ModelRouting
  /** Repository guidance for one chunk (config file instructions, its path instructions, the language). */
  readonly extraInstructionsFor?: (chunk: Chunk) => string | undefined
  /** The cost ceiling (cost-guard.ts): the order chunks go in, and every request checked against it; none when absent. */
  readonly ceiling?: CostGuard
  /** Told when each chunk starts and ends: the CLI's progress line. */
  readonly progress?: ReviewProgress
}

/** What a shell can show while the model works: chunks in flight, done, and the tokens spent so far. */
export interface ReviewProgress {
  started(chunk: Chunk): void
  finished(outcome: ChunkOutcome): void
  /** A chunk refused before any request (run limits, the cost ceiling): one request fewer to wait for. */
  notSent(outcome: ChunkOutcome): void
}

/**
 * Reviews every chunk with bounded concurrency. A chunk that fails is an outcome, not an exception;
 * only errors no retry can fix (bad key, no credits) reject, since every other chunk would fail the same way.
 */
export async function reviewAllChunks(options: ReviewAllOptions): Promise<ChunkOutcome[]> {
  const total = options.chunks.length
  let done = 0
  const { limits, ceiling } = options
  const transport = limits?.guardTransport(options.transport) ?? options.transport
  const chunks = ceiling?.order(options.chunks) ?? options.chunks
  const outcomes = await mapWithConcurrency(chunks, options.concurrency, async (chunk) => {
    const refused = limits?.refuseStart(chunk) ?? ceiling?.refuseStart(chunk)
    if (refused !== undefined) {
      ceiling?.release(chunk.id)
      options.progress?.notSent(refused)
      return refused
    }
    options.progress?.started(chunk)
    const reviewed = await reviewChunkRouted({
      transport: ceiling?.guard(chunk, transport) ?? transport,
      chunk,
      routing: options.routing,
      request: {
        model: options.model,
        reasoningEffort: options.reasoningEffort,
        maxOutputTokens: options.maxOutputTokens,
        pullRequest: options.pullRequest,
        ...extraInstructionsOf(options, chunk)
      }
    })
    ceiling?.release(chunk.id)
    const outcome = limits?.explain(reviewed) ?? reviewed
    options.progress?.finished(outcome)
    done += 1
    if (outcome.ok) {
      options.logger.info(
        `Chunk ${chunk.id}/${total} reviewed (${done}/${total} done): ${outcome.review.findings.length} finding(s), ` +
          `${outcome.review.usage.inputTokens} in / ${outcome.review.usage.outputTokens} out tokens.`
      )
    } else {
      options.logger.warning(`Chunk ${chunk.id}/${total} failed after ${outcome.attempts} request(s): ${outcome.error}`)
    }
    return outcome
  })
  limits?.report(outcomes, options.logger)
  // Sent in order of importance under a ceiling; reported in the diff's order as always.
  return ceiling === undefined ? outcomes : [...outcomes].sort((a, b) => a.chunk.id - b.chunk.id)
}

function extraInstructionsOf(options: ReviewAllOptions, chunk: Chunk): { extraInstructions?: string } {
  const extra = options.extraInstructionsFor?.(chunk)
  return extra === undefined ? {} : { extraInstructions: extra }
}
