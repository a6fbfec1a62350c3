/**
 * The CLI's flags: one table drives `util.parseArgs`, `--help` and the mapping to the action's input names,
 * so a flag cannot exist without its help line, and review settings keep the action's names and defaults.
 */
import { parseArgs } from 'node:util'
import { DEFAULTS } from '../config/review-settings.js'
import { UsageError } from './usage-error.js'

export const OUTPUT_FORMATS = ['text', 'json', 'markdown'] as const
export type OutputFormat = (typeof OUTPUT_FORMATS)[number]

/** Environment variables the key is read from, in order. Never a flag: flags land in shell history. */
export const API_KEY_VARIABLES = ['CODEX_REVIEW_API_KEY', 'AIMLAPI_API_KEY'] as const

type FlagGroup = 'source' | 'review' | 'models' | 'limits' | 'team' | 'output' | 'cost' | 'other'

interface FlagSpec {
  readonly name: string
  readonly kind: 'string' | 'boolean'
  readonly multiple?: boolean
  /** Shown in `--help`, e.g. `REF`. */
  readonly value?: string
  /** Shown in `--help` as `(default: …)`: every flag has one, so no flag's behaviour without it is a guess. */
  readonly defaultText: string
  readonly help: string
  readonly group: FlagGroup
  /** Read by readReviewSettings under the action input of the same name. */
  readonly isReviewSetting?: boolean
  readonly short?: string
}

