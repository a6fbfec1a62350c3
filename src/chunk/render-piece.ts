/**
 * How the model sees the diff: one rendered UNIT per line of text, e.g.
 *
 *     <file path="src/a.ts" status="renamed" previous_path="src/old.ts" part="1/2">
 *     @@ -10,3 +10,3 @@ function section
 *       10   unchanged line
 *       11 + added line
 *          - deleted line
 *     </file>
 *
 * Every diff line shows its number in the NEW file (blank for deleted lines), so the model cites lines we can
 * check. Paths are JSON strings, so a hostile file name cannot close the tag or add attributes, and every diff
 * line starts with its number column, so no content can forge a `<file>`, `</file>` or `@@` line.
 *
 * TOKEN ADDITIVITY. The planner counts each unit once and a chunk's count is the sum over its units, which is
 * exact, not an estimate. o200k_base first splits text with the pre-tokenizer pattern in gpt-tokenizer's
 * `encodingParams/constants.js` (O200K_TOKEN_SPLIT_PATTERN), then runs BPE inside each piece, so the count
 * of A+B equals count(A) + count(B) when no pre-token match crosses the A|B boundary. With A ending in "\n":
 * - The letter alternatives `[^\r\n\p{L}\p{N}]?[letters]+…` and `\p{N}{1,3}` cannot contain "\n".
 * - ` ?[^\s\p{L}\p{N}]+[\r\n/]*` can swallow A's final "\n" and then continues only over `\r`, `\n` or `/`.
 * - `\s*[\r\n]+` can run past A's "\n" only if B starts with `\r`/`\n`, or with whitespace that reaches a
 *   `\r`/`\n` before any non-space character.
 * - `\s+(?!\S)` and `\s+` are tried after `\s*[\r\n]+`, which always matches a run of spaces ending in "\n",
 *   so they never match A's trailing whitespace; elsewhere their look-ahead sees only A.
 * The pattern has no look-behind and no anchors, so matching B from its first character is the same with or
 * without A before it. Hence every unit here ends with exactly one "\n" (no raw "\n" inside, see
 * `escapeNewlines`) and starts with `<`, `@`, a digit, or spaces followed by a digit, `-` or `?`.
 * Special tokens are counted as ordinary text (tokens.ts), so they do not split the text either.
 *
 * `prepareFile` renders and counts a file's units once, for the planner (plan.ts) to pack without re-rendering.
 */
import type { DiffFile, DiffHunk, DiffLine, FileStatus } from '../types.js'
import { countTokens } from './tokens.js'

/** Width of the number column; files over 9,999 lines just get a wider column on those rows. */
export const LINE_NUMBER_WIDTH = 4

/** Closes every file piece. */
export const FILE_CLOSE = '</file>\n'

const BLANK_NUMBER = ' '.repeat(LINE_NUMBER_WIDTH)
const MARKERS: Readonly<Record<DiffLine['kind'], string>> = { add: '+', del: '-', context: ' ' }
/** JSON leaves these raw; escaping them keeps tag-like or line-breaking text out of attribute values. */
const ATTRIBUTE_EXTRA_ESCAPES = /[<>&\u2028\u2029]/g
const SECTION_PATTERN = /^@@ [^@]*@@ ?(.*)$/s
/** A file's opening line is cut down (paths shortened, keeping their end) to at most this many tokens. */
const FILE_HEADER_TOKEN_CAP = 112
/** A hunk's section (the enclosing function git shows) is dropped when longer than this. */
const MAX_SECTION_TOKENS = 40
/** The longest o200k_base token is 128 characters, so a prefix longer than this per token cannot fit. */
const MAX_CHARS_PER_TOKEN = 128
const ELLIPSIS = '…'

/** What a file's opening line shows; `part` is omitted when the file is in one piece. */
export interface FileOpenView {
  readonly path: string
  readonly previousPath?: string
  readonly status: FileStatus
  readonly part: number
  readonly parts: number
}

/** Numbers and section text of a hunk (or of a slice of one) as shown on its `@@` line. */
export interface HunkHeaderView {
  readonly oldStart: number
  readonly oldLines: number
  readonly newStart: number
  readonly newLines: number
  /** Text after the closing `@@` (the enclosing function, as git shows it), or ''. */
  readonly section: string
}

