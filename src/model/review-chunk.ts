/**
 * Reviews one chunk: builds the request, posts it, reads and validates the answer, and recovers from
 * the two failures a retry can fix (output budget too small, malformed answer) once each.
 */
import { getErrorMessage } from '../errors.js'
import type { Chunk, ChunkFailure, ChunkOutcome, TokenUsage } from '../types.js'
import { addUsage, ZERO_USAGE } from '../types.js'
import { buildResponsesRequest, type BuildRequestOptions } from './build-request.js'
import { validateFindingsPayload } from './findings-schema.js'
import { readEndpointReply } from './chat-completions-response.js'
import type { ModelEndpoint } from './models.js'
import { parseFindingsText, type ResponseReading } from './parse-response.js'
import {
  isCancellation,
  isFatalModelError,
  ModelRequestError,
  postResponses,
  RequestRefusedError,
  type ModelTransport
} from './responses-client.js'

/** The model's hard output cap (GPT-5.1 Codex Mini: 128,000 tokens). */
export const DEFAULT_MAX_OUTPUT_TOKENS_CEILING = 128_000

export interface ReviewChunkOptions {
  readonly transport: ModelTransport
  readonly request: Omit<BuildRequestOptions, 'chunk'>
  readonly chunk: Chunk
  /** The doubled budget after an incomplete answer never exceeds this. */
  readonly maxOutputTokensCeiling?: number
  /** Endpoint that serves the model (models.ts `chooseEndpoint`); default `responses`. */
  readonly endpoint?: ModelEndpoint
}

type ApiAnswer = NonNullable<Extract<ChunkOutcome, { ok: false }>['api']>

/** How the API answered a request that failed: its status, or that nothing answered. */
function describeApiAnswer(error: unknown): ApiAnswer | undefined {
  if (!(error instanceof ModelRequestError)) return undefined
  const status = error.options.status
  return status === undefined ? { unreachable: true } : { status }
}

/** What to do after reading one answer. */
type Step =
  | { readonly kind: 'done'; readonly findings: ReturnType<typeof validateFindingsPayload> }
  | { readonly kind: 'retry-budget' }
  | { readonly kind: 'retry-format'; readonly reason: string }
  | { readonly kind: 'fail'; readonly error: string }

function judge(reading: ResponseReading, chunkId: number): Step {
  if (reading.refusal !== undefined) return { kind: 'fail', error: `model refused: ${reading.refusal}` }
  if (reading.status === 'incomplete') {
    if (reading.incompleteReason === 'max_output_tokens') return { kind: 'retry-budget' }
    return { kind: 'fail', error: `the model stopped early (${reading.incompleteReason ?? 'no reason given'})` }
  }
  if (reading.status === 'failed') {
    return { kind: 'fail', error: `the model failed: ${reading.errorMessage ?? 'no error message'}` }
  }
  if (reading.status !== 'completed') {
    return { kind: 'fail', error: `unexpected response status "${reading.status}"` }
  }
  try {
    return { kind: 'done', findings: validateFindingsPayload(parseFindingsText(reading.text), chunkId) }
  } catch (error: unknown) {
    return { kind: 'retry-format', reason: getErrorMessage(error) }
  }
}

function outOfBudgetMessage(budget: number): string {
  return (
    `the model ran out of output tokens (max_output_tokens ${budget}, reasoning included) ` +
    'before finishing its answer; raise the `max-output-tokens` input, ' +
    'or lower `max-chunk-tokens` so each chunk is smaller'
  )
}

/**
 * Reviews one chunk. Never throws for chunk-level problems (refusal, incomplete or invalid answer,
 * retries exhausted): those come back as `{ ok: false }` with the usage already spent. Rethrows
 * errors that would fail every chunk (401 bad key, 403 no credits / not permitted, exhausted quota;
 * see {@link isFatalModelError}) so the caller can stop the run.
 */
export async function reviewChunk(options: ReviewChunkOptions): Promise<ChunkOutcome> {
  const { transport, chunk } = options
  const ceiling = options.maxOutputTokensCeiling ?? DEFAULT_MAX_OUTPUT_TOKENS_CEILING
  let budget = options.request.maxOutputTokens
  let usage: TokenUsage = ZERO_USAGE
  let attempts = 0
  let billedUsd: number | undefined
  let budgetRetried = false
  let formatRetried = false
  const endpoint = options.endpoint ?? 'responses'
  const fail = (
    error: string,
    details: { failure?: ChunkFailure; api?: ApiAnswer; neededUsd?: number } = {}
  ): ChunkOutcome => ({
    ok: false,
    chunk,
    error,
    usage,
    attempts,
    model: options.request.model,
    ...(billedUsd === undefined ? {} : { billedUsd }),
    ...(details.failure === undefined ? {} : { failure: details.failure }),
    ...(details.api === undefined ? {} : { api: details.api }),
    ...(details.neededUsd === undefined ? {} : { neededUsd: details.neededUsd })
  })

  for (;;) {
    const body = buildResponsesRequest({ ...options.request, maxOutputTokens: budget, chunk })
    let reading: ResponseReading
    try {
      const clientRequestId = `codex-pr-review-chunk-${chunk.id}`
      const reply = await postResponses(transport, body, { clientRequestId, endpoint })
      attempts += reply.attempts
      if (reply.billedUsd !== undefined) billedUsd = (billedUsd ?? 0) + reply.billedUsd
      reading = readEndpointReply(endpoint, reply.json)
    } catch (error: unknown) {
      if (isFatalModelError(error)) throw error
      // Refused before sending (the cost ceiling): nothing was spent, and the reason is a type, not text.
      if (error instanceof RequestRefusedError) {
        return fail(error.message, { failure: error.failure, neededUsd: error.neededUsd })
      }
      if (error instanceof ModelRequestError) {
        attempts += error.attempts
        // Failed attempts can still be billed (e.g. a 5xx after the model started); count them.
        if (error.billedUsd !== undefined) billedUsd = (billedUsd ?? 0) + error.billedUsd
      }
      if (isCancellation(transport, error)) return fail(getErrorMessage(error), { failure: 'cancelled' })
      return fail(getErrorMessage(error), { api: describeApiAnswer(error) })
    }
    usage = addUsage(usage, reading.usage)
    const step = judge(reading, chunk.id)
    if (step.kind === 'done') {
      const review = {
        ...step.findings,
        usage,
        model: options.request.model,
        attempts,
        ...(billedUsd === undefined ? {} : { billedUsd })
      }
      return { ok: true, chunk, review }
    }
    if (step.kind === 'fail') return fail(step.error)
    if (step.kind === 'retry-budget') {
      const doubled = Math.min(budget * 2, ceiling)
      if (budgetRetried || doubled <= budget) return fail(outOfBudgetMessage(budget))
      transport.log?.(`Chunk ${chunk.id}: answer cut off at ${budget} output tokens; retrying with ${doubled}`)
      budgetRetried = true
      budget = doubled
      continue
    }
    if (formatRetried) return fail(`the model's answer was invalid twice: ${step.reason}`)
    transport.log?.(`Chunk ${chunk.id}: invalid answer (${step.reason}); retrying once`)
    formatRetried = true
  }
}
