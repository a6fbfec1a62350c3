/**
 * The HTTP edge of the model adapter: one `POST {baseUrl}/responses` with retries. The caller passes
 * the transport in (base URL, key, dispatcher, clock), so tests point it at a loopback server.
 * Headers and the API key are never logged, and every message is scrubbed of the key.
 */
import { randomUUID } from 'node:crypto'
import { EnvHttpProxyAgent, request, type Dispatcher } from 'undici'
import { ModelError } from '../errors.js'
import type { ChunkFailure } from '../types.js'
import { sleep as realSleep } from '../util/sleep.js'
import { toChatCompletionsRequest, type StructuredRequestBody } from './chat-completions-request.js'
import { endpointPath, type ModelEndpoint } from './models.js'
import { normaliseHeaders, readBilledUsd, readProviderError, readRequestId } from './parse-response.js'
import {
  DEFAULT_MAX_RETRIES,
  decideRetry,
  describeHttpFailure,
  describeTransportError,
  isRetryableTransportError,
  redactSecret,
  shouldRetryHttp,
  type RequestFailure,
  type ResponseHeaders
} from './retry-policy.js'

export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000
/** undici's 300 s default is shorter than a high-effort reasoning call can take before its first byte. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 600_000
export const DEFAULT_BODY_TIMEOUT_MS = 600_000

export interface ModelTimeouts {
  readonly connectMs?: number
  readonly headersMs?: number
  readonly bodyMs?: number
}

/** Everything needed to reach the Responses endpoint. */
export interface ModelTransport {
  /** E.g. `https://api.aimlapi.com/v1`; `/responses` is appended. */
  readonly baseUrl: string
  readonly apiKey: string
  /** Defaults to an `EnvHttpProxyAgent` (honours HTTPS_PROXY / NO_PROXY) with {@link timeouts}. */
  readonly dispatcher?: Dispatcher
  readonly timeouts?: ModelTimeouts
  readonly sleep?: (ms: number) => Promise<void>
  /** In [0, 1), for backoff jitter. */
  readonly random?: () => number
  /** Epoch ms, for HTTP-date `retry-after`. */
  readonly now?: () => number
  /** Retries after the first attempt; default {@link DEFAULT_MAX_RETRIES}. */
  readonly maxRetries?: number
  /** Receives retry decisions; never headers, keys or bodies. */
  readonly log?: (message: string) => void
  /** Cancels the request in flight and stops retries when it aborts (the run's time budget). */
  readonly signal?: AbortSignal
  /**
   * Awaited once per call before the first attempt (the token-rate limiter, the cost ceiling); may throw to
   * cancel the call: a {@link RequestRefusedError} says why in a way the chunk's outcome keeps.
   */
  readonly beforeRequest?: (body: StructuredRequestBody) => Promise<void>
  /**
   * Called once per call that `beforeRequest` let through, after its last attempt, whether it succeeded or not:
   * what came back and what the provider billed, so a caller can account for the real spending (the cost ceiling).
   */
  readonly afterRequest?: (reply: RequestReply) => void
}

/** What one call sent and got back, for {@link ModelTransport.afterRequest}. */
export interface RequestReply {
  readonly body: StructuredRequestBody
  readonly endpoint: ModelEndpoint
  /** The parsed body of a 2xx answer; absent when the call failed. */
  readonly json?: unknown
  /** Sum of `x-aimlapi-usd-spent` over the call's attempts that carried it. */
  readonly billedUsd?: number
}

/**
 * A `beforeRequest` hook refused to send the request, so nothing reached the model. `failure` is the typed
 * reason the chunk's outcome carries (e.g. `cost-ceiling`); never fatal to the run.
 */
export class RequestRefusedError extends ModelError {
  readonly failure: ChunkFailure
  /** For a cost refusal: the estimated dollars the request would have needed. */
  readonly neededUsd?: number
  constructor(message: string, details: { readonly failure: ChunkFailure; readonly neededUsd?: number }) {
    super(message, { retryable: false })
    this.failure = details.failure
    if (details.neededUsd !== undefined) this.neededUsd = details.neededUsd
  }
}

export interface PostResponsesResult {
  readonly json: unknown
  /** Sum of `x-aimlapi-usd-spent` over all attempts that carried it. */
  readonly billedUsd?: number
  /** `x-request-id` (OpenAI) or `x-inference-id` (AI/ML API) of the successful attempt. */
  readonly requestId?: string
  /** HTTP requests made, retries included. */
  readonly attempts: number
}

/** A request that could not be completed; carries what the attempts cost. */
export class ModelRequestError extends ModelError {
  readonly attempts: number
  readonly billedUsd?: number
  /** The last attempt was cancelled by the transport's signal (the caller's time budget), not refused or lost. */
  readonly cancelled: boolean
  constructor(
    message: string,
    details: {
      status?: number
      retryable: boolean
      requestId?: string
      attempts: number
      billedUsd?: number
      cancelled?: boolean
    }
  ) {
    const { attempts, billedUsd, cancelled, ...options } = details
    super(message, options)
    this.attempts = attempts
    this.cancelled = cancelled === true
    if (billedUsd !== undefined) this.billedUsd = billedUsd
  }
}

