/**
 * The repository config file (`.github/codex-review.yml` by default), read from the pull request's BASE
 * commit so a pull request cannot rewrite its own review rules. Parsing and validation are pure; every
 * error names the file, the key and the bad value.
 */
import { parseDocument } from 'yaml'
import { findGlobProblem } from '../diff/filter.js'
import { ConfigError, getErrorMessage } from '../errors.js'
import { SEVERITIES, type Severity } from '../types.js'
import { LIMITS } from './review-settings.js'

/** Keys the file may set. Credentials, endpoints, models and gates are inputs only: see applyRepoConfig. */
export const REPO_CONFIG_KEYS = [
  'instructions',
  'path_instructions',
  'include',
  'exclude',
  'severity_threshold',
  'language',
  'max_comments'
] as const

export const REPO_CONFIG_LIMITS = Object.freeze({
  /** Bigger files are refused before parsing: a config this size is a mistake, and YAML parsing is not free. */
  maxBytes: 64 * 1024,
  maxInstructionChars: 8_000,
  maxPathInstructions: 50,
  maxPathInstructionChars: 2_000,
  maxGlobs: 200,
  maxLanguageChars: 40
})

/** Extra guidance for files matching a glob. */
export interface PathInstruction {
  readonly pattern: string
  readonly instructions: string
}

/** What the file set; absent keys leave the action inputs as they are. */
export interface RepoConfig {
  readonly instructions?: string
  readonly pathInstructions: readonly PathInstruction[]
  readonly include?: readonly string[]
  readonly exclude?: readonly string[]
  readonly severityThreshold?: Severity
  readonly language?: string
  readonly maxComments?: number
}

/** Aliases expanded at most; a few legitimate anchors are fine, a billion laughs is not. */
const MAX_ALIAS_COUNT = 50

export const EMPTY_REPO_CONFIG: RepoConfig = Object.freeze({ pathInstructions: Object.freeze([]) })

/** Shows a bad value in an error: JSON, one line, bounded. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 80 ? `${text.slice(0, 79)}…` : text
}

type Fail = (key: string, problem: string, value?: unknown) => never

function makeFail(file: string): Fail {
  return (key, problem, ...rest) => {
    const got = rest.length > 0 ? `; got ${show(rest[0])}` : ''
    throw new ConfigError(`${file}: "${key}" ${problem}${got}.`)
  }
}

/**
 * Parses and validates the file's text. An empty file (or only comments) is an empty config.
 * Throws a ConfigError naming the file, the key and the bad value.
 */
