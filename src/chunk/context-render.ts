/**
 * How the model sees context: code at the reviewed head that the chunk's diff does not show, in blocks of
 * contiguous lines apart from the diff, e.g.
 *
 *     <context path="src/config.ts" lines="40-42">
 *       40 | const apiSecret = process.env.API_SECRET
 *       41 | const region = 'eu-west-1'
 *       42 | export { apiSecret, region }
 *     </context>
 *
 * Every line shows its number in the NEW (head) file, like the diff's, and a `|` where the diff has its marker,
 * so a context line can never be mistaken for a changed one. The path is a JSON string (escapeAttribute), so a
 * hostile name cannot close the tag; every content line starts with its number column, so no content can start
 * a forged `<context>` or `</context>` line, and our delimiter tags inside a line are defused (`&lt;`) before
 * counting, so the text counted is the text sent.
 *
 * Each block is rendered as UNITS (the opening tag, one unit per line, the closing tag), each ending with
 * exactly one "\n" and starting with `<` or spaces before a digit: the additivity argument of render-piece.ts
 * holds, so a block's tokens, and a chunk's context tokens, are the sums of its units' o200k counts, exact.
 */
import type { LineRange } from '../context/line-range.js'
import { escapeAttribute } from './render-piece.js'
import { countTokens } from './tokens.js'

/** Closes every context block. */
export const CONTEXT_CLOSE = '</context>\n'

/** Width of the number column, as in the diff. */
const LINE_NUMBER_WIDTH = 4
/** A context line longer than this is cut (minified code would otherwise eat the budget in one line). */
export const MAX_CONTEXT_LINE_CHARS = 400
/** A path longer than this is shown by its end only. */
const MAX_CONTEXT_PATH_CHARS = 300
/** Our delimiter tags: inside context text they become `&lt;…`, so a line cannot pose as the end of a block. */
const DELIMITER_TAGS = /<(\/?)(context|diff|file|pull_request|title|description)\b/gi

/** The `<context …>` unit opening a block of lines `range` of `path`. */
export function renderContextOpen(path: string, range: LineRange): string {
  const shown = path.length > MAX_CONTEXT_PATH_CHARS ? `…${path.slice(path.length - MAX_CONTEXT_PATH_CHARS)}` : path
  return `<context path=${escapeAttribute(shown)} lines="${range.start}-${range.end}">\n`
}

/** The unit of one context line: its head-file number, `|`, its content (cut when very long, tags defused). */
export function renderContextLine(number: number, content: string): string {
  const text = content.endsWith('\r') ? content.slice(0, -1) : content
  const cut = cutLine(text).replace(DELIMITER_TAGS, (_match: string, slash: string, name: string) => {
    return `&lt;${slash}${name}`
  })
  return `${String(number).padStart(LINE_NUMBER_WIDTH)} | ${cut}\n`
}

function cutLine(text: string): string {
  if (text.length <= MAX_CONTEXT_LINE_CHARS) return text
  let end = MAX_CONTEXT_LINE_CHARS
  const code = text.charCodeAt(end - 1)
  if (code >= 0xd800 && code <= 0xdbff) end -= 1
  return `${text.slice(0, end)} …[line cut: ${text.length} chars]`
}

/**
 * One file's lines, rendered and counted lazily and once each: the packer asks for the same lines many times
 * while it tries ranges against the budget.
 */
export interface ContextFileLines {
  readonly path: string
  /** Lines in the file (1-based numbers run from 1 to this). */
  readonly lineCount: number
  /** The rendered unit of line `number`. */
  lineText(number: number): string
  /** Its o200k tokens. */
  lineTokens(number: number): number
  /** Tokens of the opening tag of a block of `range` (counted once per distinct range). */
  openTokens(range: LineRange): number
}

/** Splits `text` (a file at the head) into lines for context, counting nothing yet. */
export function prepareContextFile(path: string, text: string): ContextFileLines {
  const lines = text.split('\n')
  // The final newline ends the last line; it does not start another one.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop()
  const texts = new Map<number, string>()
  const tokens = new Map<number, number>()
  const opens = new Map<string, number>()
  const lineText = (number: number): string => {
    let rendered = texts.get(number)
    if (rendered === undefined) {
      rendered = renderContextLine(number, lines[number - 1] ?? '')
      texts.set(number, rendered)
    }
    return rendered
  }
  return {
    path,
    lineCount: lines.length,
    lineText,
    lineTokens(number) {
      let count = tokens.get(number)
      if (count === undefined) {
        count = countTokens(lineText(number))
        tokens.set(number, count)
      }
      return count
    },
    openTokens(range) {
      const key = `${range.start}-${range.end}`
      let count = opens.get(key)
      if (count === undefined) {
        count = countTokens(renderContextOpen(path, range))
        opens.set(key, count)
      }
      return count
    }
  }
}

/** The sorted line numbers as contiguous runs. */
export function toRuns(lines: Iterable<number>): LineRange[] {
  const sorted = [...new Set(lines)].sort((a, b) => a - b)
  const runs: LineRange[] = []
  for (const line of sorted) {
    const last = runs[runs.length - 1]
    if (last !== undefined && line === last.end + 1) runs[runs.length - 1] = { start: last.start, end: line }
    else runs.push({ start: line, end: line })
  }
  return runs
}
