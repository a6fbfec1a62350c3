/**
 * Makes model-provided (and diff-provided) text safe to post: no notifications, no forged or swallowed
 * hidden markers, no broken `<details>` blocks or code fences, bounded length. Everything here is a
 * pure string transform; replacements use functions so `$&` and `$'` in the text survive as written.
 */
import { MAX_BODY_CHARS, MAX_TITLE_CHARS } from './limits.js'

/** Invisible, so text still reads the same, but it breaks `@name`, `<!--` and tag syntax. */
export const ZERO_WIDTH_JOINER = '\u200D'

/**
 * GitHub mentions `@name` and `@org/team` when the `@` follows a non-word character (or starts the text);
 * `a@b.com` is preceded by a word character and stays an email.
 */
const MENTION = /(?<![A-Za-z0-9_])@(?=[A-Za-z0-9])/g
const HTML_COMMENT_OPEN = /<!--/g
const HTML_COMMENT_CLOSE = /--!?>/g
/** Tags the summary uses for its own collapsible sections. */
const STRUCTURAL_TAG = /<(\/?)(details|summary)\b/gi
const SCRIPT_LINK = /\]\(\s*<?\s*(?:javascript|vbscript|data)\s*:/gi
const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})(.*)$/

/** Inserts a zero-width joiner after the `@` of every mention so GitHub notifies nobody. Emails are left alone. */
export function neutralizeMentions(text: string): string {
  return text.replace(MENTION, () => `@${ZERO_WIDTH_JOINER}`)
}

/** Breaks `<!--` and `-->` so model text can neither forge our hidden markers nor hide text after it. */
export function escapeHtmlComment(text: string): string {
  return text
    .replace(HTML_COMMENT_OPEN, () => `<${ZERO_WIDTH_JOINER}!--`)
    .replace(HTML_COMMENT_CLOSE, (match) => `${match.slice(0, -1)}${ZERO_WIDTH_JOINER}>`)
}

/** Breaks `<details>`/`<summary>` tags, which would open or close the summary's own collapsible blocks. */
export function neutralizeStructuralTags(text: string): string {
  return text.replace(STRUCTURAL_TAG, (_match, slash: string, name: string) => `<${ZERO_WIDTH_JOINER}${slash}${name}`)
}

/** Points `javascript:`, `vbscript:` and `data:` link targets nowhere. */
export function defangScriptLinks(text: string): string {
  return text.replace(SCRIPT_LINK, () => '](#unsafe-link-removed:')
}

/**
 * Caps `text` at `maxChars` UTF-16 units, ending with a note that says how much was cut. The result is
 * never longer than `maxChars` and never splits a surrogate pair.
 */
export function capText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text
  const noteFor = (omitted: number): string => `… (${omitted.toLocaleString('en-US')} more characters cut)`
  // The note for the whole length is at least as long as the final one, so the result fits.
  let cut = maxChars - noteFor(text.length).length
  if (cut <= 0) return sliceWholeCharacters(text, maxChars)
  cut = wholeCharacterEnd(text, cut)
  return `${text.slice(0, cut)}${noteFor(text.length - cut)}`
}

function wholeCharacterEnd(text: string, end: number): number {
  const last = text.charCodeAt(end - 1)
  return last >= 0xd800 && last <= 0xdbff ? end - 1 : end
}

function sliceWholeCharacters(text: string, end: number): string {
  return text.slice(0, Math.max(0, wholeCharacterEnd(text, end)))
}

/**
 * Closes a code fence the text left open (the model's, or one `capText` cut through): otherwise it would
 * swallow everything rendered after it, suggestion blocks included.
 */
export function closeOpenFences(text: string): string {
  let open: { readonly char: string; readonly length: number } | undefined
  for (const line of text.split('\n')) {
    const match = FENCE_LINE.exec(line.replace(/\r$/, ''))
    if (match === null) continue
    const run = match[1] ?? ''
    const rest = match[2] ?? ''
    const char = run.charAt(0)
    if (open === undefined) {
      // A backtick fence's info string may not contain a backtick (CommonMark); such a line opens nothing.
      if (char === '`' && rest.includes('`')) continue
      open = { char, length: run.length }
    } else if (char === open.char && run.length >= open.length && rest.trim() === '') {
      open = undefined
    }
  }
  if (open === undefined) return text
  return `${text}${text.endsWith('\n') ? '' : '\n'}${open.char.repeat(open.length)}`
}

/** Everything that makes markdown text safe to embed, without changing how it reads. */
export function neutralizeMarkdown(text: string): string {
  return defangScriptLinks(neutralizeMentions(neutralizeStructuralTags(escapeHtmlComment(text))))
}

/** Model text shown as a paragraph (finding body, overview): neutralized, capped, fences closed. */
export function sanitizeBlock(text: string, maxChars: number = MAX_BODY_CHARS): string {
  return closeOpenFences(capText(neutralizeMarkdown(text.trim()), maxChars))
}

/** Text that must stay on one line (titles, paths, table cells, error messages): neutralized and capped. */
export function sanitizeLine(text: string, maxChars: number = MAX_TITLE_CHARS): string {
  return capText(neutralizeMarkdown(text.replace(/\s+/g, ' ').trim()), maxChars)
}

/** Length of the longest run of backticks in `text` (0 when none). */
export function longestBacktickRun(text: string): number {
  let longest = 0
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length)
  return longest
}

/** Wraps one-line text in a code span whose delimiter no backtick run inside can close. */
export function formatCodeSpan(text: string): string {
  const delimiter = '`'.repeat(longestBacktickRun(text) + 1)
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : ''
  return `${delimiter}${pad}${text}${pad}${delimiter}`
}

/** Escapes what would end a markdown table cell early (`|`, newlines). Apply to the cell's final markdown. */
export function escapeTableCell(markdown: string): string {
  return markdown.replace(/\r?\n/g, ' ').replace(/\|/g, () => '\\|')
}