export function parseRepoConfig(text: string, options: { readonly file: string }): RepoConfig {
  const { file } = options
  const bytes = Buffer.byteLength(text, 'utf8')
  if (bytes > REPO_CONFIG_LIMITS.maxBytes) {
    throw new ConfigError(`${file} is ${bytes} bytes; the limit is ${REPO_CONFIG_LIMITS.maxBytes}.`)
  }
  const document = parseDocument(text)
  const [syntax] = document.errors
  if (syntax !== undefined) {
    const where = syntax.linePos?.[0]
    const at = where === undefined ? '' : ` at line ${where.line}, column ${where.col}`
    const message = (syntax.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')
    throw new ConfigError(`${file}: invalid YAML${at}: ${message}.`)
  }
  let root: unknown
  try {
    root = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (error: unknown) {
    // yaml refuses alias bombs ("Excessive alias count …") while converting.
    throw new ConfigError(`${file}: ${getErrorMessage(error)}.`)
  }
  if (root === null || root === undefined) return EMPTY_REPO_CONFIG
  if (typeof root !== 'object' || Array.isArray(root)) {
    throw new ConfigError(
      `${file}: must be a mapping of settings (key: value), e.g. "severity_threshold: medium"; got ${show(root)}.`
    )
  }
  return readKeys(root as Record<string, unknown>, makeFail(file), file)
}

function readKeys(root: Record<string, unknown>, fail: Fail, file: string): RepoConfig {
  for (const key of Object.keys(root)) {
    if (!(REPO_CONFIG_KEYS as readonly string[]).includes(key)) {
      throw new ConfigError(`${file}: unknown key ${show(key)}; known keys: ${REPO_CONFIG_KEYS.join(', ')}.`)
    }
  }
  const has = (key: (typeof REPO_CONFIG_KEYS)[number]): boolean => root[key] !== undefined && root[key] !== null
  return Object.freeze({
    ...(has('instructions')
      ? {
          instructions: readText(root.instructions, {
            key: 'instructions',
            max: REPO_CONFIG_LIMITS.maxInstructionChars,
            fail
          })
        }
      : {}),
    pathInstructions: has('path_instructions') ? readPathInstructions(root.path_instructions, fail) : [],
    ...(has('include') ? { include: readGlobList(root.include, 'include', fail) } : {}),
    ...(has('exclude') ? { exclude: readGlobList(root.exclude, 'exclude', fail) } : {}),
    ...(has('severity_threshold') ? { severityThreshold: readSeverity(root.severity_threshold, fail) } : {}),
    ...(has('language') ? { language: readLanguage(root.language, fail) } : {}),
    ...(has('max_comments') ? { maxComments: readMaxComments(root.max_comments, fail) } : {})
  })
}

function readText(
  value: unknown,
  options: { readonly key: string; readonly max: number; readonly fail: Fail }
): string {
  if (typeof value !== 'string') return options.fail(options.key, 'must be text', value)
  const text = value.trim()
  if (text.length > options.max) {
    return options.fail(options.key, `must be at most ${options.max} characters (it has ${text.length})`)
  }
  return text
}

function readGlob(value: unknown, key: string, fail: Fail): string {
  if (typeof value !== 'string') return fail(key, 'must be a glob or a list of globs', value)
  const problem = findGlobProblem(value)
  if (problem !== undefined)
    return fail(key, `has an invalid glob (${problem}; picomatch syntax, e.g. "src/**/*.ts")`, value)
  return value.trim()
}

function readGlobList(value: unknown, key: string, fail: Fail): readonly string[] {
  const list = Array.isArray(value) ? value : [value]
  if (list.length > REPO_CONFIG_LIMITS.maxGlobs)
    fail(key, `must list at most ${REPO_CONFIG_LIMITS.maxGlobs} globs (it has ${list.length})`)
  return Object.freeze(list.map((entry) => readGlob(entry, key, fail)))
}

/** Either `{ "glob": "text" }` or a list of `{ path: glob, instructions: text }` (the CodeRabbit shape). */
function readPathInstructions(value: unknown, fail: Fail): readonly PathInstruction[] {
  const key = 'path_instructions'
  const pairs = Array.isArray(value)
    ? value.map((entry: unknown) => readListEntry(entry, fail))
    : readMapping(value, fail)
  if (pairs.length > REPO_CONFIG_LIMITS.maxPathInstructions) {
    fail(key, `must have at most ${REPO_CONFIG_LIMITS.maxPathInstructions} entries (it has ${pairs.length})`)
  }
  return Object.freeze(
    pairs.map(([pattern, instructions]) => ({
      pattern: readGlob(pattern, key, fail),
      instructions: readText(instructions, {
        key: `${key}.${String(pattern)}`,
        max: REPO_CONFIG_LIMITS.maxPathInstructionChars,
        fail
      })
    }))
  )
}

function readMapping(value: unknown, fail: Fail): [unknown, unknown][] {
  if (typeof value !== 'object' || value === null) {
    return fail('path_instructions', 'must map globs to instructions, e.g. "src/api/**": "Check authorization"', value)
  }
  return Object.entries(value)
}

function readListEntry(entry: unknown, fail: Fail): [unknown, unknown] {
  const record = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : undefined
  const extra =
    record === undefined ? [] : Object.keys(record).filter((name) => name !== 'path' && name !== 'instructions')
  if (record === undefined || extra.length > 0) {
    return fail('path_instructions', 'entries must be mappings with "path" and "instructions"', entry)
  }
  return [record.path, record.instructions]
}

function readSeverity(value: unknown, fail: Fail): Severity {
  const raw = typeof value === 'string' ? value.trim().toLowerCase() : undefined
  const match = SEVERITIES.find((severity) => severity === raw)
  return match ?? fail('severity_threshold', `must be one of ${SEVERITIES.join(', ')}`, value)
}

function readLanguage(value: unknown, fail: Fail): string {
  if (typeof value !== 'string')
    return fail('language', 'must be a language name or code such as "German" or "ja"', value)
  const language = value.trim()
  // It becomes part of the instructions: one short line, nothing that could open a block or a tag.
  if (language.length > REPO_CONFIG_LIMITS.maxLanguageChars || /[\n\r<>{}`]/.test(language)) {
    return fail('language', 'must be a language name or code such as "German" or "ja"', value)
  }
  return language
}

function readMaxComments(value: unknown, fail: Fail): number {
  const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0 || number > LIMITS.maxComments) {
    return fail('max_comments', `must be a whole number between 0 and ${LIMITS.maxComments}`, value)
  }
  return number
}
