import { ConfigError } from '../errors.js'

/**
 * The command line is wrong (unknown flag, bad value, a ref git cannot find): exit code 2. A ConfigError,
 * so everything that treats invalid input as fatal treats this the same way.
 */
export class UsageError extends ConfigError {}

const KEY_VARIABLES = 'the CODEX_REVIEW_API_KEY (or AIMLAPI_API_KEY) environment variable'

/** Input names the action's messages quote in backticks that are flags of the same name here. */
const FLAG_NAMES_IN_BACKTICKS =
  /`(max-chunk-tokens|max-output-tokens|max-concurrency|allow-insecure-base-url|base-url|model|api|escalation-model|escalate-paths|verify-severity|time-budget-minutes|tokens-per-minute|severity-threshold|min-confidence|fail-on-severity|language|max-cost-usd|escalate-on-risk|rules-max-tokens)`/g

/**
 * Rewrites the action's wording for the CLI, where inputs are flags and the key is an environment variable:
 * `Input "max-chunk-tokens"` becomes `Flag --max-chunk-tokens`, "raise the `max-output-tokens` input" becomes
 * "raise the --max-output-tokens flag".
 */
export function toFlagWording(message: string): string {
  return message
    .replace(/"api-key"|[Tt]he `api-key` input/g, KEY_VARIABLES)
    .replace(
      /Inputs "([a-z0-9-]+)"( \([^)]*\))? and "([a-z0-9-]+)"/g,
      (_match: string, first: string, between: string | undefined, second: string) =>
        `Flags --${first}${between ?? ''} and --${second}`
    )
    .replace(/Input "([a-z0-9-]+)"/g, (_match: string, name: string) => `Flag --${name}`)
    .replace(/\binput "([a-z0-9-]+)"/g, (_match: string, name: string) => `flag --${name}`)
    .replace(/`([a-z0-9-]+)` input/g, (_match: string, name: string) => `--${name} flag`)
    .replace(/`api: auto`/g, '--api auto')
    .replace(FLAG_NAMES_IN_BACKTICKS, (_match: string, name: string) => `--${name}`)
}
