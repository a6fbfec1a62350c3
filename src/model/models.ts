/**
 * What we know about each model: its window, output cap, accepted efforts and list prices.
 * Prices are USD per million tokens.
 */
export interface ModelSpec {
  readonly id: string
  readonly contextWindow: number
  readonly maxOutputTokens: number
  readonly efforts: readonly string[]
  readonly price: { readonly input: number; readonly cachedInput: number; readonly output: number }
}

/**
 * Sources: gpt-tokenizer 4.0.0 `models.gen.js` (context 400,000, max output 128,000 for the GPT-5.1 Codex
 * family and GPT-5 mini); openrouter.ai/openai/gpt-5.1-codex-mini ($0.25 in / $2.00 out); OpenAI's gpt-5-codex
 * page ($1.25 / $0.125 cached / $10); github/docs copilot models-and-pricing (GPT-5 mini $0.25 / $2.00).
 * Cached input is billed at 10% of input for all three.
 * Efforts: the AI/ML API schemas accept low|medium|high for these models.
 */
export const MODEL_SPECS: readonly ModelSpec[] = [
  {
    id: 'openai/gpt-5-1-codex-mini',
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    efforts: ['low', 'medium', 'high'],
    price: { input: 0.25, cachedInput: 0.025, output: 2.0 }
  },
  {
    id: 'openai/gpt-5-1-codex',
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    efforts: ['low', 'medium', 'high'],
    price: { input: 1.25, cachedInput: 0.125, output: 10.0 }
  },
  {
    id: 'openai/gpt-5-mini-2025-08-07',
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    efforts: ['low', 'medium', 'high'],
    price: { input: 0.25, cachedInput: 0.025, output: 2.0 }
  }
]

/** The spec for a model id, matching with or without a provider prefix (`openai/`). */
export function findModelSpec(model: string): ModelSpec | undefined {
  const bare = (id: string): string => id.slice(id.lastIndexOf('/') + 1).replaceAll('.', '-')
  return MODEL_SPECS.find((spec) => spec.id === model) ?? MODEL_SPECS.find((spec) => bare(spec.id) === bare(model))
}
