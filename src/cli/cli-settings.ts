/**
 * Turns the parsed flags into one validated settings object. Review settings go through the action's own
 * reader (same names, defaults, bounds and messages, reworded to name the flag), so the CLI and the action
 * cannot drift apart.
 */
import { ConfigError } from '../errors.js'
import { readReviewSettings, type ReviewSettings } from '../config/review-settings.js'
import type { PriceOverrides } from '../engine/estimate.js'
import { type FlagValues, OUTPUT_FORMATS, type OutputFormat, readFlag, REVIEW_SETTING_FLAGS } from './flags.js'
import { toFlagWording, UsageError } from './usage-error.js'

/** Highest price accepted per million tokens: well above any model's, low enough to catch a typo. */
const MAX_PRICE_PER_MILLION = 10_000
const MAX_ASSUMED_OUTPUT_TOKENS = 1_000_000

export interface CliSettings {
  readonly review: ReviewSettings
  readonly format: OutputFormat
  readonly dryRun: boolean
  readonly verbose: boolean
  readonly prices: PriceOverrides
  /** From --output-tokens-per-request; undefined = the default for the effort. */
  readonly outputTokensPerRequest?: number
  readonly title?: string
  readonly description?: string
  /** From --config: a repository config file in the working tree, used instead of the one at the base commit. */
  readonly configPath?: string
}

/** Validates every flag; errors name the flag, the value and what is allowed. */
export function readCliSettings(values: FlagValues): CliSettings {
  let review: ReviewSettings
  try {
    review = readReviewSettings((name) => (REVIEW_SETTING_FLAGS.has(name) ? readFlag(values, name) : ''))
  } catch (error: unknown) {
    if (error instanceof ConfigError) throw new UsageError(toFlagWording(error.message))
    throw error
  }
  const outputTokens = readPositiveNumber(values, 'output-tokens-per-request', MAX_ASSUMED_OUTPUT_TOKENS)
  const title = readOptionalText(values, 'title')
  const description = readOptionalText(values, 'description')
  const configPath = readOptionalText(values, 'config')
  return {
    review,
    format: readFormat(values),
    dryRun: values['dry-run'] === true,
    verbose: values.verbose === true,
    prices: readPrices(values),
    ...(outputTokens === undefined ? {} : { outputTokensPerRequest: Math.round(outputTokens) }),
    ...(title === undefined ? {} : { title }),
    ...(description === undefined ? {} : { description }),
    ...(configPath === undefined ? {} : { configPath })
  }
}

function readFormat(values: FlagValues): OutputFormat {
  const raw = readFlag(values, 'format').trim().toLowerCase()
  if (raw === '') return 'text'
  const format = OUTPUT_FORMATS.find((candidate) => candidate === raw)
  if (format === undefined) {
    throw new UsageError(
      `Flag --format must be one of ${OUTPUT_FORMATS.join(', ')}; got "${readFlag(values, 'format')}".`
    )
  }
  return format
}

function readPrices(values: FlagValues): PriceOverrides {
  const input = readPositiveNumber(values, 'price-input', MAX_PRICE_PER_MILLION, true)
  const cachedInput = readPositiveNumber(values, 'price-cached-input', MAX_PRICE_PER_MILLION, true)
  const output = readPositiveNumber(values, 'price-output', MAX_PRICE_PER_MILLION, true)
  return {
    ...(input === undefined ? {} : { input }),
    ...(cachedInput === undefined ? {} : { cachedInput }),
    ...(output === undefined ? {} : { output })
  }
}

function readPositiveNumber(values: FlagValues, name: string, max: number, allowZero = false): number | undefined {
  const raw = readFlag(values, name).trim()
  if (raw === '') return undefined
  const value = Number(raw.replace(/^\$/, '').replaceAll('_', ''))
  const min = allowZero ? 0 : 1
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`Flag --${name} must be a number from ${min} to ${max}; got "${raw}".`)
  }
  return value
}

function readOptionalText(values: FlagValues, name: string): string | undefined {
  const value = values[name]
  return typeof value === 'string' ? value : undefined
}
