import { ConfigError } from '../errors.js'
import { readBoolean, type InputReader } from './parse-inputs.js'
import { readReviewSettings, type ReviewSettings } from './review-settings.js'
import { readThreadSettings, type ThreadSettings } from './thread-settings.js'

export { DEFAULTS, LIMITS, REASONING_EFFORTS, type ReasoningEffort, type ReviewSettings } from './review-settings.js'

/** Every input, read once, validated, read-only. Everything downstream takes this (or a part of it). */
export interface Config extends ReviewSettings, ThreadSettings {
  readonly apiKey: string
  readonly githubToken: string
  /** From the `pull-number` input (workflow_dispatch), when given. */
  readonly pullNumber?: number
  /**
   * `dry-run`: plan the review and write the plan and its estimated cost to the job summary; no key needed, no
   * model request, nothing posted on the pull request.
   */
  readonly dryRun: boolean
}

/**
 * Reads and validates every action input: the credentials here, the review settings (shared with the
 * CLI, whose flags carry the same names) in review-settings.ts.
 */
export function readConfig(read: InputReader): Config {
  const dryRun = readDryRun(read)
  const apiKey = read('api-key').trim()
  if (apiKey === '' && !dryRun) {
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
  const pullNumber = readPullNumber(read)
  return Object.freeze({
    ...settings,
    ...readThreadSettings(read),
    apiKey,
    githubToken,
    dryRun,
    ...(pullNumber === undefined ? {} : { pullNumber })
  })
}

/** The `dry-run` input, read first: it decides whether a key is needed at all. */
export function readDryRun(read: InputReader): boolean {
  return readBoolean(read, { name: 'dry-run', fallback: false })
}

/**
 * The `pull-number` input (workflow_dispatch): a whole number of at least 1, or undefined when not set. Anything
 * else (`abc`, `#12`, `12.0`) fails naming the input: a run that quietly reviews nothing would look green.
 */
export function readPullNumber(read: InputReader): number | undefined {
  const raw = read('pull-number').trim()
  if (raw === '') return undefined
  if (!/^\d+$/.test(raw)) {
    throw new ConfigError(`Input "pull-number" must be a whole number (a pull request number, e.g. 12); got "${raw}".`)
  }
  const pullNumber = Number(raw)
  if (pullNumber < 1 || !Number.isSafeInteger(pullNumber)) {
    throw new ConfigError(`Input "pull-number" must be 1 or more; got "${raw}".`)
  }
  return pullNumber
}
