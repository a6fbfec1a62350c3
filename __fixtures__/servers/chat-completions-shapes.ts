/**
 * What the loopback model server needs to answer like `POST https://api.aimlapi.com/v1/chat/completions`:
 * the body validation of the AI/ML API's chat schema for gpt-5-1 / gpt-5-mini (aimlapi/api-docs
 * `docs/api-references/text-models-llm/OpenAI/gpt-5-1.json`), OpenAI's refusals of sampling parameters
 * on reasoning models, and `chat.completion` bodies shaped like the docs' example responses
 * (`text-models-llm/openai/gpt-5-1.md`, `gpt-5-mini.md`).
 */
import { randomBytes } from 'node:crypto'
import type { RecordedRequest } from './responses-server.js'

export const CHAT_COMPLETIONS_PATH = '/v1/chat/completions'

/** Top-level fields of the AI/ML API's chat schema for these models; anything else is a 400. */
const CHAT_ALLOWED_FIELDS = new Set([
  'model',
  'messages',
  'max_completion_tokens',
  'max_tokens',
  'stream',
  'stream_options',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'temperature',
  'top_p',
  'n',
  'logprobs',
  'top_logprobs',
  'seed',
  'reasoning_effort',
  'response_format'
])
const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool'])
const EFFORTS = new Set(['low', 'medium', 'high'])
const FORMAT_NAME = /^[A-Za-z0-9_-]{1,64}$/
/** "This model can ONLY be called via the `/responses` endpoint!" (the Codex models' doc pages). */
const RESPONSES_ONLY = /gpt-5-1-codex/

export interface ChatUsageOptions {
  prompt_tokens?: number
  cached_tokens?: number
  completion_tokens?: number
  reasoning_tokens?: number
}

const id = (prefix: string): string => `${prefix}-${randomBytes(12).toString('base64url')}`

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function findMessagesProblem(messages: unknown): string | undefined {
  if (!Array.isArray(messages) || messages.length === 0) return 'Body validation error! messages: Required'
  for (const [index, message] of messages.entries()) {
    if (!isRecord(message) || !ROLES.has(String(message.role))) {
      return `Body validation error! messages.${index}.role: Invalid discriminator value`
    }
    if (message.role !== 'assistant' && message.content === undefined) {
      return `Body validation error! messages.${index}.content: Required`
    }
  }
  return undefined
}

function findFormatProblem(format: unknown): string | undefined {
  if (format === undefined) return undefined
  if (!isRecord(format) || !['text', 'json_object', 'json_schema'].includes(String(format.type))) {
    return 'Body validation error! response_format: Invalid input'
  }
  if (format.type !== 'json_schema') return undefined
  const schema = format.json_schema
  if (!isRecord(schema) || typeof schema.name !== 'string' || !FORMAT_NAME.test(schema.name)) {
    return 'Body validation error! response_format.json_schema.name: Required'
  }
  return isRecord(schema.schema)
    ? undefined
    : 'Body validation error! response_format.json_schema.schema: Expected object'
}

/** Why the AI/ML API (or OpenAI behind it) would reject this chat body, or undefined. */
export function findChatBodyProblem(body: unknown): string | undefined {
  if (!isRecord(body)) return 'Body validation error! Expected an object'
  const unknown = Object.keys(body).filter((key) => !CHAT_ALLOWED_FIELDS.has(key))
  if (unknown.length > 0) {
    return `Body validation error! Unrecognized key(s) in object: ${unknown.map((key) => `'${key}'`).join(', ')}`
  }
  if (typeof body.model !== 'string') return 'Body validation error! model: Required'
  if (RESPONSES_ONLY.test(body.model)) {
    return `Body validation error! model: ${body.model} can only be called via the /responses endpoint`
  }
  const messages = findMessagesProblem(body.messages)
  if (messages !== undefined) return messages
  const max = body.max_completion_tokens
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) {
    return 'Body validation error! max_completion_tokens: Number must be greater than or equal to 1'
  }
  if (body.reasoning_effort !== undefined && !EFFORTS.has(String(body.reasoning_effort))) {
    return "Body validation error! reasoning_effort: Invalid enum value. Expected 'low' | 'medium' | 'high'"
  }
  // OpenAI refuses these on GPT-5-family reasoning models (OpenHands/software-agent-sdk#1837).
  if (body.temperature !== undefined) return "Unsupported parameter: 'temperature' is not supported with this model."
  if (body.max_tokens !== undefined) {
    return "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead."
  }
  return findFormatProblem(body.response_format)
}

function buildChatUsage(usage: ChatUsageOptions = {}): object {
  const prompt = usage.prompt_tokens ?? 1200
  const completion = usage.completion_tokens ?? 300
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: usage.cached_tokens ?? 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoning_tokens ?? 200,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0
    }
  }
}

/** A `chat.completion` with one choice. `finish_reason: "length"` is what running out of tokens looks like. */
export function chatCompletionResponse(options: {
  text: string | null
  model?: string
  usage?: ChatUsageOptions
  finishReason?: 'stop' | 'length' | 'content_filter'
  refusal?: string
}): object {
  return {
    id: id('chatcmpl'),
    object: 'chat.completion',
    created: 1_767_225_600,
    model: options.model ?? 'gpt-5.1-2025-11-13',
    choices: [
      {
        index: 0,
        finish_reason: options.finishReason ?? 'stop',
        message: { role: 'assistant', content: options.text, refusal: options.refusal ?? null, annotations: [] }
      }
    ],
    usage: buildChatUsage(options.usage),
    system_fingerprint: null
  }
}

/** A completed chat completion whose content is the findings JSON. */
export function chatFindingsResponse(
  payload: { overview: string; findings: unknown[] },
  usage?: ChatUsageOptions
): object {
  return chatCompletionResponse({ text: JSON.stringify(payload), ...(usage === undefined ? {} : { usage }) })
}

/** The text the action sent: Responses `input`, or the chat `user` message. */
export function readSentInput(request: RecordedRequest): string {
  const body = request.body as { input?: unknown; messages?: unknown }
  if (typeof body.input === 'string') return body.input
  const messages = Array.isArray(body.messages) ? body.messages.filter(isRecord) : []
  const user = messages.find((message) => message.role === 'user')
  return typeof user?.content === 'string' ? user.content : ''
}

/** The instructions the action sent: Responses `instructions`, or the chat `system`/`developer` message. */
export function readSentInstructions(request: RecordedRequest): string {
  const body = request.body as { instructions?: unknown; messages?: unknown }
  if (typeof body.instructions === 'string') return body.instructions
  const messages = Array.isArray(body.messages) ? body.messages.filter(isRecord) : []
  const system = messages.find((message) => message.role === 'system' || message.role === 'developer')
  return typeof system?.content === 'string' ? system.content : ''
}
