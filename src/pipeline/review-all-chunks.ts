import type { ReasoningEffort } from '../config/config.js'
import { reviewChunk } from '../model/review-chunk.js'
import type { ModelTransport } from '../model/responses-client.js'
import { mapWithConcurrency } from '../util/concurrency.js'
import type { Chunk, ChunkOutcome } from '../types.js'
import type { Logger } from './logger.js'

export interface ReviewAllOptions {
  readonly chunks: readonly Chunk[]
  readonly transport: ModelTransport
  readonly model: string
  readonly reasoningEffort: ReasoningEffort
  readonly maxOutputTokens: number
  readonly concurrency: number
  readonly pullRequest: { readonly title: string; readonly body: string }
  readonly logger: Logger
}

/**
 * Reviews every chunk with bounded concurrency. A chunk that fails is an outcome, not an exception;
 * only errors no retry can fix (bad key, no credits) reject, since every other chunk would fail the same way.
 */
export async function reviewAllChunks(options: ReviewAllOptions): Promise<ChunkOutcome[]> {
  const total = options.chunks.length
  let done = 0
  return mapWithConcurrency(options.chunks, options.concurrency, async (chunk) => {
    const outcome = await reviewChunk({
      transport: options.transport,
      chunk,
      request: {
        model: options.model,
        reasoningEffort: options.reasoningEffort,
        maxOutputTokens: options.maxOutputTokens,
        pullRequest: options.pullRequest
      }
    })
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
}
