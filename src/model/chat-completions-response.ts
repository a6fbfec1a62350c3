/**
 * Reads a `chat.completion` object into the same {@link ResponseReading} the Responses path produces, so
 * the review logic (refusal, cut-off answer, validation, retries, usage) does not care which endpoint
 * answered. Shape: OpenAI's chat completion object as the AI/ML API returns it (aimlapi/api-docs
 * `docs/api-references/text-models-llm/openai/gpt-5-1.md` and `gpt-5-mini.md` example responses):
 * `choices[0].message.{content, refusal}`, `choices[0].finish_reason` (`stop`, `length`, `content_filter`,
 * `tool_calls`), `usage.{prompt_tokens, prompt_tokens_details.cached_tokens, completion_tokens,
 * completion_tokens_details.reasoning_tokens}`; completion tokens include reasoning tokens.
 */
import type { TokenUsage } from '../types.js'
import type { ModelEndpoint } from './models.js'
import { readResponse, type ResponseReading } from './parse-response.js'
import { child, isObject, type JsonObject, readCount, readString } from './json-read.js'

/** Chat usage in our terms; missing fields count as 0 (some gateways omit the details objects). */
export function readChatUsage(value: unknown): TokenUsage {
  const usage = isObject(value) ? value : undefined
  return {
    inputTokens: readCount(usage, 'prompt_tokens'),
    cachedInputTokens: readCount(child(usage, 'prompt_tokens_details'), 'cached_tokens'),
    outputTokens: readCount(usage, 'completion_tokens'),
    reasoningTokens: readCount(child(usage, 'completion_tokens_details'), 'reasoning_tokens')
  }
}

/** `content` is a string in OpenAI's shape; some gateways send an array of `{type: "text", text}` parts. */
function readContent(message: JsonObject | undefined): string {
  const content = message?.content
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content
    .filter(isObject)
    .flatMap((part) => (part.type === 'text' && typeof part.text === 'string' ? [part.text] : []))
    .join('')
}

/** `finish_reason` as a Responses-style status and incomplete reason. */
function readFinish(finishReason: string | undefined): Pick<ResponseReading, 'status' | 'incompleteReason'> {
  if (finishReason === 'length') return { status: 'incomplete', incompleteReason: 'max_output_tokens' }
  if (finishReason === 'content_filter') return { status: 'incomplete', incompleteReason: 'content_filter' }
  return { status: 'completed' }
}

/**
 * Reads a chat completion. Throws when the body is not an object. A body without choices is `failed`
 * (with the gateway's `error.message` when it sent one): there is no answer to read.
 */
export function readChatCompletion(json: unknown): ResponseReading {
  if (!isObject(json)) throw new Error('the model API answered with something that is not a chat completion')
  const usage = readChatUsage(json.usage)
  const model = readString(json, 'model')
  const base = { usage, ...(model === undefined ? {} : { model }) }
  const choice = Array.isArray(json.choices) ? json.choices.find(isObject) : undefined
  if (choice === undefined) {
    const errorMessage = readString(child(json, 'error'), 'message') ?? 'the chat completion has no choices'
    return { ...base, status: 'failed', text: '', errorMessage }
  }
  const message = child(choice, 'message')
  const refusal = readString(message, 'refusal')
  return {
    ...base,
    ...readFinish(readString(choice, 'finish_reason')),
    text: readContent(message),
    ...(refusal === undefined || refusal.trim() === '' ? {} : { refusal })
  }
}

/** Reads the answer of either endpoint into the same shape. */
export function readEndpointReply(endpoint: ModelEndpoint, json: unknown): ResponseReading {
  return endpoint === 'chat-completions' ? readChatCompletion(json) : readResponse(json)
}
