/**
 * What we know about each model: its window, output cap, accepted efforts, list prices and the endpoints
 * that serve it, in one table. Prices are USD per million tokens. A model that is not in the table still
 * works, with conservative defaults ({@link resolveModel}) and no prices.
 */

/** The two OpenAI-compatible endpoints we can talk to. */
export type ModelEndpoint = 'responses' | 'chat-completions'

/** The `api` input: an endpoint, or `auto` to pick one per model. */
export type ModelApiChoice = ModelEndpoint | 'auto'

/** USD per million tokens. */
export interface ModelPrice {
  readonly input: number
  readonly cachedInput: number
  readonly output: number
}

/** Limits and endpoints of a model, known or assumed. */
export interface ModelLimits {
  readonly contextWindow: number
  /** Most input tokens one request may carry (the window minus the room kept for output). */
  readonly maxInputTokens: number
  /** Output cap, reasoning included. */
  readonly maxOutputTokens: number
  readonly efforts: readonly string[]
  /** Endpoints that serve the model, the one `api: auto` picks first. */
  readonly endpoints: readonly ModelEndpoint[]
}

export interface ModelSpec extends ModelLimits {
  readonly id: string
  readonly price: ModelPrice
  /** Other ids of the same model, e.g. OpenAI's undated `gpt-5-mini` (openai/openai-node `ChatModel`). */
  readonly aliases?: readonly string[]
}

/** A model id with what we know (`known`) or assume about it. */
export interface ResolvedModel extends ModelLimits {
  readonly id: string
  readonly known: boolean
  /** Absent for a model not in the table: its cost is then unknown unless the provider bills it. */
  readonly price?: ModelPrice
}

/*
 * Sources, per figure:
 * - Context 400,000 / max output 128,000: gpt-tokenizer 4.0.0 `esm/models.gen.js` (gpt-5.1-codex-mini,
 *   gpt-5.1-codex, gpt-5-mini-2025-08-07, gpt-5.1: context_window 4e5, max_output_tokens 128e3) and
 *   developers.openai.com/api/docs/models/gpt-5.1 ("400,000 context window, 128,000 max output tokens").
 *   Max input 272,000 = 400,000 - 128,000: gpt-tokenizer `max_input_tokens: 272e3` for gpt-5-mini and
 *   gpt-5-codex (the other entries leave it out).
 * - Prices: openrouter.ai/openai/gpt-5.1-codex-mini ($0.25 in / $2.00 out, cached at 10% as for the whole
 *   GPT-5 family); developers.openai.com gpt-5-codex and gpt-5.1 pages ($1.25 / $0.125 cached / $10.00);
 *   github/docs `data/tables/copilot/models-and-pricing.yml` and openai.com pricing (GPT-5 mini $0.25 /
 *   $0.025 / $2.00). The AI/ML API does not publish its prices in its docs; it bills each call in the
 *   `x-aimlapi-usd-spent` header, which the cost report prefers over these list prices.
 * - Efforts: the AI/ML API schemas accept `low|medium|high` (aimlapi/api-docs
 *   `docs/api-references/text-models-llm/OpenAI/gpt-5-1-codex-mini-RESPONSES.json` `reasoning.effort`, and
 *   `OpenAI/gpt-5-1.json` `reasoning_effort` for chat completions). OpenAI also takes `none` for gpt-5.1,
 *   but gpt-5.1-codex rejects it (openai/codex#6647), so the common set is what we send.
 * - Endpoints (aimlapi/api-docs `docs/api-references/text-models-llm/openai/*.md`): gpt-5-1-codex-mini and
 *   gpt-5-1-codex "can ONLY be called via the `/responses` endpoint"; gpt-5-mini-2025-08-07 documents both
 *   `/chat/completions` and `/responses`; gpt-5-1 is documented with `/chat/completions` first (its page
 *   later added a `/responses` example too), so `auto` picks chat completions for it.
 */
const GPT5_LIMITS = { contextWindow: 400_000, maxInputTokens: 272_000, maxOutputTokens: 128_000 } as const
const AIML_EFFORTS = ['low', 'medium', 'high'] as const
const MINI_PRICE: ModelPrice = { input: 0.25, cachedInput: 0.025, output: 2.0 }
const STANDARD_PRICE: ModelPrice = { input: 1.25, cachedInput: 0.125, output: 10.0 }

export const MODEL_SPECS: readonly ModelSpec[] = [
  {
    id: 'openai/gpt-5-1-codex-mini',
    ...GPT5_LIMITS,
    efforts: AIML_EFFORTS,
    price: MINI_PRICE,
    endpoints: ['responses']
  },
  {
    id: 'openai/gpt-5-1-codex',
    ...GPT5_LIMITS,
    efforts: AIML_EFFORTS,
    price: STANDARD_PRICE,
    endpoints: ['responses']
  },
  {
    id: 'openai/gpt-5-mini-2025-08-07',
    ...GPT5_LIMITS,
    efforts: AIML_EFFORTS,
    price: MINI_PRICE,
    endpoints: ['responses', 'chat-completions'],
    aliases: ['gpt-5-mini']
  },
  {
    id: 'openai/gpt-5-1',
    ...GPT5_LIMITS,
    efforts: AIML_EFFORTS,
    price: STANDARD_PRICE,
    endpoints: ['chat-completions', 'responses']
  }
]

/**
 * What we assume about a model we do not know: a window and output cap most current OpenAI-compatible
 * models exceed, the efforts every reasoning model takes, and the Responses endpoint.
 */
export const UNKNOWN_MODEL_LIMITS: ModelLimits = Object.freeze({
  contextWindow: 128_000,
  maxInputTokens: 128_000 - 16_384,
  maxOutputTokens: 16_384,
  efforts: AIML_EFFORTS,
  endpoints: ['responses'] as const
})

/** `openai/gpt-5.1-codex-mini` and `gpt-5-1-codex-mini` name the same model. */
function bareId(id: string): string {
  return id
    .slice(id.lastIndexOf('/') + 1)
    .replaceAll('.', '-')
    .toLowerCase()
}

/** The spec for a model id, matching with or without a provider prefix (`openai/`). */
export function findModelSpec(model: string, specs: readonly ModelSpec[] = MODEL_SPECS): ModelSpec | undefined {
  const bare = bareId(model)
  return (
    specs.find((spec) => spec.id === model) ??
    specs.find((spec) => bareId(spec.id) === bare || (spec.aliases ?? []).some((alias) => bareId(alias) === bare))
  )
}

/** The model's spec, or the safe defaults (no prices, `known: false`) for an id not in the table. */
export function resolveModel(model: string, specs: readonly ModelSpec[] = MODEL_SPECS): ResolvedModel {
  const spec = findModelSpec(model, specs)
  if (spec === undefined) return { ...UNKNOWN_MODEL_LIMITS, id: model, known: false }
  return { ...spec, id: model, known: true }
}

/**
 * The endpoint to call the model through: the one `api` names, or for `auto` the model's first endpoint
 * (Responses for the Codex models and unknown ids, chat completions for gpt-5-1).
 */
export function chooseEndpoint(model: ResolvedModel, api: ModelApiChoice): ModelEndpoint {
  if (api !== 'auto') return api
  return model.endpoints[0] ?? 'responses'
}

/** The path appended to `base-url` for an endpoint. */
export function endpointPath(endpoint: ModelEndpoint): string {
  return endpoint === 'chat-completions' ? '/chat/completions' : '/responses'
}