/** Every flag. Review settings carry the action's input names, so its validation and messages apply. */
export const FLAG_SPECS: readonly FlagSpec[] = [
  {
    name: 'base',
    kind: 'string',
    value: 'REF',
    group: 'source',
    defaultText: 'merge-base with origin/HEAD, main or master',
    help: 'Review changes since this commit (its merge-base with the head).'
  },
  {
    name: 'head',
    kind: 'string',
    value: 'REF',
    group: 'source',
    defaultText: 'the working tree, uncommitted changes included',
    help: 'Review up to this commit (git diff BASE...HEAD). Untracked files are not included; `git add -N` them.'
  },
  {
    name: 'diff',
    kind: 'string',
    value: 'FILE',
    group: 'source',
    defaultText: 'none: git diffs the range',
    help: 'Review a unified diff (with a/ b/ prefixes) from FILE, or from stdin with `-`, instead of git.'
  },
  {
    name: 'title',
    kind: 'string',
    value: 'TEXT',
    group: 'source',
    defaultText: 'newest commit subject',
    help: 'Pull request title given to the model.'
  },
  {
    name: 'description',
    kind: 'string',
    value: 'TEXT',
    group: 'source',
    defaultText: 'the commit subjects',
    help: 'Pull request description given to the model.'
  },
  {
    name: 'model',
    kind: 'string',
    value: 'ID',
    group: 'models',
    isReviewSetting: true,
    defaultText: DEFAULTS.model,
    help: 'Model that reviews every chunk.'
  },
  {
    name: 'base-url',
    kind: 'string',
    value: 'URL',
    group: 'models',
    isReviewSetting: true,
    defaultText: DEFAULTS.baseUrl,
    help: 'OpenAI-compatible API serving POST /responses or /chat/completions.'
  },
  {
    name: 'allow-insecure-base-url',
    kind: 'boolean',
    group: 'models',
    isReviewSetting: true,
    defaultText: 'off',
    help: 'Allow an http:// --base-url to a host other than this machine (the key then travels unencrypted).'
  },
  {
    name: 'api',
    kind: 'string',
    value: 'API',
    group: 'models',
    isReviewSetting: true,
    defaultText: 'auto',
    help: 'auto, responses or chat-completions: the endpoint that serves the models (auto picks per model).'
  },
  {
    name: 'reasoning-effort',
    kind: 'string',
    value: 'LEVEL',
    group: 'models',
    isReviewSetting: true,
    defaultText: DEFAULTS.reasoningEffort,
    help: 'low, medium or high.'
  },
  {
    name: 'escalation-model',
    kind: 'string',
    value: 'ID',
    group: 'models',
    isReviewSetting: true,
    defaultText: DEFAULTS.escalationModel,
    help: 'Model for --escalate-paths and --escalate-on-risk chunks and --verify-severity checks; called only when one is set.'
  },
  {
    name: 'escalate-paths',
    kind: 'string',
    multiple: true,
    value: 'GLOB',
    group: 'models',
    isReviewSetting: true,
    defaultText: 'none',
    help: 'Chunks touching matching files go to --escalation-model; repeatable.'
  },
  {
    name: 'verify-severity',
    kind: 'string',
    value: 'LEVEL',
    group: 'models',
    isReviewSetting: true,
    defaultText: 'off',
    help: 'Findings at or above it are re-checked by --escalation-model (critical, high, medium, low, nit or off).'
  },
  {
    name: 'escalate-on-risk',
    kind: 'string',
    value: 'LEVEL',
    group: 'models',
    isReviewSetting: true,
    defaultText: DEFAULTS.escalateOnRisk,
    help: 'off, high or medium: chunks --model rates at or above it are reviewed again by --escalation-model.'
  },
  {
    name: 'max-chunk-tokens',
    kind: 'string',
    value: 'N',
    group: 'review',
    isReviewSetting: true,
    defaultText: String(DEFAULTS.maxChunkTokens),
    help: 'Most diff tokens in one request (256 to 200000).'
  },
  {
    name: 'context-tokens',
    kind: 'string',
    value: 'N',
    group: 'review',
    isReviewSetting: true,
    defaultText: String(DEFAULTS.contextTokens),
    help:
      'Most tokens per request of code around the change (enclosing scopes, declarations and definitions it uses, ' +
      'read from git) (0 to 64000; 0 = none).'
  },
  {
    name: 'max-output-tokens',
    kind: 'string',
    value: 'N',
    group: 'review',
    isReviewSetting: true,
    defaultText: String(DEFAULTS.maxOutputTokens),
    help: 'Output budget per request, reasoning included (1024 to 128000).'
  },
  {
    name: 'include',
    kind: 'string',
    multiple: true,
    value: 'GLOB',
    group: 'review',
    isReviewSetting: true,
    defaultText: 'all files',
    help: 'Only review matching files; repeatable, or comma-separated.'
  },
  {
    name: 'exclude',
    kind: 'string',
    multiple: true,
    value: 'GLOB',
    group: 'review',
    isReviewSetting: true,
    defaultText: 'none',
    help: 'Never review matching files; repeatable. Exclude wins over include.'
  },
  {
    name: 'max-comments',
    kind: 'string',
    value: 'N',
    group: 'review',
    isReviewSetting: true,
    defaultText: String(DEFAULTS.maxComments),
    help: 'Findings shown as line comments, most severe first; the rest are listed after them.'
  },
  {
    name: 'max-concurrency',
    kind: 'string',
    value: 'N',
    group: 'limits',
    isReviewSetting: true,
    defaultText: String(DEFAULTS.maxConcurrency),
    help: 'Model requests in flight at once (1 to 16).'
  },
  {
    name: 'time-budget-minutes',
    kind: 'string',
    value: 'N',
    group: 'limits',
    isReviewSetting: true,
    defaultText: String(DEFAULTS.timeBudgetMinutes),
    help: 'Minutes for model requests (0 to 360, 0 = no limit); chunks not reviewed by then are listed as such.'
  },
  {
    name: 'tokens-per-minute',
    kind: 'string',
    value: 'N',
    group: 'limits',
    isReviewSetting: true,
    defaultText: '0, off',
    help: 'Token-rate limit: requests wait to stay under N tokens (input + output budget) a minute.'
  },
  {
    name: 'max-cost-usd',
    kind: 'string',
    value: 'USD',
    group: 'limits',
    isReviewSetting: true,
    defaultText: '0, no ceiling',
    help: 'Most dollars to spend; the most important chunks are reviewed when the estimate is over, the rest listed.'
  },
  {
    name: 'severity-threshold',
    kind: 'string',
    value: 'LEVEL',
    group: 'team',
    isReviewSetting: true,
    defaultText: 'nit, all shown',
    help: 'Findings below it (critical > high > medium > low > nit) are counted, not shown.'
  },
  {
    name: 'min-confidence',
    kind: 'string',
    value: 'N',
    group: 'team',
    isReviewSetting: true,
    defaultText: String(DEFAULTS.minConfidence),
    help: 'Findings the model rates below this confidence (0 to 1) are listed apart, not shown as line findings, and do not count for --fail-on-severity.'
  },
  {
    name: 'fail-on-severity',
    kind: 'string',
    value: 'LEVEL',
    group: 'team',
    isReviewSetting: true,
    defaultText: 'off',
    help: 'Exit 1 after printing when a finding reaches it, shown or not (a severity, or off).'
  },
  {
    name: 'language',
    kind: 'string',
    value: 'NAME',
    group: 'team',
    isReviewSetting: true,
    defaultText: 'English',
    help: 'Language of the findings, e.g. German or ja.'
  },
  {
    name: 'rules-max-tokens',
    kind: 'string',
    value: 'N',
    group: 'team',
    isReviewSetting: true,
    defaultText: String(DEFAULTS.rulesMaxTokens),
    help: 'Most tokens per request of AGENTS.md/CLAUDE.md/Copilot rules read at the --base commit (0 to 32000, 0 = none).'
  },
  {
    name: 'config',
    kind: 'string',
    value: 'FILE',
    group: 'team',
    defaultText: `${DEFAULTS.configFile} at the --base commit, if there`,
    help: "Repository config file (the action's format) to apply; read from the working tree."
  },
  {
    name: 'dry-run',
    kind: 'boolean',
    group: 'output',
    defaultText: 'off; on when no API key is set',
    help: 'Print the plan and the estimated cost; send nothing.'
  },
  {
    name: 'format',
    kind: 'string',
    value: 'FORMAT',
    group: 'output',
    defaultText: 'text',
    help: 'text, json or markdown.'
  },
  {
    name: 'verbose',
    kind: 'boolean',
    group: 'output',
    defaultText: 'off',
    help: 'Also print retry decisions and skipped-file details to stderr.'
  },
  {
    name: 'price-input',
    kind: 'string',
    value: 'USD',
    group: 'cost',
    defaultText: "the model's list price",
    help: 'Price per million input tokens of --model.'
  },
  {
    name: 'price-cached-input',
    kind: 'string',
    value: 'USD',
    group: 'cost',
    defaultText: "the model's list price",
    help: 'Price per million cached input tokens of --model.'
  },
  {
    name: 'price-output',
    kind: 'string',
    value: 'USD',
    group: 'cost',
    defaultText: "the model's list price",
    help: 'Price per million output tokens of --model (reasoning included).'
  },
  {
    name: 'output-tokens-per-request',
    kind: 'string',
    value: 'N',
    group: 'cost',
    defaultText: 'by effort: low 1500, medium 3000, high 6000',
    help: 'Output tokens assumed per request for the estimate.'
  },
  { name: 'help', kind: 'boolean', short: 'h', group: 'other', defaultText: 'off', help: 'Show this help.' },
  { name: 'version', kind: 'boolean', short: 'v', group: 'other', defaultText: 'off', help: 'Show the version.' }
]

