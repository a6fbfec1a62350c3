/**
 * When to retry a Responses API call and how long to wait: the openai-node policy (retry connection
 * errors, timeouts, 408, 409, 429 and 5xx; obey `x-should-retry`, `retry-after-ms`, `retry-after`;
 * otherwise exponential backoff with jitter), plus "no retry" for an exhausted quota. Pure.
 */

/** Retries after the first attempt (openai-node uses 2; review runs are long and unattended). */
export const DEFAULT_MAX_RETRIES = 4
/** Longest wait we accept from a server's retry-after headers. */
export const MAX_RETRY_DELAY_MS = 60_000
const INITIAL_BACKOFF_MS = 500
const MAX_BACKOFF_MS = 8_000
/** Each computed wait is shortened by up to this fraction so parallel chunks do not retry in lockstep. */
const JITTER_FRACTION = 0.25

/** Response headers with lower-case names, arrays already joined. */
export type ResponseHeaders = Readonly<Record<string, string | undefined>>

/** An HTTP answer that was not a success. */
export interface HttpFailure {
  readonly kind: 'http'
  readonly status: number
  readonly headers: ResponseHeaders
  /** Provider error code from the body, e.g. OpenAI's `insufficient_quota`. */
  readonly errorCode?: string
}

/** No HTTP answer at all: refused, reset, timed out. */
export interface TransportFailure {
  readonly kind: 'transport'
  readonly error: unknown
}

export type RequestFailure = HttpFailure | TransportFailure

export interface RetryContext {
  /** Retries already made (0 after the first attempt). */
  readonly retriesDone: number
  readonly maxRetries: number
  /** In [0, 1). */
  readonly random: () => number
  /** Epoch ms, for HTTP-date `retry-after`. */
  readonly now: () => number
}

export type RetryDecision = { readonly retry: true; readonly delayMs: number } | { readonly retry: false }

/** Statuses that are worth another try: timeouts, lock conflicts, rate limits, server trouble. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500
}

/** Errors that come from our own arguments, not from the network: retrying would fail the same way. */
const PROGRAMMING_ERROR_CODES = new Set([
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
  'UND_ERR_ABORTED',
  'ERR_INVALID_URL',
  'ERR_INVALID_ARG_TYPE'
])

/** Connection refused/reset, socket closed, DNS hiccup, connect/headers/body timeout: retry. */
export function isRetryableTransportError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined
  if (code !== undefined) return !PROGRAMMING_ERROR_CODES.has(code)
  return !(error instanceof TypeError || error instanceof RangeError)
}

/** Whether an HTTP failure should be retried at all, ignoring the retry count. */
export function shouldRetryHttp(failure: HttpFailure): boolean {
  const hint = failure.headers['x-should-retry']?.trim().toLowerCase()
  if (hint === 'true') return true
  if (hint === 'false') return false
  // An exhausted quota does not refill in seconds: fail now with the provider's message.
  if (failure.status === 429 && failure.errorCode === 'insufficient_quota') return false
  return isRetryableStatus(failure.status)
}

/** `min(0.5 · 2^n, 8) s × (1 − rand·0.25)` for the n-th retry (0-based). */
export function computeBackoffMs(retriesDone: number, random: () => number): number {
  const base = Math.min(INITIAL_BACKOFF_MS * 2 ** retriesDone, MAX_BACKOFF_MS)
  return Math.round(base * (1 - random() * JITTER_FRACTION))
}

const NUMERIC = /^\s*\d+(\.\d+)?\s*$/

/**
 * The wait the server asked for: `retry-after-ms` first, then `retry-after` in seconds or as an
 * HTTP date; capped at {@link MAX_RETRY_DELAY_MS}. Undefined when absent or unreadable.
 */
export function readRetryAfterMs(headers: ResponseHeaders, now: () => number): number | undefined {
  const milliseconds = headers['retry-after-ms']
  if (milliseconds !== undefined && NUMERIC.test(milliseconds)) {
    return Math.min(Number(milliseconds), MAX_RETRY_DELAY_MS)
  }
  const value = headers['retry-after']
  if (value === undefined) return undefined
  if (NUMERIC.test(value)) return Math.min(Number(value) * 1000, MAX_RETRY_DELAY_MS)
  const date = Date.parse(value)
  if (Number.isNaN(date)) return undefined
  return Math.min(Math.max(date - now(), 0), MAX_RETRY_DELAY_MS)
}

/** Decides whether to try again after a failed attempt, and after how long. */
export function decideRetry(failure: RequestFailure, context: RetryContext): RetryDecision {
  if (context.retriesDone >= context.maxRetries) return { retry: false }
  if (failure.kind === 'transport') {
    if (!isRetryableTransportError(failure.error)) return { retry: false }
    return { retry: true, delayMs: computeBackoffMs(context.retriesDone, context.random) }
  }
  if (!shouldRetryHttp(failure)) return { retry: false }
  const requested = readRetryAfterMs(failure.headers, context.now)
  return { retry: true, delayMs: requested ?? computeBackoffMs(context.retriesDone, context.random) }
}

/** What a provider error body said, as read by parse-response.ts. */
export interface ProviderErrorSummary {
  readonly message: string
  readonly code?: string
  readonly param?: string
}

/** What the user should do about a status we do not retry. */
function hintFor(status: number, code: string | undefined): string | undefined {
  switch (status) {
    case 401:
      return 'Check the `api-key` input and the secret it reads: the key is missing, invalid or revoked.'
    case 403:
      return 'The account may be out of credits, or the key may not be permitted to use this model or endpoint.'
    case 400:
    case 422:
      return 'The provider rejected the request; this is often an unsupported parameter or model (check `model`).'
    case 404:
      return 'Check the `base-url` input (it should end in /v1) and the `model` input.'
    case 429:
      return code === 'insufficient_quota'
        ? 'The account has no quota left; add credits or raise the limit.'
        : undefined
    default:
      return undefined
  }
}

/**
 * Describes an HTTP failure with the provider's own message, status, code, request id and, for
 * statuses we do not retry, what to fix. `summary` is the short form for retry logs.
 */
export function describeHttpFailure(options: {
  readonly status: number
  readonly provider: ProviderErrorSummary
  readonly requestId?: string
}): { message: string; summary: string } {
  const { status, provider, requestId } = options
  const details = [provider.code, provider.param === undefined ? undefined : `param ${provider.param}`]
    .filter((part): part is string => part !== undefined)
    .join(', ')
  const summary = `HTTP ${status}: ${provider.message}${details === '' ? '' : ` (${details})`}`
  const hint = hintFor(status, provider.code)
  const id = requestId === undefined ? '' : ` [request id ${requestId}]`
  return { message: `Model API returned ${summary}.${hint === undefined ? '' : ` ${hint}`}${id}`, summary }
}

/** "Headers Timeout Error (UND_ERR_HEADERS_TIMEOUT)", "connect ECONNREFUSED ... (ECONNREFUSED)". */
export function describeTransportError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined
  return code === undefined || error.message.includes(code) ? error.message : `${error.message} (${code})`
}

/** Shortest key we scrub; shorter "keys" would mangle ordinary words and are not secrets anyway. */
const MIN_SECRET_LENGTH = 4

/** Replaces every occurrence of `secret` (providers sometimes echo the key they rejected). */
export function redactSecret(text: string, secret: string): string {
  if (secret.length < MIN_SECRET_LENGTH) return text
  return text.split(secret).join('***')
}
