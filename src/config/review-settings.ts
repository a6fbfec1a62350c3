import { MIN_MAX_CHUNK_TOKENS } from '../chunk/plan.js'
import { validateGlobs } from '../diff/filter.js'
import { ConfigError } from '../errors.js'
import { SEVERITIES, type Severity } from '../types.js'
import {
  type InputReader,
  readBaseUrl,
  readBoolean,
  readChoice,
  readDecimal,
  readDollars,
  readInteger,
  readList
} from './parse-inputs.js'

export const REASONING_EFFORTS = ['low', 'medium', 'high'] as const
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number]

export const MODEL_APIS = ['auto', 'responses', 'chat-completions'] as const
export type ModelApi = (typeof MODEL_APIS)[number]

/**
 * `escalate-on-risk`: the lowest risk level (as the review model rates a chunk) at which the chunk is reviewed
 * again by the escalation model; `off` never.
 */
export const ESCALATE_ON_RISK = ['off', 'high', 'medium'] as const
export type EscalateOnRisk = (typeof ESCALATE_ON_RISK)[number]

/** A severity, or `off` for a gate that is not set. */
export type SeverityGate = Severity | 'off'
const SEVERITY_GATES: readonly SeverityGate[] = [...SEVERITIES, 'off']

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
  /**
   * Files of one diff the review considers (the rest are listed as over the limit). GitHub lists at most
   * `maxFiles`; a diff from git (the CLI, or the action's checkout past GitHub's listing cap) may hold more, and
   * is reviewed up to this many, about 100 default chunks of small files: past that, splitting the change is the
   * better review.
   */
  maxReviewedFiles: 10_000,
  maxFileChangedLines: 5_000,
  timeBudgetMinutes: 20,
  escalationModel: 'openai/gpt-5-1-codex',
  configFile: '.github/codex-review.yml',
  /**
   * Rule-file tokens per request: about 8,000 characters, the same as the config file's own `instructions`
   * limit, and a sixth of a default 12,000-token chunk, so rules cannot crowd out the diff or double the cost.
   */
  rulesMaxTokens: 2_000,
  /**
   * 0.5: the one point on the scale whose meaning needs no calibration data. The instructions define the
   * score as the probability that the finding is real, and 0.5 as "as likely wrong as right", so below it
   * the model itself says the comment is more likely noise than not. Any higher cut would need calibration
   * we do not have: models state confidences in round steps and too high (verbalized scores cluster around
   * 0.7-0.95 whether the answer is right or not), so a cut at 0.7 or 0.8 lands inside that cluster and
   * demotes real findings nearly at random. The noise numbers in issue 16 (46 comments, 8 acted on, 20
   * noise) say a threshold alone cannot fix noise: the flagging rules in the instructions do most of the
   * work, and this cut removes what the model already doubts. Nothing is lost (held-back findings are
   * listed, collapsed, in the summary), so a team that sees good findings there can lower it, and one that
   * sees noise inline can raise it.
   */
  minConfidence: 0.5,
  /**
   * Off, like the other escalation triggers: escalation is spending a team opts into. A chunk reviewed again by
   * the default escalation model costs five times its first review at list prices (every token type is priced
   * 5x). On the benchmark's real diffs (BENCHMARKS.md, a stand-in rating chunks by a stated rule) `high` added
   * 0 %, 293 % and 43 % to the cost and `medium` 500 % on all three, since nearly every source change rates
   * medium; nothing bounds that unless `max-cost-usd` is set, and the default `escalation-model` id is the AI/ML
   * API's, which other providers do not serve. The README's "Escalation by risk" recommends `high` to opt in.
   */
  escalateOnRisk: 'off' as EscalateOnRisk,
  /**
   * Context tokens per request (the code around the change: enclosing scopes, declarations and definitions the
   * change uses). 4,000 is a third of a default 12,000-token chunk, about 300 lines of code: room for a few
   * enclosing functions, the declarations they use and several definitions from other files, while a full
   * review's input stays within twice the diff's own tokens (on the semver 7.3.8 → 7.7.1 diff in
   * BENCHMARKS.md, 1.96×) and a request costs at most $0.001 more at GPT-5.1 Codex Mini's input price.
   */
  contextTokens: 4_000
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
  maxComments: 200,
  maxTimeBudgetMinutes: 360,
  maxTokensPerMinute: 100_000_000,
  /** Rules this long are a handbook, not review guidance; the largest chunk plus this stays under 272k input. */
  maxRulesTokens: 32_000,
  /** Highest cost ceiling accepted, per run or per pull request: far above any review, low enough to catch a typo. */
  maxCostUsd: 10_000,
  /** The largest chunk (200,000), this much context and the prompt stay under the 272,000-token input limit. */
  maxContextTokens: 64_000
})

