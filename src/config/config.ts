import { ConfigError } from '../errors.js'
import type { InputReader } from './parse-inputs.js'
import { readReviewSettings, type ReviewSettings } from './review-settings.js'
import { readThreadSettings, type ThreadSettings } from './thread-settings.js'

export { DEFAULTS, LIMITS, REASONING_EFFORTS, type ReasoningEffort, type ReviewSettings } from './review-settings.js'

/** Every input, read once, validated, read-only. Everything downstream takes this (or a part of it). */
export interface Config extends ReviewSettings, ThreadSettings {
  readonly apiKey: string
  readonly githubToken: string
  /** From the `pull-number` input (workflow_dispatch), when given. */
  readonly pullNumber?: number
}

/**
 * Reads and validates every action input: the credentials here, the review settings (shared with the
 * CLI, whose flags carry the same names) in review-settings.ts.
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
  const settings = readReviewSettings(read)
  const pullNumberRaw = read('pull-number').trim()
  if (pullNumberRaw !== '' && !/^\d+$/.test(pullNumberRaw)) {
    throw new ConfigError(`Input "pull-number" must be a whole number (a pull request number); got "${pullNumberRaw}".`)
  }
  const pullNumber = pullNumberRaw === '' ? undefined : Number(pullNumberRaw)
  if (pullNumber !== undefined && pullNumber < 1) {
    throw new ConfigError(`Input "pull-number" must be 1 or more; got "${pullNumberRaw}".`)
  }
  return Object.freeze({
    ...settings,
    ...readThreadSettings(read),
    apiKey,
    githubToken,
    ...(pullNumber === undefined ? {} : { pullNumber })
  })
}
