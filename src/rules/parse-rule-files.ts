/**
 * Turns one rule file's text into the rule entries a review request may carry. Pure; the text is read at
 * the pull request's base commit, so a pull request cannot rewrite its own rules, but it is still bounded
 * and parsed defensively (size, front-matter size, YAML aliases, glob count).
 *
 * What is taken from each kind of file (see rule-candidates.ts for which files those are):
 * - `AGENTS.md` and `CLAUDE.md`: only their review sections (see {@link isReviewHeading}). A file without one
 *   contributes nothing. These files are mostly build, test and workflow instructions for an agent that
 *   edits code; sent whole to a reviewer they cost tokens in every request and invite comments about how to
 *   run the project instead of about the change. Codex's own review reads the "Review guidelines" section the
 *   same way. Teams that want a file's guidance used say so with a review heading.
 * - `.github/copilot-instructions.md`: the whole file, for the whole repository (Copilot code review does).
 * - `.github/instructions/**\/*.instructions.md`: the whole body, for the files its front matter's `applyTo`
 *   globs match; a file without `applyTo` is not applied (as with Copilot), and one with
 *   `excludeAgent: "code-review"` is meant for other agents and is skipped.
 */
import { parseDocument } from 'yaml'
import { findGlobProblem } from '../diff/filter.js'
import { getErrorMessage } from '../errors.js'
import { classifyRuleFile, RULE_FILE_LIMITS } from './rule-candidates.js'

/** Where a rule applies: everywhere, to a directory's tree, or to files matching globs (picomatch, dot files too). */
export type RuleScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'directory'; readonly dir: string }
  | { readonly kind: 'globs'; readonly globs: readonly string[] }

/** Review guidance from one rule file. */
export interface RuleEntry {
  /** Path of the file in the repository. */
  readonly source: string
  readonly scope: RuleScope
  /** The guidance, trimmed: the file's review sections, or its whole body. */
  readonly text: string
}

/** What a file contributes, and why (part of) it is not used: for the log and the dry run. */
export interface ParsedRuleFile {
  readonly entries: readonly RuleEntry[]
  readonly notes: readonly string[]
}

export const RULE_PARSE_LIMITS = Object.freeze({
  /** Front matter larger than this is not parsed: `applyTo` and `excludeAgent` need a few lines. */
  maxFrontMatterBytes: 4 * 1024,
  /** Aliases expanded at most; front matter has no use for them, a billion laughs is refused. */
  maxAliasCount: 10,
  maxGlobs: 50
})

/** The agent name Copilot's `excludeAgent` uses for code review. */
const CODE_REVIEW_AGENT = 'code-review'
/** `applyTo` globs that match every file: the rule is repository-wide (and part of the stable prompt prefix). */
const EVERYTHING_GLOBS = new Set(['**', '**/*'])

/**
 * True when a heading names a review section: a word "review", "reviews", "reviewing", "reviewed",
 * "reviewer" or "reviewers", case-insensitive, anywhere in the heading. This matches "Review guidelines",
 * "Code review", "Code Review Rules", "Reviewing changes", "PR review checklist", "Notes for reviewers"
 * and not "Preview" or "Overview".
 */