/** Everything that shapes a review, from action inputs or the CLI's flags of the same names. */
export interface ReviewSettings {
  readonly model: string
  readonly baseUrl: string
  readonly api: ModelApi
  readonly reasoningEffort: ReasoningEffort
  readonly maxChunkTokens: number
  readonly maxOutputTokens: number
  readonly include: readonly string[]
  readonly exclude: readonly string[]
  readonly maxComments: number
  readonly maxConcurrency: number
  readonly failOnError: boolean
  /** Minutes the run may spend reviewing before remaining chunks are reported as not reviewed; 0 = no limit. */
  readonly timeBudgetMinutes: number
  /** Token-rate limit for model requests; 0 = off. */
  readonly tokensPerMinute: number
  /** Review the whole PR even when an earlier review could be built on. */
  readonly fullReview: boolean
  readonly escalationModel: string
  readonly escalatePaths: readonly string[]
  readonly verifySeverity: SeverityGate
  /** Findings below this are not posted inline (counted in the summary). */
  readonly severityThreshold: Severity
  /**
   * Findings the model rates below this confidence (0 to 1) are not posted inline and do not count for
   * `fail-on-severity`; the summary lists them collapsed. 0 = every finding is posted as before.
   */
  readonly minConfidence: number
  readonly failOnSeverity: SeverityGate
  /** Language of the comments, e.g. "English", "de", "Japanese"; '' = English. */
  readonly language: string
  readonly skipLabels: readonly string[]
  readonly skipAuthors: readonly string[]
  readonly reviewDrafts: boolean
  /** Repository config file, read from the PR's base branch. */
  readonly configFile: string
  /** Most tokens of the repository's rule files (AGENTS.md, …) per request; 0 = rule files are not read. */
  readonly rulesMaxTokens: number
  /** Most dollars one run may spend on model requests (`max-cost-usd`); 0 = no ceiling. */
  readonly maxCostUsd: number
  /** Most dollars all runs on one pull request may spend together (`max-pr-cost-usd`); 0 = no ceiling. */
  readonly maxPrCostUsd: number
  /** Chunks the review model rates at or above this risk are reviewed again by the escalation model. */
  readonly escalateOnRisk: EscalateOnRisk
  /** Most tokens of context (code around the change, not in the diff) per request; 0 = no context. */
  readonly contextTokens: number
}

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/

function readModelId(read: InputReader, name: string, fallback: string): string {
  const model = read(name).trim() || fallback
  if (!MODEL_ID.test(model)) {
    throw new ConfigError(`Input "${name}" is not a valid model id: "${model}". Example: ${fallback}.`)
  }
  return model
}

function readGlobs(read: InputReader, name: string): readonly string[] {
  const globs = readList(read, name)
  validateGlobs(globs, name)
  return Object.freeze(globs)
}

