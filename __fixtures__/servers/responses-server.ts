/**
 * A loopback HTTP server that answers like `POST https://api.aimlapi.com/v1/responses` and
 * `POST .../v1/chat/completions` (chat-completions-shapes.ts): bearer auth,
 * the AI/ML API's body validation and error shape, and Responses API bodies. Tests script replies
 * per request (status, headers, body, delay, hang, dropped socket) and read what was sent.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CHAT_COMPLETIONS_PATH, chatCompletionResponse, findChatBodyProblem } from './chat-completions-shapes.js'

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  /** Parsed JSON, or the raw text when it was not JSON. */
  body: unknown
}

export interface ScriptedReply {
  status?: number
  headers?: Record<string, string>
  /** An object is sent as JSON; a string as-is. */
  body?: unknown
  delayMs?: number
  /** Never answer (the client's timeout must fire). */
  hang?: boolean
  /** Drop the connection without answering. */
  destroySocket?: boolean
}

/** `index` counts the requests this handler has answered, from 0 (reset by `setHandler`). */
export type ResponsesHandler = (request: RecordedRequest, index: number) => ScriptedReply | Promise<ScriptedReply>

export interface ResponsesServer {
  /** `http://127.0.0.1:<port>/v1`, like the real base URL. */
  baseUrl: string
  requests: RecordedRequest[]
  setHandler(handler: ResponsesHandler): void
  close(): Promise<void>
}

export interface UsageOptions {
  input_tokens?: number
  cached_tokens?: number
  output_tokens?: number
  reasoning_tokens?: number
}

const RESPONSES_PATH = '/v1/responses'
/** Top-level fields of the AI/ML API's gpt-5-1-codex-mini Responses schema; anything else is a 400. */
const ALLOWED_FIELDS = new Set([
  'model',
  'input',
  'background',
  'instructions',
  'include',
  'max_output_tokens',
  'previous_response_id',
  'prompt',
  'store',
  'stream',
  'text',
  'truncation',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'reasoning'
])
const EFFORTS = new Set(['low', 'medium', 'high'])
const MIN_OUTPUT_TOKENS = 16

const id = (prefix: string): string => `${prefix}_${randomBytes(12).toString('hex')}`

function buildUsage(usage: UsageOptions = {}): object {
  const input = usage.input_tokens ?? 1200
  const output = usage.output_tokens ?? 300
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage.cached_tokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage.reasoning_tokens ?? 200 },
    total_tokens: input + output
  }
}

interface ResponseParts {
  status: string
  output: object[]
  usage?: UsageOptions
  model?: string
  extra?: object
}

function buildResponse(options: ResponseParts): object {
  return {
    id: id('resp'),
    object: 'response',
    created_at: 1_767_225_600,
    status: options.status,
    background: false,
    error: null,
    incomplete_details: null,
    model: options.model ?? 'gpt-5.1-codex-mini',
    output: options.output,
    parallel_tool_calls: true,
    reasoning: { effort: 'medium', summary: null },
    store: false,
    text: { format: { type: 'json_schema', name: 'code_review_findings', strict: true }, verbosity: 'medium' },
    usage: buildUsage(options.usage),
    ...options.extra
  }
}

const reasoningItem = (): object => ({ id: id('rs'), type: 'reasoning', summary: [] })

const messageItem = (content: object[], status = 'completed'): object => ({
  id: id('msg'),
  type: 'message',
  status,
  role: 'assistant',
  content
})

const outputText = (text: string): object => ({ type: 'output_text', annotations: [], logprobs: [], text })

/** A completed response: reasoning item, then the message, plus top-level `output_text` like the AI/ML API. */
export function completedResponse(options: { text: string; model?: string; usage?: UsageOptions }): object {
  return buildResponse({
    status: 'completed',
    output: [reasoningItem(), messageItem([outputText(options.text)])],
    ...(options.usage === undefined ? {} : { usage: options.usage }),
    ...(options.model === undefined ? {} : { model: options.model }),
    extra: { output_text: options.text }
  })
}

