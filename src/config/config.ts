import { ConfigError } from '../errors.js'
import { MIN_MAX_CHUNK_TOKENS } from '../chunk/plan.js'
import { validateGlobs } from '../diff/filter.js'
import {
  type InputReader,
  readBaseUrl,
  readBoolean,
  readChoice,
  readInteger,
  readList
} from './parse-inputs.js'

export const REASONING_EFFORTS = ['low', 'medium', 'high'] as const
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number]

/** Defaults, each justified in the README's inputs table. */
export const DEFAULTS = Object.freeze({
  model: 'openai/gpt-5-1-codex-mini',
  baseUrl: 'https://api.aimlapi.com/v1',
  reasoningEffort: 'medium' as ReasoningEffort,
  maxChunkTokens: 12_000,
  maxOutputTokens: 16_000,
  maxComments: 25,
  maxConcurrency: 4,
  maxFiles: 3_000,
  maxFileChangedLines: 5_000
})

/**
 * Bounds on the inputs. The largest chunk plus the largest output budget and the prompt stay inside the
 * 400k-token context of every supported model, and the chunk alone inside their 272k input limit.
 */
export const LIMITS = Object.freeze({
  minChunkTokens: MIN_MAX_CHUNK_TOKENS,
  maxChunkTokens: 200_000,
  minOutputTokens: 1_024,
  maxOutputTokens: 128_000,
  maxConcurrency: 16,
  maxComments: 200
})

/** Every input, read once, validated, read-only. Everything downstream takes this (or a part of it). */
export interface Config {
  readonly apiKey: string
  readonly githubToken: string
  readonly model: string
  readonly baseUrl: string
  readonly reasoningEffort: ReasoningEffort
  readonly maxChunkTokens: number
  readonly maxOutputTokens: number
  readonly include: readonly string[]
  readonly exclude: readonly string[]
  readonly maxComments: number
  readonly maxConcurrency: number
  readonly failOnError: boolean
  /** From the `pull-number` input (workflow_dispatch), when given. */
  readonly pullNumber?: number
}

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/

/**
 * Reads and validates every input. `read` is `core.getInput` in the action and a flag table in the CLI,
 * so the same rules and messages apply to both.
 */
export function readConfig(read: InputReader): Config {
  const apiKey = read('api-key').trim()
  if (apiKey === '') {
    throw new ConfigError(
      'Input "api-key" is required: add your AI/ML API key as a repository secret (e.g. AIMLAPI_API_KEY) ' +
        'and pass it with `api-key: ${{ secrets.AIMLAPI_API_KEY }}`.'
    )
  }
  const githubToken = read('github-token').trim()
  if (githubToken === '') {
    throw new ConfigError('Input "github-token" is empty: leave it unset to use the workflow token, or pass a token.')
  }
  const model = read('model').trim() || DEFAULTS.model
  if (!MODEL_ID.test(model)) {
    throw new ConfigError(`Input "model" is not a valid model id: "${model}". Example: ${DEFAULTS.model}.`)
  }
  const include = readList(read, 'include')
  const exclude = readList(read, 'exclude')
  validateGlobs(include, 'include')
  validateGlobs(exclude, 'exclude')
  const maxChunkTokens = readInteger(read, {
    name: 'max-chunk-tokens',
    fallback: DEFAULTS.maxChunkTokens,
    min: LIMITS.minChunkTokens,
    max: LIMITS.maxChunkTokens
  })
  const maxOutputTokens = readInteger(read, {
    name: 'max-output-tokens',
    fallback: DEFAULTS.maxOutputTokens,
    min: LIMITS.minOutputTokens,
    max: LIMITS.maxOutputTokens
  })
  const pullNumberRaw = read('pull-number').trim()
  return Object.freeze({
    apiKey,
    githubToken,
    model,
    baseUrl: readBaseUrl(read, { name: 'base-url', fallback: DEFAULTS.baseUrl }),
    reasoningEffort: readChoice(read, {
      name: 'reasoning-effort',
      fallback: DEFAULTS.reasoningEffort,
      allowed: REASONING_EFFORTS
    }),
    maxChunkTokens,
    maxOutputTokens,
    include: Object.freeze(include),
    exclude: Object.freeze(exclude),
    maxComments: readInteger(read, {
      name: 'max-comments',
      fallback: DEFAULTS.maxComments,
      min: 0,
      max: LIMITS.maxComments
    }),
    maxConcurrency: readInteger(read, {
      name: 'max-concurrency',
      fallback: DEFAULTS.maxConcurrency,
      min: 1,
      max: LIMITS.maxConcurrency
    }),
    failOnError: readBoolean(read, { name: 'fail-on-error', fallback: false }),
    ...(pullNumberRaw === ''
      ? {}
      : { pullNumber: readInteger(read, { name: 'pull-number', fallback: 0, min: 1, max: Number.MAX_SAFE_INTEGER }) })
  })
}