/** Reads and validates the review settings; every error names the input, the value and what is allowed. */
export function readReviewSettings(read: InputReader): ReviewSettings {
  const int = (name: string, fallback: number, min: number, max: number): number =>
    readInteger(read, { name, fallback, min, max })
  const configFile = read('config-file').trim() || DEFAULTS.configFile
  if (configFile.startsWith('/') || configFile.split('/').includes('..')) {
    throw new ConfigError(`Input "config-file" must be a path inside the repository; got "${configFile}".`)
  }
  return Object.freeze({
    model: readModelId(read, 'model', DEFAULTS.model),
    baseUrl: readBaseUrl(read, {
      name: 'base-url',
      fallback: DEFAULTS.baseUrl,
      allowInsecureInput: 'allow-insecure-base-url',
      allowInsecure: readBoolean(read, { name: 'allow-insecure-base-url', fallback: false })
    }),
    api: readChoice(read, { name: 'api', fallback: 'auto', allowed: MODEL_APIS }),
    reasoningEffort: readChoice(read, {
      name: 'reasoning-effort',
      fallback: DEFAULTS.reasoningEffort,
      allowed: REASONING_EFFORTS
    }),
    maxChunkTokens: int('max-chunk-tokens', DEFAULTS.maxChunkTokens, LIMITS.minChunkTokens, LIMITS.maxChunkTokens),
    maxOutputTokens: int('max-output-tokens', DEFAULTS.maxOutputTokens, LIMITS.minOutputTokens, LIMITS.maxOutputTokens),
    include: readGlobs(read, 'include'),
    exclude: readGlobs(read, 'exclude'),
    maxComments: int('max-comments', DEFAULTS.maxComments, 0, LIMITS.maxComments),
    maxConcurrency: int('max-concurrency', DEFAULTS.maxConcurrency, 1, LIMITS.maxConcurrency),
    failOnError: readBoolean(read, { name: 'fail-on-error', fallback: false }),
    timeBudgetMinutes: int('time-budget-minutes', DEFAULTS.timeBudgetMinutes, 0, LIMITS.maxTimeBudgetMinutes),
    tokensPerMinute: int('tokens-per-minute', 0, 0, LIMITS.maxTokensPerMinute),
    fullReview: readBoolean(read, { name: 'full-review', fallback: false }),
    escalationModel: readModelId(read, 'escalation-model', DEFAULTS.escalationModel),
    escalatePaths: readGlobs(read, 'escalate-paths'),
    verifySeverity: readChoice(read, { name: 'verify-severity', fallback: 'off', allowed: SEVERITY_GATES }),
    severityThreshold: readChoice(read, { name: 'severity-threshold', fallback: 'nit', allowed: SEVERITIES }),
    minConfidence: readDecimal(read, { name: 'min-confidence', fallback: DEFAULTS.minConfidence, min: 0, max: 1 }),
    failOnSeverity: readChoice(read, { name: 'fail-on-severity', fallback: 'off', allowed: SEVERITY_GATES }),
    language: readLanguage(read),
    skipLabels: Object.freeze(readList(read, 'skip-labels')),
    skipAuthors: Object.freeze(readList(read, 'skip-authors')),
    reviewDrafts: readBoolean(read, { name: 'review-drafts', fallback: false }),
    configFile,
    rulesMaxTokens: int('rules-max-tokens', DEFAULTS.rulesMaxTokens, 0, LIMITS.maxRulesTokens),
    maxCostUsd: readDollars(read, { name: 'max-cost-usd', max: LIMITS.maxCostUsd, example: '0.50' }),
    maxPrCostUsd: readDollars(read, { name: 'max-pr-cost-usd', max: LIMITS.maxCostUsd, example: '2' }),
    escalateOnRisk: readChoice(read, {
      name: 'escalate-on-risk',
      fallback: DEFAULTS.escalateOnRisk,
      allowed: ESCALATE_ON_RISK
    }),
    contextTokens: int('context-tokens', DEFAULTS.contextTokens, 0, LIMITS.maxContextTokens)
  })
}

function readLanguage(read: InputReader): string {
  const language = read('language').trim()
  if (language.length > 40 || /[\n<>{}`]/.test(language)) {
    throw new ConfigError(
      `Input "language" must be a language name or code such as "German" or "ja"; got "${language}".`
    )
  }
  return language
}
