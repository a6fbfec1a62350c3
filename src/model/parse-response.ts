/**
 * Reads Responses API bodies at the edge: the response object (status, text, refusal, usage) and
 * error bodies in both shapes we meet (OpenAI's `{error:{...}}`, the AI/ML API's flat `{message, ...}`).
 */
import type { IncomingHttpHeaders } from 'node:http'
import type { TokenUsage } from '../types.js'
import type { ResponseHeaders } from './retry-policy.js'
import { child, isObject, type JsonObject, readCount, readString } from './json-read.js'

/** Longest provider message we repeat; error pages can be whole HTML documents. */
const MAX_PROVIDER_MESSAGE_CHARS = 500

export interface ResponseReading {
  /** `completed`, `incomplete`, `failed`, ... as the provider said. */
  readonly status: string
  /** Concatenated `output_text` parts of the message items. */
  readonly text: string
  readonly refusal?: string
  /** `incomplete_details.reason`, e.g. `max_output_tokens` or `content_filter`. */
  readonly incompleteReason?: string
  readonly usage: TokenUsage
  /** Model id the provider echoed. */
  readonly model?: string
  /** `error.message` of a failed response. */
  readonly errorMessage?: string
}

/** Missing fields count as 0: some proxies omit the details objects. */
export function readUsage(value: unknown): TokenUsage {
  const usage = isObject(value) ? value : undefined
  return {
    inputTokens: readCount(usage, 'input_tokens'),
    cachedInputTokens: readCount(child(usage, 'input_tokens_details'), 'cached_tokens'),
    outputTokens: readCount(usage, 'output_tokens'),
    reasoningTokens: readCount(child(usage, 'output_tokens_details'), 'reasoning_tokens')
  }
}

function optionalList(value: unknown): string[] {
  return typeof value === 'string' ? [value] : []
}

/** Text and refusals of every `message` item; a `reasoning` item usually comes first. */
function readMessages(output: unknown): { found: boolean; text: string; refusals: string[] } {
  const items = Array.isArray(output) ? output.filter(isObject) : []
  const messages = items.filter((item) => item.type === 'message')
  const parts = messages.flatMap((message) => (Array.isArray(message.content) ? message.content.filter(isObject) : []))
  const texts = parts.flatMap((part) => (part.type === 'output_text' ? optionalList(part.text) : []))
  const refusals = parts.flatMap((part) => (part.type === 'refusal' ? optionalList(part.refusal) : []))
  return { found: messages.length > 0, text: texts.join(''), refusals }
}

/**
 * Reads a Responses API response object. Throws when the body is not an object at all.
 * A missing `status` is read as `completed` when there is an answer, else `unknown`.
 */
export function readResponse(json: unknown): ResponseReading {
  if (!isObject(json)) throw new Error('the model API answered with something that is not a response object')
  const messages = readMessages(json.output)
  const topLevelText = readString(json, 'output_text')
  const text = messages.found ? messages.text : (topLevelText ?? '')
  const hasAnswer = messages.found || topLevelText !== undefined
  const status = readString(json, 'status') ?? (hasAnswer ? 'completed' : 'unknown')
  const refusal = messages.refusals.length > 0 ? messages.refusals.join('\n') : undefined
  const incompleteReason = readString(child(json, 'incomplete_details'), 'reason')
  const errorMessage = readString(child(json, 'error'), 'message')
  const model = readString(json, 'model')
  return {
    status,
    text,
    usage: readUsage(json.usage),
    ...(refusal === undefined ? {} : { refusal }),
    ...(incompleteReason === undefined ? {} : { incompleteReason }),
    ...(model === undefined ? {} : { model }),
    ...(errorMessage === undefined ? {} : { errorMessage })
  }
}

const FENCED = /^```[\w-]*[ \t]*\r?\n([\s\S]*?)\r?\n?```$/

/**
 * Parses the model's answer text as JSON, tolerating one surrounding ```json fence (some proxies
 * ignore strict mode). Throws an Error saying why when it is not JSON.
 */
export function parseFindingsText(text: string): unknown {
  const trimmed = text.trim()
  if (trimmed === '') throw new Error('the model returned no answer text')
  const fenced = FENCED.exec(trimmed)
  const candidate = fenced?.[1] ?? trimmed
  try {
    return JSON.parse(candidate)
  } catch (error: unknown) {
    // V8 quotes part of the text in its message; keep the position, never the content.
    const reason = error instanceof Error && !error.message.includes('"') ? ` (${error.message})` : ''
    // No `cause`: the parser's own error quotes the model's text, which must not reach a log.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(`the model's answer (${candidate.length} characters) is not valid JSON${reason}`)
  }
}

/** What an error body told us. */
export interface ProviderError {
  readonly message: string
  readonly code?: string
  readonly type?: string
  readonly param?: string
  /** The AI/ML API puts its request id in the body. */
  readonly requestId?: string
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim()
  return oneLine.length <= MAX_PROVIDER_MESSAGE_CHARS ? oneLine : `${oneLine.slice(0, MAX_PROVIDER_MESSAGE_CHARS)}...`
}

function readCode(object: JsonObject | undefined): string | undefined {
  const code = object?.code
  if (typeof code === 'string') return code
  return typeof code === 'number' ? String(code) : undefined
}

/**
 * Reads an error body: OpenAI `{error:{message,type,param,code}}`, AI/ML API
 * `{message, statusCode, path, requestId, timestamp}`, or plain text. `message` is never empty.
 */
export function readProviderError(bodyText: string, status: number): ProviderError {
  let json: unknown
  try {
    json = JSON.parse(bodyText)
  } catch {
    json = undefined
  }
  const fallback = bodyText.trim() === '' ? `HTTP ${status} with an empty body` : clip(bodyText)
  if (!isObject(json)) return { message: fallback }
  const nested = child(json, 'error')
  const source = nested ?? json
  const message = clip(readString(source, 'message') ?? readString(json, 'error') ?? '')
  const code = readCode(source)
  const type = readString(source, 'type')
  const param = readString(source, 'param')
  const requestId = readString(json, 'requestId') ?? readString(json, 'request_id')
  return {
    message: message === '' ? fallback : message,
    ...(code === undefined ? {} : { code }),
    ...(type === undefined ? {} : { type }),
    ...(param === undefined ? {} : { param }),
    ...(requestId === undefined ? {} : { requestId })
  }
}

/** Lower-case names, repeated headers joined: what retry-policy.ts reads. */
export function normaliseHeaders(headers: IncomingHttpHeaders): ResponseHeaders {
  const entries = Object.entries(headers).map(([name, value]) => [
    name.toLowerCase(),
    Array.isArray(value) ? value.join(', ') : value
  ])
  return Object.fromEntries(entries) as ResponseHeaders
}

/** Dollars the AI/ML API billed for this call (`x-aimlapi-usd-spent`), when present and finite. */
export function readBilledUsd(headers: ResponseHeaders): number | undefined {
  const value = headers['x-aimlapi-usd-spent']
  if (value === undefined || value.trim() === '') return undefined
  const amount = Number(value)
  return Number.isFinite(amount) ? amount : undefined
}

/** `x-request-id` (OpenAI) or `x-inference-id` (AI/ML API). */
export function readRequestId(headers: ResponseHeaders): string | undefined {
  return headers['x-request-id'] ?? headers['x-inference-id']
}
