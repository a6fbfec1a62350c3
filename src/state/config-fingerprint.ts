/**
 * Which settings shaped a review. When one of them changes, what the model would say about the same code
 * changes too, so earlier reviews no longer stand for this one and the next run reviews the whole PR.
 * Each setting is kept as a short hash (not its value: instructions can be long, globs are nobody's
 * business in a comment), so the summary can still say WHICH settings changed.
 */
import { createHash } from 'node:crypto'
import type { ReviewSettings } from '../config/review-settings.js'
import { FINDINGS_SCHEMA } from '../model/findings-schema.js'
import { REVIEW_INSTRUCTIONS } from '../model/instructions.js'

/** Hex characters kept per setting: collisions between two values of one setting are negligible. */
const SETTING_HASH_CHARS = 12

/**
 * The settings that change what the model is asked or what is reported, by input name. Transport and
 * pacing (concurrency, time budget, token rate, output budget, max-comments, fail-on-*) are left out:
 * they change how a review is run or posted, not what it finds.
 */
export type FingerprintedSettings = Pick<
  ReviewSettings,
  | 'model'
  | 'api'
  | 'reasoningEffort'
  | 'maxChunkTokens'
  | 'include'
  | 'exclude'
  | 'escalationModel'
  | 'escalatePaths'
  | 'verifySeverity'
  | 'severityThreshold'
  | 'language'
  | 'minConfidence'
> &
  Partial<Pick<ReviewSettings, 'escalateOnRisk' | 'contextTokens'>>

export interface ConfigFingerprintInput {
  readonly settings: FingerprintedSettings
  /** The static review instructions; defaults to the ones every request sends. */
  readonly instructions?: string
  /**
   * Anything else that shapes the review, by a kebab-case name (e.g. the repository config file's review
   * instructions): a change of any value forces a full review.
   */
  readonly extra?: Readonly<Record<string, string>>
}

function hashValue(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, SETTING_HASH_CHARS)
}

/** Setting name → short hash of its value. Globs are compared as written (order included). */
export function fingerprintConfig(input: ConfigFingerprintInput): Record<string, string> {
  const { settings } = input
  const values: Record<string, unknown> = {
    model: settings.model,
    api: settings.api,
    'reasoning-effort': settings.reasoningEffort,
    'max-chunk-tokens': settings.maxChunkTokens,
    include: settings.include,
    exclude: settings.exclude,
    'escalation-model': settings.escalationModel,
    'escalate-paths': settings.escalatePaths,
    'verify-severity': settings.verifySeverity,
    'severity-threshold': settings.severityThreshold,
    language: settings.language,
    'min-confidence': settings.minConfidence,
    // Only when on: with context off (0) the fingerprint stays what it was before the setting existed.
    ...((settings.contextTokens ?? 0) > 0 ? { 'context-tokens': settings.contextTokens } : {}),
    instructions: input.instructions ?? REVIEW_INSTRUCTIONS,
    // The answer's shape is part of what the model is asked (a new field changes what it writes).
    'answer-schema': FINDINGS_SCHEMA,
    // Only when on: off is what every earlier state was reviewed under, so upgrading forces no full review.
    ...(settings.escalateOnRisk === undefined || settings.escalateOnRisk === 'off'
      ? {}
      : { 'escalate-on-risk': settings.escalateOnRisk }),
    ...input.extra
  }
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, hashValue(value)]))
}

/** Names of the settings whose hash differs, was added or was removed, sorted. Empty when the same. */
export function changedSettings(
  previous: Readonly<Record<string, string>>,
  current: Readonly<Record<string, string>>
): string[] {
  const names = new Set([...Object.keys(previous), ...Object.keys(current)])
  return [...names].filter((name) => previous[name] !== current[name]).sort()
}
