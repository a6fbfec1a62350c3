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
const FENCE_LINE = /^( {0,3})(`{3,}|~{3,})(.*)$/
/**
 * What would make GitHub parse HTML: `<` starting a tag, closing tag, comment, declaration or processing
 * instruction; or a URL autolink (`<https://…>`, Markdown, matched first so it is kept as it is).
 */
const TAG_START_OR_AUTOLINK = /<https?:\/\/[^\s<>`]*>|<(?=[A-Za-z/!?])/g
/** `&` starting a character reference (`&lt;`, `&#60;`, `&#x3C;`), which GitHub decodes outside code. */
const CHARACTER_REFERENCE = /&(?=#[0-9]{1,7};|#[xX][0-9A-Fa-f]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)/g

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

/**
 * Makes raw HTML render as the text it is: a zero-width joiner after every `<` that would start a tag,
 * comment or declaration, and after every `&` that would start a character reference (so `&lt;img&gt;` or
 * `&#64;team` cannot smuggle a tag or a mention past the other rules). The text reads the same, in prose and
 * in inline code alike, so nothing depends on telling code spans apart, which is where a Markdown parser and
 * a hand-written scanner disagree. URL autolinks `<https://…>` are Markdown and stay.
 */
export function neutralizeHtml(text: string): string {
  return text
    .replace(TAG_START_OR_AUTOLINK, (match) => (match.length > 1 ? match : `<${ZERO_WIDTH_JOINER}`))
    .replace(CHARACTER_REFERENCE, () => `&${ZERO_WIDTH_JOINER}`)
}

interface Fence {
  readonly indent: number
  readonly char: string
  readonly length: number
}

/** The fence a line opens (CommonMark: ≤ 3 spaces, ≥ 3 backticks or tildes, no backtick in a backtick fence's info). */
function readFenceOpener(line: string): Fence | undefined {
  const match = FENCE_LINE.exec(line.replace(/\r$/, ''))
  if (match === null) return undefined
  const run = match[2] ?? ''
  const char = run.charAt(0)
  if (char === '`' && (match[3] ?? '').includes('`')) return undefined
  return { indent: (match[1] ?? '').length, char, length: run.length }
}

/** True when `line` closes `open`: the same character, at least as many, nothing after but spaces. */
function closesFence(line: string, open: Fence): boolean {
  const match = FENCE_LINE.exec(line.replace(/\r$/, ''))
  const run = match?.[2] ?? ''
  return match !== null && run.charAt(0) === open.char && run.length >= open.length && (match[3] ?? '').trim() === ''
}

/**
 * Neutralizes HTML outside fenced code blocks and leaves their content byte for byte. Fences are moved to
 * the first column (their content losing up to the opener's indentation, as CommonMark reads it): a fence
 * in column 0 is a fence whatever came before it (a list item, a quote), so GitHub finds exactly the code
 * blocks found here and raw `<` in them stays code. Fences not recognised here (in a quote, indented four
 * spaces) are neutralized like prose, invisibly.
 */
export function neutralizeHtmlOutsideFences(text: string): string {
  const out: string[] = []
  let open: Fence | undefined
  for (const line of text.split('\n')) {
    if (open === undefined) {
      const opener = readFenceOpener(line)
      if (opener === undefined) out.push(neutralizeHtml(line))
      else {
        open = opener
        out.push(neutralizeHtml(line.slice(opener.indent)))
      }
    } else if (closesFence(line, open)) {
      out.push(line.trimStart())
      open = undefined
    } else {
      const spaces = /^ */.exec(line)?.[0].length ?? 0
      const moved = line.slice(Math.min(open.indent, spaces))
      // Four spaces keep a fence-like line content; moved left it would close the block early.
      out.push(closesFence(moved, open) ? line : moved)
    }
  }
  return out.join('\n')
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
  let open: Fence | undefined
  for (const line of text.split('\n')) {
    if (open === undefined) open = readFenceOpener(line)
    else if (closesFence(line, open)) open = undefined
  }
  if (open === undefined) return text
  return `${text}${text.endsWith('\n') ? '' : '\n'}${open.char.repeat(open.length)}`
}

/** Everything that makes markdown text safe to embed, without changing how it reads. */
export function neutralizeMarkdown(text: string): string {
  return defangScriptLinks(neutralizeMentions(neutralizeStructuralTags(escapeHtmlComment(text))))
}

/**
 * Model text shown as a paragraph (finding body, overview): no raw HTML outside fenced code, neutralized,
 * capped, fences closed.
 */
export function sanitizeBlock(text: string, maxChars: number = MAX_BODY_CHARS): string {
  return closeOpenFences(capText(neutralizeMarkdown(neutralizeHtmlOutsideFences(text.trim())), maxChars))
}

/**
 * Text that must stay on one line (titles, paths, table cells, error messages): no raw HTML (one line holds
 * no code block, whatever it starts with), neutralized and capped.
 */
export function sanitizeLine(text: string, maxChars: number = MAX_TITLE_CHARS): string {
  return capText(neutralizeMarkdown(neutralizeHtml(text.replace(/\s+/g, ' ').trim())), maxChars)
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
