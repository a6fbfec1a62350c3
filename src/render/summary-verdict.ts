/**
 * The summary's opening verdict and its collapsed "Low confidence" list. The verdict is the model's judgement
 * of whether the change would break existing behaviour or tests, merged over the chunks (any `incorrect`
 * wins). Advice only: the action never approves or requests changes because of it. Pure; model text sanitized.
 */
import { MAX_ERROR_CHARS, MAX_NOTE_CHARS } from '../markdown/limits.js'
import { sanitizeLine } from '../markdown/sanitize.js'
import type { MergedVerdict } from '../review/verdict.js'
import { formatCount, formatQuantity } from './format.js'
import { renderEntryHead } from './summary-sections.js'
import type { SummaryEntry } from './summary-sections.js'

/** Reasons of incorrect chunks listed by name; the rest are counted. */
export const MAX_VERDICT_REASONS = 10

/** `0.85` → "0.85". */
export function formatConfidence(confidence: number): string {
  return confidence.toFixed(2)
}

/** The verdict block, or undefined when no chunk gave a verdict (nothing reviewed, or a provider without one). */
export function renderVerdict(verdict: MergedVerdict | undefined): string | undefined {
  if (verdict === undefined || verdict.verdict === 'none') return undefined
  const confidence = verdict.confidence === undefined ? '' : ` (confidence ${formatConfidence(verdict.confidence)})`
  const { counts } = verdict
  const gaps = describeGaps(counts)
  if (verdict.verdict === 'correct') {
    return [
      `### Verdict: ✅ looks correct${confidence}`,
      '',
      'No part of the change was judged to break existing behaviour or tests.' +
        gaps +
        ' Advice only: nothing is approved by it.'
    ].join('\n')
  }
  const lowest = verdict.confidence === undefined ? '' : ` (lowest confidence ${formatConfidence(verdict.confidence)})`
  const reasons = verdict.incorrect.slice(0, MAX_VERDICT_REASONS).map((chunk) => {
    const reason = chunk.reason === undefined ? 'no reason given' : sanitizeLine(chunk.reason, MAX_NOTE_CHARS)
    const sure = chunk.confidence === undefined ? '' : ` (confidence ${formatConfidence(chunk.confidence)})`
    return `- Part ${chunk.chunkId}${sure}: ${reason}`
  })
  const more = verdict.incorrect.length - reasons.length
  if (more > 0) reasons.push(`- … and ${formatCount(more)} more parts`)
  return [
    `### Verdict: ⚠️ likely incorrect${lowest}`,
    '',
    `${formatQuantity(counts.incorrect, 'part')} of the change ${counts.incorrect === 1 ? 'was' : 'were'} judged to break ` +
      `existing behaviour or tests.${gaps} Advice only: nothing is blocked by it; see the findings.`,
    '',
    ...reasons
  ].join('\n')
}

function describeGaps(counts: MergedVerdict['counts']): string {
  const parts: string[] = []
  if (counts.withoutVerdict > 0) parts.push(`${formatQuantity(counts.withoutVerdict, 'reviewed part')} gave no verdict`)
  if (counts.notReviewed > 0) parts.push(`${formatQuantity(counts.notReviewed, 'part')} could not be reviewed`)
  return parts.length === 0 ? '' : ` (${parts.join('; ')}.)`
}

/** One line per low-confidence finding: its title, where, and the model's confidence. */
export function renderLowConfidenceItem(entry: SummaryEntry): string {
  const confidence = entry.finding.confidence
  const sure = confidence === undefined ? '' : ` · confidence ${formatConfidence(confidence)}`
  return `${renderEntryHead(entry)}${sure}`
}

/** The collapsed section around the items shown; '' when there are none. */
export function renderLowConfidenceSection(options: {
  readonly items: readonly string[]
  readonly shown: number
  readonly minConfidence: number
}): string {
  const { items } = options
  if (items.length === 0) return ''
  const more = items.length - options.shown
  const title =
    `Low confidence (${formatCount(items.length)}): below min-confidence ${sanitizeLine(String(options.minConfidence), MAX_ERROR_CHARS)}, ` +
    'not posted inline and not counted by fail-on-severity'
  const listed = items.slice(0, options.shown)
  if (more > 0) listed.push(`_… and ${formatCount(more)} more not listed (size limit)._`)
  return `<details><summary>${title}</summary>\n\n${listed.join('\n\n')}\n\n</details>`
}
