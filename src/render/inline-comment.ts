/**
 * One inline review comment per placed finding: severity and category, title, body, an optional
 * suggested change, a note when re-anchored, and a hidden marker that later runs use to recognise it.
 */
import { renderFindingMarker } from '../review/finding-marker.js'
import type { PlacedFinding, ReviewComment, Severity } from '../types.js'
import { MAX_BODY_CHARS, MAX_REPLACEMENT_CHARS, MAX_TITLE_CHARS } from '../markdown/limits.js'
import { longestBacktickRun, sanitizeBlock, sanitizeLine } from '../markdown/sanitize.js'

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

/** Emoji and label of a severity, e.g. "🔴 High". */
export function formatSeverity(severity: Severity): string {
  return SEVERITY_LABELS[severity]
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
  if (finding.verifiedBy !== undefined)
    notes.push(`✅ Verified by ${sanitizeLine(finding.verifiedBy)} on a second look.`)
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