/** Cut off: by default out of output tokens while reasoning, with no message item at all. */
export function incompleteResponse(
  options: { reason?: 'max_output_tokens' | 'content_filter'; text?: string; usage?: UsageOptions } = {}
): object {
  const partial = options.text === undefined ? [] : [messageItem([outputText(options.text)], 'incomplete')]
  const output = [reasoningItem(), ...partial]
  return buildResponse({
    status: 'incomplete',
    output,
    ...(options.usage === undefined ? {} : { usage: options.usage }),
    extra: { incomplete_details: { reason: options.reason ?? 'max_output_tokens' } }
  })
}

/** What a findings answer may carry besides the findings: the schema's judgement fields, any of them left out. */
export interface FindingsPayload {
  overview: string
  findings: unknown[]
  risk?: string
  verdict?: string
  verdict_reason?: string
  verdict_confidence?: number
}

/** The verdict of an answer with nothing to report, as the model gives it. */
export const SAFE_VERDICT = Object.freeze({
  verdict: 'correct',
  verdict_reason: 'Nothing in this part breaks existing behaviour.',
  verdict_confidence: 0.8
})

/** A completed response whose text is the findings JSON. */
export function findingsResponse(payload: FindingsPayload, usage?: UsageOptions): object {
  return completedResponse({ text: JSON.stringify(payload), ...(usage === undefined ? {} : { usage }) })
}

export function refusalResponse(refusal: string): object {
  return buildResponse({ status: 'completed', output: [reasoningItem(), messageItem([{ type: 'refusal', refusal }])] })
}

export function failedResponse(message: string, code = 'server_error'): object {
  return buildResponse({ status: 'failed', output: [], extra: { error: { code, message } } })
}

/** OpenAI's error shape. */
export function openAiError(
  status: number,
  message: string,
  code: string | null = null,
  type = 'invalid_request_error',
  param: string | null = null
): ScriptedReply {
  return { status, headers: { 'x-request-id': id('req') }, body: { error: { message, type, param, code } } }
}

/** The AI/ML API's error shape; `path` is the endpoint that was called. */
export function aimlApiError(status: number, message: string, path = RESPONSES_PATH): ScriptedReply {
  return {
    status,
    body: {
      message,
      path,
      requestId: id('aiml'),
      statusCode: status,
      timestamp: new Date(0).toISOString()
    }
  }
}

/** Why the AI/ML API would reject this body, or undefined. */
export function findBodyProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'Body validation error! Expected an object'
  }
  const record = body as Record<string, unknown>
  const unknown = Object.keys(record).filter((key) => !ALLOWED_FIELDS.has(key))
  if (unknown.length > 0) {
    return `Body validation error! Unrecognized key(s) in object: ${unknown.map((key) => `'${key}'`).join(', ')}`
  }
  if (typeof record.model !== 'string') return 'Body validation error! model: Required'
  if (record.input === undefined) return 'Body validation error! input: Required'
  const max = record.max_output_tokens
  if (max !== undefined && (typeof max !== 'number' || max < MIN_OUTPUT_TOKENS)) {
    return `Body validation error! max_output_tokens: Number must be greater than or equal to ${MIN_OUTPUT_TOKENS}`
  }
  const reasoning = record.reasoning as { effort?: unknown } | undefined
  if (reasoning?.effort !== undefined && !EFFORTS.has(String(reasoning.effort))) {
    return "Body validation error! reasoning.effort: Invalid enum value. Expected 'low' | 'medium' | 'high'"
  }
  return undefined
}

/**
 * Authenticates (any bearer key, or exactly `apiKey`), validates, and answers with no findings. The answer
 * has no verdict unless `verdict` is set ({@link SAFE_VERDICT}): by default it stands for a provider that
 * leaves the judgement fields out, which every test using this handler then shows to be tolerated.
 */