/** A JSON string literal that also escapes `<`, `>`, `&`, U+2028 and U+2029. */
export function escapeAttribute(value: string): string {
  return JSON.stringify(value).replace(
    ATTRIBUTE_EXTRA_ESCAPES,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

/** The `<file …>` unit opening one piece of a file. */
export function renderFileOpen(view: FileOpenView): string {
  const previous = view.previousPath === undefined ? '' : ` previous_path=${escapeAttribute(view.previousPath)}`
  const part = view.parts > 1 ? ` part="${view.part}/${view.parts}"` : ''
  return `<file path=${escapeAttribute(view.path)} status="${view.status}"${previous}${part}>\n`
}

/** The text after the closing `@@` of a hunk header, with line breaks flattened; '' when there is none. */
export function extractHunkSection(header: string): string {
  const match = SECTION_PATTERN.exec(header)
  return (match?.[1] ?? '').replace(/[\r\n]+/g, ' ').trimEnd()
}

/** The `@@ -a,b +c,d @@ section` unit. Counts are always written, so the shape never depends on values. */
export function renderHunkHeader(view: HunkHeaderView): string {
  const section = view.section === '' ? '' : ` ${view.section}`
  return `@@ -${view.oldStart},${view.oldLines} +${view.newStart},${view.newLines} @@${section}\n`
}

/** The unit of one diff line: new-file number column, marker, content. */
export function renderLine(line: DiffLine): string {
  return `${renderPrefix(line)}${escapeNewlines(line.content)}\n`
}

/** Builds the marker appended to a line whose content was cut to fit the budget. */
export function formatTruncationMarker(totalChars: number): string {
  return ` …[line truncated: ${totalChars} chars]`
}

/**
 * The unit of a line too long for any chunk: its first `keptChars` characters (never half a surrogate pair)
 * followed by the truncation marker.
 */
export function renderTruncatedLine(line: DiffLine, keptChars: number): string {
  const content = escapeNewlines(line.content)
  let end = Math.max(0, Math.min(keptChars, content.length))
  if (end > 0 && isHighSurrogate(content.charCodeAt(end - 1))) end -= 1
  return `${renderPrefix(line)}${content.slice(0, end)}${formatTruncationMarker(line.content.length)}\n`
}

function renderPrefix(line: DiffLine): string {
  // A missing number on a non-deleted line would be a parser bug; '?' keeps the column non-blank regardless.
  const number = line.kind === 'del' ? BLANK_NUMBER : String(line.newNumber ?? '?').padStart(LINE_NUMBER_WIDTH)
  return `${number} ${MARKERS[line.kind]} `
}

/** Parsers split on "\n", so content never has one; if it did, it could start a forged line. */
function escapeNewlines(content: string): string {
  return content.includes('\n') ? content.replaceAll('\n', '\\n') : content
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff
}

/** A rendered line with its token count. */
export interface LineUnit {
  readonly line: DiffLine
  readonly text: string
  readonly tokens: number
}

/** A hunk rendered once, whole, with counts; slices reuse its line units. */
export interface PreparedHunk {
  readonly hunk: DiffHunk
  /** Section shown on its `@@` lines ('' when absent or too long). */
  readonly section: string
  readonly headerText: string
  readonly headerTokens: number
  readonly lines: readonly LineUnit[]
  /** Header plus lines. */
  readonly tokens: number
  /** Old and new line numbers just before the hunk (`@@ -0,0` for a new file gives 0). */
  readonly oldBase: number
  readonly newBase: number
}

/** A file rendered once as a single piece, with counts. */
export interface PreparedFile {
  readonly file: DiffFile
  /** Path, previous path and status as shown (paths shortened when absurdly long). */
  readonly view: Omit<FileOpenView, 'part' | 'parts'>
  readonly open: string
  readonly openTokens: number
  readonly hunks: readonly PreparedHunk[]
  /** The whole file as one piece: opening line, hunks, `</file>`. */
  readonly tokens: number
}

/** Renders and tokenizes every unit of `file` once. `closeTokens` is the count of FILE_CLOSE. */
export function prepareFile(file: DiffFile, closeTokens: number): PreparedFile {
  const { view, open, openTokens } = fitFileOpen(file)
  const hunks = file.hunks.map(prepareHunk)
  const tokens = hunks.reduce((sum, hunk) => sum + hunk.tokens, openTokens + closeTokens)
  return { file, view, open, openTokens, hunks, tokens }
}

/** The `@@` unit of a slice of `prepared` with the slice's numbers. */
export function renderSliceHeader(prepared: PreparedHunk, numbers: Omit<HunkHeaderView, 'section'>): string {
  return renderHunkHeader({ ...numbers, section: prepared.section })
}

/** Upper bound on the tokens of any slice header of `prepared` (see plan.ts on why digits bound it). */
export function countSliceHeaderReserve(prepared: PreparedHunk): number {
  const { hunk } = prepared
  let bound = Math.max(hunk.oldStart + hunk.oldLines, hunk.newStart + hunk.newLines, hunk.lines.length)
  for (const { oldNumber = 0, newNumber = 0 } of hunk.lines) bound = Math.max(bound, oldNumber, newNumber)
  // +1 covers a start computed as "line before + 1" when a parser left a number out.
  const worst = bound + 1
  const numbers = { oldStart: worst, oldLines: worst, newStart: worst, newLines: worst }
  return countTokens(renderSliceHeader(prepared, numbers))
}

/** The longest prefix of the line whose truncated unit has at most `maxTokens` tokens. */
export function truncateLineUnit(unit: LineUnit, maxTokens: number): LineUnit {
  const limit = Math.min(unit.line.content.length, maxTokens * MAX_CHARS_PER_TOKEN)
  const kept = findLongestFit(limit, (length) => countTokens(renderTruncatedLine(unit.line, length)) <= maxTokens)
  if (kept === undefined) throw new RangeError(`a truncated line does not fit in ${maxTokens} tokens`)
  const text = renderTruncatedLine(unit.line, kept)
  return { line: unit.line, text, tokens: countTokens(text) }
}

function prepareHunk(hunk: DiffHunk): PreparedHunk {
  const raw = extractHunkSection(hunk.header)
  const section = raw !== '' && countTokens(raw) <= MAX_SECTION_TOKENS ? raw : ''
  const headerText = renderHunkHeader({ ...hunk, section })
  const headerTokens = countTokens(headerText)
  let tokens = headerTokens
  const lines = hunk.lines.map((line): LineUnit => {
    const text = renderLine(line)
    const unit = { line, text, tokens: countTokens(text) }
    tokens += unit.tokens
    return unit
  })
  const oldBase = hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1
  const newBase = hunk.newLines === 0 ? hunk.newStart : hunk.newStart - 1
  return { hunk, section, headerText, headerTokens, lines, tokens, oldBase, newBase }
}

/** The file's opening line; paths keep only their ends when it would pass FILE_HEADER_TOKEN_CAP. */
function fitFileOpen(file: DiffFile): Pick<PreparedFile, 'view' | 'open' | 'openTokens'> {
  const fitWith = (keep: number): Pick<PreparedFile, 'view' | 'open' | 'openTokens'> => {
    const view = {
      path: shortenPath(file.path, keep),
      ...(file.previousPath === undefined ? {} : { previousPath: shortenPath(file.previousPath, keep) }),
      status: file.status
    }
    const open = renderFileOpen({ ...view, part: 1, parts: 1 })
    return { view, open, openTokens: countTokens(open) }
  }
  const longest = Math.max(file.path.length, file.previousPath?.length ?? 0)
  const full = fitWith(longest)
  if (full.openTokens <= FILE_HEADER_TOKEN_CAP) return full
  const keep = findLongestFit(longest, (n) => fitWith(n).openTokens <= FILE_HEADER_TOKEN_CAP)
  return fitWith(keep ?? 0)
}

function shortenPath(path: string, keep: number): string {
  if (path.length <= keep) return path
  let start = path.length - keep
  if (isLowSurrogate(path.charCodeAt(start))) start += 1
  return `${ELLIPSIS}${path.slice(start)}`
}

/**
 * Largest n in [0, max] with fits(n), by binary search (counts are nearly monotone in n; whatever is
 * returned was checked to fit). Undefined when even 0 does not fit.
 */
function findLongestFit(max: number, fits: (n: number) => boolean): number | undefined {
  if (!fits(0)) return undefined
  let low = 0
  let high = max
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if (fits(middle)) low = middle
    else high = middle - 1
  }
  return low
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff
}