/** Raw flag values as parseArgs returns them. */
export type FlagValues = Readonly<Record<string, string | boolean | readonly (string | boolean)[] | undefined>>

export type ParsedCommand =
  { readonly kind: 'help' } | { readonly kind: 'version' } | { readonly kind: 'run'; readonly values: FlagValues }

const FORBIDDEN_KEY_FLAGS = new Set(['--api-key', '--key', '--token'])

/** Parses argv (without `node` and the script). Throws UsageError naming the flag on any problem. */
export function parseCommandLine(argv: readonly string[]): ParsedCommand {
  for (const argument of argv) {
    const flag = argument.split('=')[0] ?? ''
    if (FORBIDDEN_KEY_FLAGS.has(flag)) {
      throw new UsageError(
        `Flag ${flag} is not accepted: a key on the command line lands in shell history. ` +
          `Set ${API_KEY_VARIABLES.join(' or ')} in the environment instead.`
      )
    }
  }
  const options = Object.fromEntries(
    FLAG_SPECS.map((spec) => [
      spec.name,
      {
        type: spec.kind,
        ...(spec.multiple === true ? { multiple: true } : {}),
        ...(spec.short === undefined ? {} : { short: spec.short })
      }
    ])
  )
  let values: FlagValues
  try {
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values
  } catch (error: unknown) {
    throw new UsageError(describeParseError(error))
  }
  if (values.help === true) return { kind: 'help' }
  if (values.version === true) return { kind: 'version' }
  checkCombinations(values)
  return { kind: 'run', values }
}

function checkCombinations(values: FlagValues): void {
  if (values.diff !== undefined && (values.base !== undefined || values.head !== undefined)) {
    throw new UsageError(
      'Flag --diff cannot be combined with --base or --head: review either a diff file or a git range.'
    )
  }
  for (const name of ['base', 'head', 'diff', 'config'] as const) {
    const value = values[name]
    if (value === '') throw new UsageError(`Flag --${name} needs a value.`)
    if (typeof value === 'string' && (name === 'base' || name === 'head') && value.startsWith('-')) {
      throw new UsageError(`Flag --${name} must be a git ref, not "${value}" (refs cannot start with "-").`)
    }
  }
}

/** parseArgs messages mention the option; keep them, add what to do. */
function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const unknown = /Unknown option '([^']+)'/.exec(message)
  if (unknown?.[1] !== undefined) return `Unknown flag ${unknown[1]}. Run with --help to list every flag.`
  const positional = /Unexpected argument '([^']+)'/.exec(message)
  if (positional?.[1] !== undefined) {
    return `Unexpected argument "${positional[1]}": every value needs a flag, e.g. --base ${positional[1]}. Run with --help.`
  }
  const ambiguous = /Option '(--[\w-]+)' argument is ambiguous/.exec(message)
  if (ambiguous?.[1] !== undefined) {
    return `Flag ${ambiguous[1]} is followed by a value starting with "-": give a value, or write ${ambiguous[1]}=VALUE if it really starts with "-".`
  }
  const missing = /Option '(?:-\w, )?(--[\w-]+)[^']*' argument missing/.exec(message)
  if (missing?.[1] !== undefined) return `Flag ${missing[1]} needs a value. Run with --help.`
  return `${message.replace(/\.$/, '')}. Run with --help.`
}