export function isReviewHeading(text: string): boolean {
  return /(?:^|[^\p{L}\p{N}])review(?:s|ing|ed|ers?)?(?![\p{L}\p{N}])/iu.test(text.replace(/[*_`]/g, ''))
}

interface Heading {
  /** Line index of the heading's text. */
  readonly line: number
  /** Lines the heading occupies (2 for a setext heading). */
  readonly height: number
  readonly level: number
  readonly text: string
}

const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/
const FENCE_OPEN = /^[ \t]*(`{3,}|~{3,})(.*)$/
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/
/** Lines that cannot be the text of a setext heading: blank, indented code, list items, block quotes. */
const NOT_PARAGRAPH = /^(?:[ \t]*$| {4}|\t| {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)| {0,3}>)/

/**
 * Tracks fenced code blocks and HTML comments line by line: headings inside them do not count. An
 * unclosed fence runs to the end of the text, as in CommonMark.
 */
function createBlockTracker(): (line: string) => boolean {
  let fence: { readonly char: string; readonly length: number } | undefined
  let inComment = false
  return (line) => {
    if (fence !== undefined) {
      const close = /^[ \t]*(`{3,}|~{3,})[ \t]*$/.exec(line)
      const marker = close?.[1] ?? ''
      if (marker.startsWith(fence.char) && marker.length >= fence.length) fence = undefined
      return true
    }
    if (inComment) {
      inComment = !line.includes('-->')
      return true
    }
    const open = FENCE_OPEN.exec(line)
    const marker = open?.[1] ?? ''
    if (open !== null && !(marker.startsWith('`') && (open[2] ?? '').includes('`'))) {
      fence = { char: marker.charAt(0), length: marker.length }
      return true
    }
    const trimmed = line.trimStart()
    if (trimmed.startsWith('<!--')) {
      inComment = !trimmed.slice(4).includes('-->')
      return true
    }
    return false
  }
}

/** The ATX (`## Title`) and setext (`Title` over `===`/`---`) headings outside code blocks and comments. */
function findHeadings(lines: readonly string[]): Heading[] {
  const inBlock = createBlockTracker()
  const headings: Heading[] = []
  let previousWasText = false
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? ''
    if (inBlock(line)) {
      previousWasText = false
      continue
    }
    const atx = ATX_HEADING.exec(line)
    if (atx !== null) {
      headings.push({ line: index, height: 1, level: (atx[1] ?? '#').length, text: (atx[2] ?? '').trim() })
      previousWasText = false
      continue
    }
    const underline = SETEXT_UNDERLINE.exec(line)
    if (underline !== null && previousWasText) {
      const level = (underline[1] ?? '=').startsWith('=') ? 1 : 2
      headings.push({ line: index - 1, height: 2, level, text: (lines[index - 1] ?? '').trim() })
      previousWasText = false
      continue
    }
    previousWasText = !NOT_PARAGRAPH.test(line) && !THEMATIC_BREAK.test(line)
  }
  return headings
}

/** Collapses runs of blank lines and trims, so padding costs no tokens. */
function tidy(text: string): string {
  return text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

/**
 * The review sections of a Markdown text, in document order. A section starts at a review heading and ends
 * before the next heading of the same or a higher level (fewer `#`), so its subsections come with it; a review
 * heading inside a section already taken is not taken again. Headings inside fenced code blocks and HTML
 * comments do not count. A section with nothing under its heading is left out.
 */
export function extractReviewSections(markdown: string): string[] {
  const lines = markdown.split('\n')
  const headings = findHeadings(lines)
  const sections: string[] = []
  let takenUntil = -1
  headings.forEach((heading, position) => {
    if (heading.line < takenUntil || !isReviewHeading(heading.text)) return
    let end = lines.length
    for (let index = position + 1; index < headings.length; index++) {
      const candidate = headings[index]
      if (candidate !== undefined && candidate.level <= heading.level) {
        end = candidate.line
        break
      }
    }
    const body = lines.slice(heading.line + heading.height, end).join('\n')
    takenUntil = end
    if (body.trim() === '') return
    sections.push(tidy(lines.slice(heading.line, end).join('\n')))
  })
  return sections
}

/** A YAML front matter block (`---` … `---` or `...`) at the start of a text, and the body after it. */
export interface FrontMatterSplit {
  /** The YAML between the fences; undefined when the text has none. */
  readonly yaml?: string
  readonly body: string
  /** Set when the text opens a front matter block that does not close within the size limit. */
  readonly problem?: string
}

/** Splits off the front matter. The closing fence must come within RULE_PARSE_LIMITS.maxFrontMatterBytes. */
export function splitFrontMatter(text: string): FrontMatterSplit {
  if (!/^---[ \t]*\n/.test(text)) return { body: text }
  const start = text.indexOf('\n') + 1
  const close = /^(?:---|\.\.\.)[ \t]*$/m
  const window = text.slice(start, start + RULE_PARSE_LIMITS.maxFrontMatterBytes + 5)
  const match = close.exec(window)
  if (match === null) {
    return {
      body: text,
      problem: `its front matter does not close within ${RULE_PARSE_LIMITS.maxFrontMatterBytes} bytes`
    }
  }
  const yaml = window.slice(0, match.index)
  const after = start + match.index + match[0].length
  return { yaml, body: text.slice(after).replace(/^\n/, '') }
}

/**
 * Splits `applyTo` text at commas outside `{…}` and `[…]`, so `**\/*.{ts,tsx}` stays one glob. With an
 * unclosed bracket every comma splits, so one bad glob cannot swallow the ones after it.
 */
export function splitGlobList(value: string): string[] {
  const parts: string[] = []
  let depth = 0
  let current = ''
  for (const char of value) {
    if (char === '{' || char === '[') depth++
    else if ((char === '}' || char === ']') && depth > 0) depth--
    if (char === ',' && depth === 0) {
      parts.push(current)
      current = ''
    } else {
      current += char
    }
  }
  parts.push(current)
  return (depth === 0 ? parts : value.split(',')).map((part) => part.trim()).filter((part) => part !== '')
}

type FrontMatter = Readonly<Record<string, unknown>>

function readFrontMatter(yaml: string): { readonly data?: FrontMatter; readonly problem?: string } {
  const document = parseDocument(yaml)
  const [syntax] = document.errors
  if (syntax !== undefined)
    return { problem: `its front matter is not valid YAML (${(syntax.message.split('\n')[0] ?? '').trim()})` }
  let data: unknown
  try {
    data = document.toJS({ maxAliasCount: RULE_PARSE_LIMITS.maxAliasCount })
  } catch (error: unknown) {
    return { problem: `its front matter could not be read (${getErrorMessage(error)})` }
  }
  if (data === null || data === undefined) return { data: {} }
  if (typeof data !== 'object' || Array.isArray(data)) return { problem: 'its front matter is not a mapping of keys' }
  return { data: data as FrontMatter }
}

/** A string, or a list of strings, as a list; undefined for anything else. */
function readStringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value) && value.every((item): item is string => typeof item === 'string')) return value
  return undefined
}

function isExcludedFromReview(value: unknown): boolean {
  return (readStringList(value) ?? []).some((agent) => agent.trim().toLowerCase() === CODE_REVIEW_AGENT)
}

/** `./src/**` and `/src/**` mean `src/**` relative to the repository root. */
function normaliseGlob(glob: string): string {
  return glob.replace(/^(?:\.\/|\/)+/, '')
}

/** Valid `applyTo` globs, and notes for the ones left out. */
function readApplyTo(value: unknown, path: string): { readonly globs: string[]; readonly notes: string[] } {
  const list = readStringList(value)
  if (list === undefined) {
    const problem = '"applyTo" must be a glob, a comma-separated list of globs or a list'
    return { globs: [], notes: [`${path}: ${problem}; the file is not used.`] }
  }
  const notes: string[] = []
  const globs: string[] = []
  for (const raw of list.flatMap(splitGlobList).map(normaliseGlob)) {
    const problem = raw.startsWith('!') ? 'negated globs are not supported' : findGlobProblem(raw)
    if (problem !== undefined) notes.push(`${path}: applyTo glob "${raw}" is left out (${problem}).`)
    else if (!globs.includes(raw)) globs.push(raw)
  }
  if (globs.length > RULE_PARSE_LIMITS.maxGlobs) {
    notes.push(`${path}: only the first ${RULE_PARSE_LIMITS.maxGlobs} of ${globs.length} applyTo globs are used.`)
    globs.length = RULE_PARSE_LIMITS.maxGlobs
  }
  if (globs.length === 0 && notes.length === 0) notes.push(`${path}: "applyTo" is empty; the file is not used.`)
  return { globs, notes }
}

function parseCopilotPathFile(path: string, split: FrontMatterSplit): ParsedRuleFile {
  if (split.problem !== undefined) return { entries: [], notes: [`${path}: ${split.problem}; the file is not used.`] }
  if (split.yaml === undefined) {
    return {
      entries: [],
      notes: [`${path}: no front matter with "applyTo", so it applies to no file (as with Copilot).`]
    }
  }
  const { data, problem } = readFrontMatter(split.yaml)
  if (data === undefined) {
    return {
      entries: [],
      notes: [`${path}: ${problem ?? 'its front matter could not be read'}; the file is not used.`]
    }
  }
  if (isExcludedFromReview(data.excludeAgent)) {
    return { entries: [], notes: [`${path}: excludeAgent "${CODE_REVIEW_AGENT}"; not used for review.`] }
  }
  if (data.applyTo === undefined || data.applyTo === null) {
    return {
      entries: [],
      notes: [`${path}: no "applyTo" in its front matter, so it applies to no file (as with Copilot).`]
    }
  }
  const { globs, notes } = readApplyTo(data.applyTo, path)
  const text = tidy(split.body)
  if (globs.length === 0) return { entries: [], notes }
  if (text === '') return { entries: [], notes: [...notes, `${path}: empty; nothing to use.`] }
  const scope: RuleScope = globs.some((glob) => EVERYTHING_GLOBS.has(glob)) ? { kind: 'all' } : { kind: 'globs', globs }
  return { entries: [{ source: path, scope, text }], notes }
}

/**
 * The rule entries in one rule file (at most one: a file's review sections are joined) and notes on what
 * was left out. `path` decides how the text is read; a path that is no rule file gives nothing.
 */
export function parseRuleFile(file: { readonly path: string; readonly text: string }): ParsedRuleFile {
  const { path } = file
  const info = classifyRuleFile(path)
  if (info === undefined) return { entries: [], notes: [] }
  const bytes = Buffer.byteLength(file.text, 'utf8')
  if (bytes > RULE_FILE_LIMITS.maxFileBytes) {
    return {
      entries: [],
      notes: [`${path}: ${bytes} bytes, over the limit of ${RULE_FILE_LIMITS.maxFileBytes}; not used.`]
    }
  }
  if (file.text.includes('\0')) return { entries: [], notes: [`${path}: not a text file; not used.`] }
  const split = splitFrontMatter(file.text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'))
  if (info.kind === 'copilot-path') return parseCopilotPathFile(path, split)
  const scope: RuleScope = info.dir === '' ? { kind: 'all' } : { kind: 'directory', dir: info.dir }
  if (info.kind === 'copilot') {
    const text = tidy(split.body)
    if (text === '') return { entries: [], notes: [`${path}: empty; nothing to use.`] }
    return { entries: [{ source: path, scope, text }], notes: [] }
  }
  const sections = extractReviewSections(split.body)
  if (sections.length === 0) {
    return { entries: [], notes: [`${path}: no review section (a heading such as "Review guidelines"); not used.`] }
  }
  return { entries: [{ source: path, scope, text: sections.join('\n\n') }], notes: [] }
}

/** Parses every file, keeping the files' order; notes of all files together. */
export function parseRuleFiles(files: readonly { readonly path: string; readonly text: string }[]): ParsedRuleFile {
  const parsed = files.map(parseRuleFile)
  return { entries: parsed.flatMap((file) => file.entries), notes: parsed.flatMap((file) => file.notes) }
}