export function createDefaultHandler(options: { apiKey?: string; verdict?: boolean } = {}): ResponsesHandler {
  return (request) => {
    const match = /^Bearer (\S+)$/.exec(String(request.headers.authorization ?? ''))
    if (match === null || (options.apiKey !== undefined && match[1] !== options.apiKey)) {
      return aimlApiError(401, 'This request requires a valid API key. Provide it in the Authorization header.')
    }
    const chat = request.path === CHAT_COMPLETIONS_PATH
    const problem = chat ? findChatBodyProblem(request.body) : findBodyProblem(request.body)
    if (problem !== undefined) return aimlApiError(400, problem, request.path)
    return {
      headers: { 'x-inference-id': id('inf') },
      body: answerWith(request, {
        overview: 'The change looks safe.',
        findings: [],
        ...(options.verdict === true ? SAFE_VERDICT : {})
      })
    }
  }
}

/**
 * A completed answer carrying `payload` as its JSON text, shaped for the endpoint the request called:
 * a Responses object for `/responses`, a `chat.completion` for `/chat/completions`.
 */
export function answerWith(request: RecordedRequest, payload: unknown, usage: UsageOptions = {}): object {
  const text = JSON.stringify(payload)
  if (request.path !== CHAT_COMPLETIONS_PATH) return completedResponse({ text, usage })
  const chatUsage = {
    ...(usage.input_tokens === undefined ? {} : { prompt_tokens: usage.input_tokens }),
    ...(usage.cached_tokens === undefined ? {} : { cached_tokens: usage.cached_tokens }),
    ...(usage.output_tokens === undefined ? {} : { completion_tokens: usage.output_tokens }),
    ...(usage.reasoning_tokens === undefined ? {} : { reasoning_tokens: usage.reasoning_tokens })
  }
  return chatCompletionResponse({ text, usage: chatUsage })
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = []
  for await (const part of request) parts.push(part as Buffer)
  const text = Buffer.concat(parts).toString('utf8')
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function send(response: ServerResponse, reply: ScriptedReply): void {
  const isText = typeof reply.body === 'string'
  const payload = reply.body === undefined ? '' : isText ? (reply.body as string) : JSON.stringify(reply.body)
  const contentType = isText ? 'text/plain; charset=utf-8' : 'application/json'
  response.writeHead(reply.status ?? 200, { 'content-type': contentType, ...reply.headers })
  response.end(payload)
}

/** Starts the server on 127.0.0.1, a free port. */
export async function startResponsesServer(handler?: ResponsesHandler): Promise<ResponsesServer> {
  let current: ResponsesHandler = handler ?? createDefaultHandler()
  let handled = 0
  const requests: RecordedRequest[] = []
  const timers = new Set<NodeJS.Timeout>()

  const server = createServer((request, response) => {
    void (async () => {
      const recorded: RecordedRequest = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: await readBody(request)
      }
      requests.push(recorded)
      if (recorded.method !== 'POST' || (recorded.path !== RESPONSES_PATH && recorded.path !== CHAT_COMPLETIONS_PATH)) {
        send(response, aimlApiError(404, `Cannot ${recorded.method} ${recorded.path}`))
        return
      }
      let reply: ScriptedReply
      try {
        reply = await current(recorded, handled++)
      } catch (error: unknown) {
        reply = aimlApiError(500, `test handler threw: ${error instanceof Error ? error.message : String(error)}`)
      }
      if (reply.destroySocket === true) {
        request.socket.destroy()
        return
      }
      if (reply.hang === true) return
      if (reply.delayMs === undefined) return send(response, reply)
      const timer = setTimeout(() => {
        timers.delete(timer)
        send(response, reply)
      }, reply.delayMs)
      timers.add(timer)
    })()
  })

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    setHandler(next) {
      current = next
      handled = 0
    },
    async close() {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      // Hanging requests keep their sockets open; without this close() would wait for them forever.
      server.closeAllConnections()
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
    }
  }
}
