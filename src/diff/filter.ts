/**
 * Decides which files go to the model. Every skipped file keeps a reason and a detail for the summary.
 * Per file, the first rule that applies wins: file limit, submodule, no patch, binary/image, deleted or unchanged,
 * default skips (lockfile, vendored, build output, minified, generated), too large, then the user's globs.
 */
import picomatch from 'picomatch'
import { ConfigError, getErrorMessage } from '../errors.js'
import type { DiffFile, FilterResult, SkippedFile } from '../types.js'
import { detectBinaryByName, detectDefaultSkip, detectSubmodule, type SkipDecision } from './default-skips.js'

export interface FilterOptions {
  /** When non-empty, only files matching one of these globs are reviewed. */
  readonly include: readonly string[]
  /** Files matching any of these globs are not reviewed. */
  readonly exclude: readonly string[]
  /** Files with more added + deleted lines than this are not reviewed. */
  readonly maxFileChangedLines: number
  /** Only the first this many files of the diff are considered. */
  readonly maxFiles: number
}

interface GlobMatcher {
  readonly pattern: string
  readonly matches: (path: string) => boolean
}

const GLOB_HINT = 'Globs use picomatch syntax, e.g. "src/**/*.ts".'
const OPENER_OF: Readonly<Record<string, string>> = { '}': '{', ')': '(' }

/** Splits files into reviewable and skipped (with reasons), keeping the diff's order. */
export function filterFiles(files: readonly DiffFile[], options: FilterOptions): FilterResult {
  const include = compileGlobs(options.include)
  const exclude = compileGlobs(options.exclude)
  const reviewable: DiffFile[] = []
  const skipped: SkippedFile[] = []
  files.forEach((file, index) => {
    const decision =
      index >= options.maxFiles
        ? overFileLimit(index, files.length, options.maxFiles)
        : (decideContentSkip(file, options.maxFileChangedLines) ?? decideGlobSkip(file.path, { include, exclude }))
    if (decision === undefined) reviewable.push(file)
    else skipped.push({ path: file.path, reason: decision.reason, detail: decision.detail })
  })
  return { reviewable, skipped }
}

/**
 * How a skipped file is explained to people: the reason alone, or `reason: detail` when the detail adds
 * something (the pattern that matched, the commits a submodule moved between, a size).
 */
export function describeSkip(skipped: Pick<SkippedFile, 'reason' | 'detail'>): string {
  const detail = skipped.detail.trim()
  return detail === '' ? skipped.reason : `${skipped.reason}: ${detail}`
}

/**
 * Throws a ConfigError naming the input and the first bad pattern: empty, unbalanced `[`, `{`, `(`,
 * or one picomatch cannot compile.
 */
export function validateGlobs(patterns: readonly string[], inputName: string): void {
  for (const pattern of patterns) {
    const problem = findGlobProblem(pattern)
    if (problem !== undefined) {
      throw new ConfigError(`Input "${inputName}" has an invalid glob "${pattern}": ${problem}. ${GLOB_HINT}`)
    }
  }
}

function overFileLimit(index: number, total: number, maxFiles: number): SkipDecision {
  return { reason: 'over-file-limit', detail: `file ${index + 1} of ${total}; only the first ${maxFiles} are reviewed` }
}

function decideContentSkip(file: DiffFile, maxChangedLines: number): SkipDecision | undefined {
  const submodule = detectSubmodule(file)
  if (submodule !== undefined) return submodule
  if (file.missingPatchReason !== undefined) {
    return detectBinaryByName(file.path) ?? { reason: 'no-patch', detail: file.missingPatchReason }
  }
  const byName = detectBinaryByName(file.path)
  if (byName?.reason === 'image') return byName
  if (file.binary) return { reason: 'binary', detail: '' }
  if (byName !== undefined) return byName
  // Nothing is left in the head to comment on; the reason says it all.
  if (file.status === 'deleted') return { reason: 'deleted', detail: '' }
  if (!file.hunks.some((hunk) => hunk.lines.some((line) => line.kind !== 'context'))) {
    return { reason: 'no-changes', detail: describeUnchanged(file) }
  }
  const defaultSkip = detectDefaultSkip(file)
  if (defaultSkip !== undefined) return defaultSkip
  const changed = file.additions + file.deletions
  if (changed > maxChangedLines) {
    return { reason: 'too-large', detail: `${changed} changed lines, over the limit of ${maxChangedLines} per file` }
  }
  return undefined
}

function describeUnchanged(file: DiffFile): string {
  if (file.status === 'renamed' && file.previousPath !== undefined) return `renamed from ${file.previousPath}`
  if (file.status === 'copied' && file.previousPath !== undefined) return `copied from ${file.previousPath}`
  return ''
}

function decideGlobSkip(
  path: string,
  globs: { readonly include: readonly GlobMatcher[]; readonly exclude: readonly GlobMatcher[] }
): SkipDecision | undefined {
  const excludedBy = globs.exclude.find((glob) => glob.matches(path))
  if (excludedBy !== undefined) return { reason: 'excluded', detail: `matches "${excludedBy.pattern}"` }
  if (globs.include.length > 0 && !globs.include.some((glob) => glob.matches(path))) {
    const patterns = globs.include.map((glob) => `"${glob.pattern}"`).join(', ')
    return { reason: 'not-included', detail: `matches none of ${patterns}` }
  }
  return undefined
}

function compileGlobs(patterns: readonly string[]): GlobMatcher[] {
  return patterns.map((pattern) => ({ pattern, matches: picomatch(pattern, { dot: true }) }))
}

/** Why a glob is unusable (empty, unbalanced, not compilable), or undefined when it is fine. */
export function findGlobProblem(pattern: string): string | undefined {
  if (pattern.trim().length === 0) return 'it is empty'
  const unbalanced = findUnbalanced(pattern)
  if (unbalanced !== undefined) return `unbalanced "${unbalanced}"`
  try {
    // picomatch swallows regex errors and returns a regex that matches nothing (source `$^`).
    if (picomatch.makeRe(pattern, { dot: true }).source === '$^') return 'picomatch cannot compile it'
  } catch (error: unknown) {
    return `picomatch cannot compile it (${getErrorMessage(error)})`
  }
  return undefined
}

/** The first bracket that is never closed (or closed without being opened); backslash escapes the next character. */
function findUnbalanced(pattern: string): string | undefined {
  const open: string[] = []
  let classBody = -1 // index where the current `[...]` class's content starts, -1 outside a class
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index] ?? ''
    if (char === '\\') {
      index++
    } else if (classBody !== -1) {
      // `]` as the first character of a class (`[]a]`, `[!]a]`) is a literal.
      if (char === ']' && index > classBody) {
        open.pop()
        classBody = -1
      }
    } else if (char === '[') {
      open.push(char)
      classBody = /[!^]/.test(pattern[index + 1] ?? '') ? index + 2 : index + 1
    } else if (char === '{' || char === '(') {
      open.push(char)
    } else if (char in OPENER_OF) {
      if (open[open.length - 1] !== OPENER_OF[char]) return open[open.length - 1] ?? char
      open.pop()
    }
  }
  return open[open.length - 1]
}
