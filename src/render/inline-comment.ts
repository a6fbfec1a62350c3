/**
 * One inline review comment per placed finding: severity and category, title, body, an optional
 * suggested change, a note when re-anchored, and a hidden marker that later runs use to recognise it.
 */
import type { Category, PlacedFinding, ReviewComment, Severity } from '../types.js'
import { CATEGORIES, SEVERITIES } from '../types.js'
import { MAX_BODY_CHARS, MAX_REPLACEMENT_CHARS, MAX_TITLE_CHARS } from './limits.js'
import { longestBacktickRun, sanitizeBlock, sanitizeLine } from './sanitize.js'

/** Start of the hidden marker ending every inline comment we post. */
export const FINDING_MARKER_PREFIX = '<!-- codex-pr-review:finding'

const SEVERITY_LABELS: Readonly<Record<Severity, string>> = {
  critical: '🚨 Critical',
  high: '🔴 High',
  medium: '🟠 Medium',
  low: '🟡 Low',
  nit: '⚪ Nit'
}

/** Minimum fence length of a fenced code block. */
const MIN_FENCE_LENGTH = 3
/** Marker text inside a suggestion would be posted verbatim (code blocks are not sanitized). */
const MARKER_LOOKALIKE = /<!--\s*codex-pr-review/i
const MARKER_PATTERN = /<!-- codex-pr-review:finding fp=([0-9a-f]+) sev=([a-z]+) -->/

/** Emoji and label of a severity, e.g. "🔴 High". */
export function formatSeverity(severity: Severity): string {
  return SEVERITY_LABELS[severity]
}

/** The hidden marker: `<!-- codex-pr-review:finding fp=<fingerprint> sev=<severity> -->`. */
export function renderFindingMarker(marker: { readonly fingerprint: string; readonly severity: Severity }): string {
  return `${FINDING_MARKER_PREFIX} fp=${marker.fingerprint} sev=${marker.severity} -->`
}

/** Reads the marker back from a posted comment body; undefined when there is none. */
export function parseFindingMarker(body: string): { fingerprint: string; severity: Severity } | undefined {
  const match = MARKER_PATTERN.exec(body)
  const severity = SEVERITIES.find((known) => known === match?.[2])
  if (match === null || match[1] === undefined || severity === undefined) return undefined
  return { fingerprint: match[1], severity }
}

const HEADING_PATTERN = /^\*\*\S+ [A-Za-z]+ · ([a-z-]+)\*\* — (.*)$/

/** Reads the category and title back from the first line of a comment renderInlineComment wrote. */
export function parseInlineCommentHeading(body: string): { category: Category; title: string } | undefined {
  const match = HEADING_PATTERN.exec(body.split('\n', 1)[0] ?? '')
  const category = CATEGORIES.find((known) => known === match?.[1])
  if (match === null || match[2] === undefined || category === undefined) return undefined
  return { category, title: match[2] }
}

/**
 * A ```suggestion block whose fence is longer than any backtick run in the code, so the code cannot
 * close it. Code is posted as written (sanitizing would change what "Commit suggestion" commits), so a
 * replacement that is too long or carries marker-like text is refused with the reason instead.
 */
export function renderSuggestion(replacement: string): { ok: true; markdown: string } | { ok: false; reason: string } {
  if (replacement.length > MAX_REPLACEMENT_CHARS) {
    return { ok: false, reason: `it is longer than ${MAX_REPLACEMENT_CHARS.toLocaleString('en-US')} characters` }
  }
  if (MARKER_LOOKALIKE.test(replacement)) {
    return { ok: false, reason: "it contains text that looks like this tool's hidden markers" }
  }
  // One trailing newline is the end of the last line, not an extra empty line to insert.
  const code = replacement.replace(/\r?\n$/, '')
  const fence = '`'.repeat(Math.max(MIN_FENCE_LENGTH, longestBacktickRun(code) + 1))
  const content = code === '' ? '' : `${code}\n`
  return { ok: true, markdown: `${fence}suggestion\n${content}${fence}` }
}

/** Markdown body of the inline comment for a placed finding. All model text is sanitized. */
export function renderInlineComment(placed: PlacedFinding): string {
  const { finding } = placed
  const title = sanitizeLine(finding.title, MAX_TITLE_CHARS)
  const parts = [`**${formatSeverity(finding.severity)} · ${finding.category}** — ${title}`]
  const body = sanitizeBlock(finding.body, MAX_BODY_CHARS)
  if (body !== '') parts.push(body)
  const notes: string[] = []
  if (finding.replacement !== null) {
    const suggestion = renderSuggestion(finding.replacement)
    if (suggestion.ok) parts.push(suggestion.markdown)
    else notes.push(`Suggested change omitted: ${suggestion.reason}.`)
  }
  if (placed.reanchored !== undefined) notes.push(`Note: ${sanitizeLine(placed.reanchored, MAX_BODY_CHARS)}.`)
  if (finding.verifiedBy !== undefined) notes.push(`✅ Verified by ${sanitizeLine(finding.verifiedBy)} on a second look.`)
  if (notes.length > 0) parts.push(notes.map((note) => `<sub>${note}</sub>`).join('\n'))
  parts.push(renderFindingMarker({ fingerprint: placed.fingerprint, severity: finding.severity }))
  return parts.join('\n\n')
}

/** The comment as `pulls.createReview` takes it: always RIGHT side; a start line only for real ranges. */
export function toReviewComment(placed: PlacedFinding): ReviewComment {
  const range =
    placed.startLine !== undefined && placed.startLine < placed.line
      ? { startLine: placed.startLine, startSide: 'RIGHT' as const }
      : {}
  return { path: placed.path, line: placed.line, side: 'RIGHT', ...range, body: renderInlineComment(placed) }
}
