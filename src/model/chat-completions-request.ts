/**
 * The `POST /chat/completions` body for models served there (gpt-5-1, gpt-5-mini). It is derived from the
 * Responses body field by field, so both endpoints get the same instructions, the same input text and the
 * same strict schema: only the envelope differs.
 *
 * Field names follow the AI/ML API's chat schema for these models (aimlapi/api-docs
 * `docs/api-references/text-models-llm/OpenAI/gpt-5-1.json`, `/v1/chat/completions`): `messages` with
 * `system`/`developer`/`user` roles, `max_completion_tokens` ("an upper bound ... including visible output
 * tokens and reasoning tokens"; `max_tokens` is the legacy field reasoning models refuse on OpenAI),
 * `reasoning_effort` (`low|medium|high`), and `response_format: {type: "json_schema", json_schema: {name,
 * schema, strict}}` (nested, unlike the Responses API's flat `text.format`). No `temperature`: GPT-5-family
 * models reject non-default values (`Unsupported parameter: 'temperature' is not supported with this
 * model.`, OpenHands/software-agent-sdk#1837). No `store`: it is not in the AI/ML API's chat schema, and
 * OpenAI does not store chat completions unless asked.
 */
import type { ReasoningEffort, StructuredRequestBody } from './build-request.js'

export type { StructuredRequestBody } from './build-request.js'

export interface ChatMessage {
  readonly role: 'system' | 'user'
  readonly content: string
}

export interface ChatCompletionsRequestBody {
  readonly model: string
  readonly messages: readonly [ChatMessage, ChatMessage]
  readonly max_completion_tokens: number
  readonly reasoning_effort: ReasoningEffort
  readonly response_format: {
    readonly type: 'json_schema'
    readonly json_schema: { readonly name: string; readonly schema: object; readonly strict: true }
  }
}

/**
 * The chat-completions form of a Responses body. The instructions go in a `system` message: OpenAI treats
 * it as the developer message for reasoning models, and every OpenAI-compatible gateway accepts it, while
 * some do not know the newer `developer` role. They come first, so the cacheable prefix is unchanged.
 */
export function toChatCompletionsRequest(body: StructuredRequestBody): ChatCompletionsRequestBody {
  const format = body.text.format
  return {
    model: body.model,
    messages: [
      { role: 'system', content: body.instructions },
      { role: 'user', content: body.input }
    ],
    max_completion_tokens: body.max_output_tokens,
    reasoning_effort: body.reasoning.effort,
    response_format: { type: 'json_schema', json_schema: { name: format.name, schema: format.schema, strict: true } }
  }
}