/** True when `error` is the transport's signal aborting the call (the caller cancelled it), whatever wraps it. */
export function isCancellation(transport: Pick<ModelTransport, 'signal'>, error: unknown): boolean {
  const { signal } = transport
  if (signal?.aborted !== true) return false
  return error === signal.reason || (error instanceof ModelRequestError && error.cancelled)
}

/**
 * Errors after which no other chunk can succeed either, so the run should stop: a rejected key
 * (401), a refused account (403, e.g. out of credits) or an exhausted quota (429 not retried).
 */
export function isFatalModelError(error: unknown): error is ModelError {
  if (!(error instanceof ModelError)) return false
  const status = error.options.status
  return status === 401 || status === 403 || (status === 429 && !error.options.retryable)
}

/** Builds the proxy-aware default dispatcher with timeouts sized for long reasoning calls. */
export function createModelDispatcher(timeouts: ModelTimeouts = {}): Dispatcher {
  return new EnvHttpProxyAgent({
    connectTimeout: timeouts.connectMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    headersTimeout: timeouts.headersMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
    bodyTimeout: timeouts.bodyMs ?? DEFAULT_BODY_TIMEOUT_MS
  })
}

// One default dispatcher per transport object, so its sockets are reused across chunks.
const defaultDispatchers = new WeakMap<ModelTransport, Dispatcher>()

function getDispatcher(transport: ModelTransport): Dispatcher {
  if (transport.dispatcher !== undefined) return transport.dispatcher
  let dispatcher = defaultDispatchers.get(transport)
  if (dispatcher === undefined) {
    dispatcher = createModelDispatcher(transport.timeouts)
    defaultDispatchers.set(transport, dispatcher)
  }
  return dispatcher
}

/**
 * The transport with its dispatcher made explicit: copies made from it (to add hooks per chunk) then share one
 * dispatcher and its sockets, instead of each getting a default one of its own that nobody closes.
 */
export function withDispatcher(transport: ModelTransport): ModelTransport {
  return transport.dispatcher === undefined ? { ...transport, dispatcher: getDispatcher(transport) } : transport
}

/** `X-Client-Request-Id` allows 1–128 of `[A-Za-z0-9._:-]`; anything else is dropped by the provider. */
export function sanitiseClientRequestId(id: string): string {
  const cleaned = id.replace(/[^A-Za-z0-9._:-]/g, '').slice(0, 128)
  return cleaned === '' ? randomUUID() : cleaned
}

/** `{baseUrl}/responses` (or another `path`), tolerating trailing slashes; a ModelError naming `base-url` when unusable. */
export function buildResponsesUrl(baseUrl: string, path = '/responses'): string {
  const url = `${baseUrl.trim().replace(/\/+$/, '')}${path}`
  if (!URL.canParse(url)) throw new ModelError('The `base-url` input is not a valid URL.')
  return url
}

type Attempt =
  | { readonly kind: 'answer'; readonly status: number; readonly headers: ResponseHeaders; readonly text: string }
  | { readonly kind: 'transport'; readonly error: unknown }

async function sendOnce(
  transport: ModelTransport,
  url: string,
  payload: string,
  clientRequestId: string
): Promise<Attempt> {
  try {
    const response = await request(url, {
      method: 'POST',
      dispatcher: getDispatcher(transport),
      headers: {
        authorization: `Bearer ${transport.apiKey}`,
        'content-type': 'application/json',
        accept: 'application/json',
        'x-client-request-id': clientRequestId
      },
      body: payload,
      // Per request too, so the limits hold whichever dispatcher the caller passed.
      headersTimeout: transport.timeouts?.headersMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
      bodyTimeout: transport.timeouts?.bodyMs ?? DEFAULT_BODY_TIMEOUT_MS,
      ...(transport.signal === undefined ? {} : { signal: transport.signal })
    })
    const text = await response.body.text()
    return { kind: 'answer', status: response.statusCode, headers: normaliseHeaders(response.headers), text }
  } catch (error: unknown) {
    return { kind: 'transport', error }
  }
}

/** What every error of one call carries besides its message. */
interface CallContext {
  readonly attempts: number
  readonly billedUsd: number | undefined
  readonly redact: (text: string) => string
  readonly cancelled?: boolean
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
}

/**
 * POSTs `body` to `{baseUrl}/responses`, or in its chat-completions form to `{baseUrl}/chat/completions`
 * when `options.endpoint` says so, retrying per retry-policy.ts. Resolves with the parsed JSON
 * of a 2xx answer; throws {@link ModelRequestError} (a ModelError) with the provider's message when
 * the request is refused or retries run out.
 */
