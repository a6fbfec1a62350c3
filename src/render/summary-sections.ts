/**
 * The sections of the summary comment, each rendered from the input and from how many of its items fit
 * (see summary.ts for the budget). Items are pre-rendered strings so their lengths can be measured.
 */
import { describeSkip } from '../diff/filter.js'
import type { Severity, SkippedFile, UnplacedFinding } from '../types.js'
import { SEVERITIES } from '../types.js'
import { formatSeverity } from './inline-comment.js'
import {
  MAX_BODY_CHARS,
  MAX_ERROR_CHARS,
  MAX_PATH_CHARS,
  MAX_PATHS_PER_FAILED_CHUNK,
  MAX_TITLE_CHARS
} from '../markdown/limits.js'
import { escapeTableCell, formatCodeSpan, sanitizeBlock, sanitizeLine } from '../markdown/sanitize.js'
import { formatCount, formatPath, formatQuantity } from './format.js'
import type { SummaryInput } from './summary-input.js'

/** A finding shown in the summary's list, whether it never went inline or its inline comment was not posted. */
export interface SummaryEntry extends UnplacedFinding {
  /** Line shown with the path (the anchored line when it was placed). */
  readonly line: number
  readonly startLine?: number
  readonly path: string
}

/** Findings the reader must find in the summary: summary-only ones and inline ones GitHub did not get. */
export function collectSummaryEntries(input: SummaryInput): SummaryEntry[] {
  const { inline, summaryOnly } = input.placement
  const notPosted = inline.slice(Math.max(0, input.inlinePosted)).map((placed) => ({
    finding: placed.finding,
    fingerprint: placed.fingerprint,
    reason: 'its inline comment could not be posted',
    path: placed.path,
    line: placed.line,
    ...(placed.startLine === undefined ? {} : { startLine: placed.startLine })
  }))
  const unplaced = summaryOnly.map((entry) => ({
    ...entry,
    path: entry.finding.path,
    line: entry.finding.line,
    ...(entry.finding.startLine === null || entry.finding.startLine === entry.finding.line
      ? {}
      : { startLine: entry.finding.startLine })
  }))
  const rank = (entry: SummaryEntry): number => SEVERITIES.indexOf(entry.finding.severity)
  // Both lists are ranked already; a stable sort on severity interleaves them.
  return [...notPosted, ...unplaced].sort((a, b) => rank(a) - rank(b))
}

export function renderSeverityTable(input: SummaryInput, entries: readonly SummaryEntry[]): string {
  const posted = input.placement.inline.slice(0, Math.max(0, input.inlinePosted))
  const total = posted.length + entries.length
  const duplicates = formatQuantity(input.placement.duplicates, 'duplicate')
  const header =
    `**${formatQuantity(total, 'finding')}**: ${formatCount(posted.length)} posted inline, ` +
    `${formatCount(entries.length)} listed below only, ${duplicates} dropped.` +
    describeBelowThreshold(input.belowThreshold)
  if (total === 0) return header
  const count = (list: readonly { finding: { severity: Severity } }[], severity: Severity): number =>
    list.filter((item) => item.finding.severity === severity).length
  const rows = SEVERITIES.map((severity) => {
    const inline = count(posted, severity)
    const only = count(entries, severity)
    return `| ${formatSeverity(severity)} | ${inline} | ${only} | ${inline + only} |`
  })
  return [header, '', '| Severity | Inline | Summary only | Total |', '|---|---:|---:|---:|', ...rows].join('\n')
}

/** " 3 more below the `medium` threshold, not shown (2 low, 1 nit)." or '' when none were held back. */
function describeBelowThreshold(below: SummaryInput['belowThreshold']): string {
  if (below === undefined) return ''
  const parts = SEVERITIES.filter((severity) => below.counts[severity] > 0).map(
    (severity) => `${formatCount(below.counts[severity])} ${severity}`
  )
  const total = SEVERITIES.reduce((sum, severity) => sum + below.counts[severity], 0)
  if (total === 0) return ''
  return ` ${formatQuantity(total, 'more finding')} below the \`${below.threshold}\` severity threshold, not shown (${parts.join(', ')}).`
}

/** Title line and location of a finding in the list. */
export function renderEntryHead(entry: SummaryEntry): string {
  const { finding } = entry
  const range = entry.startLine === undefined ? `${entry.line}` : `${entry.startLine}–${entry.line}`
  const location = formatCodeSpan(`${sanitizeLine(entry.path, MAX_PATH_CHARS)}:${range}`)
  const title = sanitizeLine(finding.title, MAX_TITLE_CHARS)
  const reason = sanitizeLine(entry.reason, MAX_ERROR_CHARS)
  const head = `**${formatSeverity(finding.severity)} · ${finding.category}** — ${title}`
  return `${head}<br>\n${location} · not inline: ${reason}`
}

/** Collapsible body of a finding; empty when the model gave none. */
export function renderEntryBody(entry: SummaryEntry): string {
  const body = sanitizeBlock(entry.finding.body, MAX_BODY_CHARS)
  return body === '' ? '' : `<details><summary>Details</summary>\n\n${body}\n\n</details>`
}

export function renderSkippedRow(file: SkippedFile): string {
  const detail = describeSkip(file)
  return `| ${escapeTableCell(formatPath(file.path))} | ${escapeTableCell(sanitizeLine(detail, MAX_ERROR_CHARS))} |`
}

export function renderFailedChunkRow(chunk: SummaryInput['chunks']['failed'][number]): string {
  const shown = chunk.paths.slice(0, MAX_PATHS_PER_FAILED_CHUNK).map(formatPath)
  const more = chunk.paths.length - shown.length
  const files = more > 0 ? `${shown.join(', ')} +${formatCount(more)} more` : shown.join(', ')
  const error = sanitizeLine(chunk.error, MAX_ERROR_CHARS)
  return `| ${chunk.id} | ${escapeTableCell(files)} | ${escapeTableCell(error)} |`
}

export function renderUsage(input: SummaryInput): string {
  const { usage } = input
  const tokens =
    `**Tokens:** ${formatCount(usage.inputTokens)} input (${formatCount(usage.cachedInputTokens)} cached), ` +
    `${formatCount(usage.outputTokens)} output (${formatCount(usage.reasoningTokens)} reasoning)`
  if (input.costSource === 'unknown')
    return `${tokens} · **Cost:** unknown (a model without list prices, not billed per request)`
  if (input.costUsd === undefined || !Number.isFinite(input.costUsd)) return tokens
  const source =
    input.costSource === 'partly billed'
      ? 'partly billed by the provider, the rest at list prices'
      : input.costIsBilled === true
        ? 'billed by the provider'
        : 'estimated from list prices'
  return `${tokens} · **Cost:** $${input.costUsd.toFixed(4)} (${source})`
}

/** Low-confidence findings as summary entries (where they would have gone, with the reason they did not). */
export function collectLowConfidenceEntries(input: SummaryInput): SummaryEntry[] {
  return (input.lowConfidence?.findings ?? []).map((entry) => {
    const reason = 'below min-confidence'
    if ('line' in entry) {
      const { finding, fingerprint, path, line, startLine } = entry
      return { finding, fingerprint, reason, path, line, ...(startLine === undefined ? {} : { startLine }) }
    }
    const { finding } = entry
    const range =
      finding.startLine === null || finding.startLine === finding.line ? {} : { startLine: finding.startLine }
    return { finding, fingerprint: entry.fingerprint, reason, path: finding.path, line: finding.line, ...range }
  })
}