/** Reads one string flag ('' when absent): the last value wins for single flags, lists are joined by lines. */
export function readFlag(values: FlagValues, name: string): string {
  const value = values[name]
  if (typeof value === 'string') return value
  // A boolean flag read as an action input: the input's own parser takes "true".
  if (value === true) return 'true'
  if (Array.isArray(value)) return value.join('\n')
  return ''
}

/** Names of the flags read as action inputs by readReviewSettings. */
export const REVIEW_SETTING_FLAGS: ReadonlySet<string> = new Set(
  FLAG_SPECS.filter((spec) => spec.isReviewSetting === true).map((spec) => spec.name)
)

const GROUP_TITLES: Readonly<Record<FlagGroup, string>> = {
  source: 'What to review',
  models: 'Models',
  review: 'What is reviewed and shown',
  limits: 'Limits',
  team: 'Team controls',
  output: 'Output',
  cost: 'Cost estimate',
  other: 'Other'
}

/** Columns of --help when stdout is not a terminal. */
export const DEFAULT_HELP_WIDTH = 80
/** Narrower terminals still get a readable layout: descriptions then start on a line of their own. */
const MIN_HELP_WIDTH = 40
/** Width of the flag column; a longer flag puts its description on the next line. */
const FLAG_COLUMN = 34

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter((part) => part !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else {
      line = line === '' ? word : `${line} ${word}`
    }
  }
  if (line !== '') lines.push(line)
  return lines
}

/** A flag's description with its default, unless the default says nothing (off unless given). */
function describeFlag(spec: FlagSpec): string {
  return spec.kind === 'boolean' || spec.defaultText === 'off'
    ? spec.help
    : `${spec.help} (default: ${spec.defaultText})`
}

/** One flag: its name in the first column, its description wrapped beside it (or below it when it does not fit). */
function renderFlag(spec: FlagSpec, width: number): string[] {
  const short = spec.short === undefined ? '    ' : `-${spec.short}, `
  const left = `  ${short}--${spec.name}${spec.value === undefined ? '' : ` ${spec.value}`}`
  const description = describeFlag(spec)
  const longestWord = Math.max(...description.split(/\s+/).map((word) => word.length))
  // Beside the flag when its words fit there; else under it, indented, with the whole width.
  const column = width - FLAG_COLUMN >= Math.max(24, longestWord) ? FLAG_COLUMN : 6
  const text = wrapWords(description, width - column)
  const indent = ' '.repeat(column)
  if (left.length >= column) return [left, ...text.map((line) => `${indent}${line}`)]
  const [first = '', ...rest] = text
  return [`${left.padEnd(column)}${first}`, ...rest.map((line) => `${indent}${line}`)]
}

/**
 * The `--help` text, wrapped to `width` columns (the terminal's, or {@link DEFAULT_HELP_WIDTH}): usage, every flag
 * with its default, the key variables and the exit codes.
 */
export function renderHelp(width: number = DEFAULT_HELP_WIDTH): string {
  const columns = Math.max(MIN_HELP_WIDTH, Math.floor(width))
  const paragraph = (text: string): string[] => wrapWords(text, columns)
  const lines = [
    ...paragraph('Usage: codex-pr-review [--base REF] [--head REF | --diff FILE|-] [options]'),
    '',
    ...paragraph(
      'Reviews a local change with the same pipeline as the codex-pr-review GitHub Action. ' +
        `With an API key in ${API_KEY_VARIABLES.join(' or ')} it reviews and prints the findings; ` +
        'without one (or with --dry-run) it works offline and prints the plan and its estimated cost. ' +
        'The flags under Models, What is reviewed and shown, Limits and Team controls (except --config) are the ' +
        'action inputs of the same names, with the same defaults and checks.'
    )
  ]
  for (const group of Object.keys(GROUP_TITLES) as FlagGroup[]) {
    lines.push('', `${GROUP_TITLES[group]}:`)
    for (const spec of FLAG_SPECS.filter((candidate) => candidate.group === group))
      lines.push(...renderFlag(spec, columns))
  }
  lines.push(
    '',
    ...paragraph(
      'Exit codes: 0 done, 1 review incomplete (a chunk failed), --fail-on-severity reached, or an error, ' +
        '2 invalid flags, arguments or config file.'
    ),
    ...paragraph('Progress goes to stderr, results to stdout.')
  )
  return `${lines.join('\n')}\n`
}