export async function postResponses(
  transport: ModelTransport,
  body: StructuredRequestBody,
  options: { readonly clientRequestId?: string; readonly endpoint?: ModelEndpoint } = {}
): Promise<PostResponsesResult> {
  const endpoint = options.endpoint ?? 'responses'
  const url = buildResponsesUrl(transport.baseUrl, endpointPath(endpoint))
  const payload = JSON.stringify(endpoint === 'chat-completions' ? toChatCompletionsRequest(body) : body)
  const clientRequestId = sanitiseClientRequestId(options.clientRequestId ?? `codex-pr-review-${randomUUID()}`)
  const redact = (text: string): string => redactSecret(text, transport.apiKey)
  let billedUsd: number | undefined
  let json: unknown
  await transport.beforeRequest?.(body)
  try {
    return await attemptUntilDone()
  } finally {
    transport.afterRequest?.({ body, endpoint, ...optional('json', json), ...optional('billedUsd', billedUsd) })
  }

  async function attemptUntilDone(): Promise<PostResponsesResult> {
    for (let attempts = 1; ; attempts += 1) {
      const attempt = await sendOnce(transport, url, payload, clientRequestId)
      if (attempt.kind === 'answer') {
        const spent = readBilledUsd(attempt.headers)
        if (spent !== undefined) billedUsd = (billedUsd ?? 0) + spent
      }
      const context: CallContext = { attempts, billedUsd, redact }
      if (attempt.kind === 'answer' && attempt.status >= 200 && attempt.status < 300) {
        json = parseSuccessBody(attempt, context)
        const requestId = readRequestId(attempt.headers)
        return { json, attempts, ...optional('billedUsd', billedUsd), ...optional('requestId', requestId) }
      }
      const failure = toFailure(attempt)
      // Once the signal aborted (time budget spent), every further attempt would be cancelled too.
      const decision =
        transport.signal?.aborted === true
          ? ({ retry: false } as const)
          : decideRetry(failure, {
              retriesDone: attempts - 1,
              maxRetries: transport.maxRetries ?? DEFAULT_MAX_RETRIES,
              random: transport.random ?? Math.random,
              now: transport.now ?? Date.now
            })
      if (!decision.retry) {
        const cancelled = attempt.kind === 'transport' && isCancellation(transport, attempt.error)
        throw createFailureError(attempt, failure, { ...context, cancelled })
      }
      const seconds = (decision.delayMs / 1000).toFixed(1)
      const summary = describeAttempt(attempt).summary
      transport.log?.(redact(`Model API attempt ${attempts} failed: ${summary}; retrying in ${seconds} s`))
      await (transport.sleep ?? realSleep)(decision.delayMs)
    }
  }
}

function parseSuccessBody(attempt: Extract<Attempt, { kind: 'answer' }>, context: CallContext): unknown {
  try {
    return JSON.parse(attempt.text)
  } catch {
    const provider = readProviderError(attempt.text, attempt.status)
    const message = `Model API answered HTTP ${attempt.status} with a body that is not JSON: ${provider.message}`
    throw new ModelRequestError(context.redact(message), {
      status: attempt.status,
      retryable: false,
      attempts: context.attempts,
      ...optional('requestId', readRequestId(attempt.headers)),
      ...optional('billedUsd', context.billedUsd)
    })
  }
}

function toFailure(attempt: Attempt): RequestFailure {
  if (attempt.kind === 'transport') return { kind: 'transport', error: attempt.error }
  const code = readProviderError(attempt.text, attempt.status).code
  return { kind: 'http', status: attempt.status, headers: attempt.headers, ...optional('errorCode', code) }
}

/** `retryable` says whether the failure was transient (retries ran out), not whether to try again now. */
function createFailureError(attempt: Attempt, failure: RequestFailure, context: CallContext): ModelRequestError {
  const described = describeAttempt(attempt)
  const retryable = failure.kind === 'transport' ? isRetryableTransportError(failure.error) : shouldRetryHttp(failure)
  const message = context.attempts > 1 ? `${described.message} (after ${context.attempts} attempts)` : described.message
  return new ModelRequestError(context.redact(message), {
    ...described.details,
    retryable,
    attempts: context.attempts,
    ...optional('billedUsd', context.billedUsd),
    ...(context.cancelled === true ? { cancelled: true } : {})
  })
}

function describeAttempt(attempt: Attempt): {
  message: string
  summary: string
  details: { status?: number; requestId?: string }
} {
  if (attempt.kind === 'transport') {
    const summary = describeTransportError(attempt.error)
    return { message: `Model API request failed: ${summary}`, summary, details: {} }
  }
  const provider = readProviderError(attempt.text, attempt.status)
  const requestId = readRequestId(attempt.headers) ?? provider.requestId
  const described = describeHttpFailure({ status: attempt.status, provider, ...optional('requestId', requestId) })
  return { ...described, details: { status: attempt.status, ...optional('requestId', requestId) } }
}
