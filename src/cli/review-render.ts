/** The review's result as readable text, or as Markdown built from the action's own comment renderers. */
import { renderInlineComment } from '../render/inline-comment.js'
import { renderJobSummaryMarkdown, type SummaryInput } from '../render/summary.js'
import type { PlacementResult } from '../types.js'
import type { ReportedFinding, ReviewReport, UnplacedReportedFinding } from './review-report.js'
import { formatInteger, formatUsd, toTerminalText } from './terminal-text.js'

const INDENT = '    '

function indent(text: string, prefix = INDENT): string[] {
  return text.split('\n').map((line) => (line === '' ? '' : `${prefix}${line}`))
}

function location(finding: { readonly path: string; readonly line: number; readonly startLine?: number }): string {
  return finding.startLine === undefined ? `${finding.path}:${finding.line}` : `${finding.path}:${finding.startLine}-${finding.line}`
}

function renderFinding(finding: ReportedFinding | UnplacedReportedFinding): string[] {
  const lines = [`${location(finding)}  ${finding.severity.toUpperCase()} ${finding.category}  ${finding.title}`]
  if ('reason' in finding) lines.push(`${INDENT}(not on a line of the diff: ${finding.reason})`)
  lines.push(...indent(finding.body.trim()))
  if (finding.suggestion !== undefined) {
    lines.push(`${INDENT}Suggested replacement:`, ...indent(finding.suggestion.replace(/\n$/, ''), `${INDENT}  | `))
  }
  if ('reanchored' in finding && finding.reanchored !== undefined) lines.push(`${INDENT}(moved: ${finding.reanchored})`)
  return [...lines, '']
}

function renderUsageLine(report: ReviewReport): string {
  const { usage } = report
  const tokens =
    `Tokens: ${formatInteger(usage.inputTokens)} input (${formatInteger(usage.cachedInputTokens)} cached), ` +
    `${formatInteger(usage.outputTokens)} output (${formatInteger(usage.reasoningTokens)} reasoning).`
  if (report.costUsd === undefined) return `${tokens} Cost: unknown (no prices for ${report.model}; see --price-input).`
  const source = report.costIsBilled === true ? 'billed by the provider' : 'at list prices'
  return `${tokens} Cost: ${formatUsd(report.costUsd)} (${source}).`
}

/** The findings for a terminal: placed ones first (most severe first), then the ones that could not be placed. */
export function renderReviewText(report: ReviewReport): string {
  const { placed, unplaced, duplicates } = report.findings
  const lines = [
    `Review of ${report.source} with ${report.model}: ${formatInteger(placed.length)} finding(s) on diff lines, ` +
      `${formatInteger(unplaced.length)} elsewhere, ${formatInteger(duplicates)} duplicate(s) dropped.`,
    ''
  ]
  if (placed.length + unplaced.length === 0) lines.push('No findings.', '')
  for (const finding of placed) lines.push(...renderFinding(finding))
  if (unplaced.length > 0) {
    lines.push(`Not placed on a diff line (${formatInteger(unplaced.length)}):`, '')
    for (const finding of unplaced) lines.push(...renderFinding(finding))
  }
  if (report.skipped.length > 0) {
    lines.push(`Files not reviewed (${formatInteger(report.skipped.length)}):`)
    lines.push(...report.skipped.map((file) => `  ${file.path}  ${file.reason}: ${file.detail}`), '')
  }
  if (report.failedChunks.length > 0) {
    lines.push(`Chunks that failed (${formatInteger(report.failedChunks.length)} of ${formatInteger(report.chunks)}): their files were NOT reviewed.`)
    lines.push(...report.failedChunks.map((chunk) => `  #${chunk.id} ${chunk.paths.join(', ')}: ${chunk.error}`), '')
  }
  lines.push(
    `Reviewed ${formatInteger(report.reviewedFiles.length)} file(s) in ${formatInteger(report.chunks)} chunk(s).`,
    renderUsageLine(report)
  )
  return toTerminalText(`${lines.join('\n')}\n`)
}

const FINDING_MARKER = /\n*<!-- codex-pr-review:finding[^>]*-->\s*$/

/** Each placed finding as the action's inline comment, under its location, then the action's summary. */
export function renderReviewMarkdown(options: { readonly placement: PlacementResult; readonly summary: SummaryInput }): string {
  const findings = options.placement.inline.map((placed) => {
    const where = placed.startLine === undefined ? `${placed.path}:${placed.line}` : `${placed.path}:${placed.startLine}-${placed.line}`
    return `#### \`${where.replace(/`/g, "'")}\`\n\n${renderInlineComment(placed).replace(FINDING_MARKER, '')}`
  })
  const head = findings.length === 0 ? [] : [`### Findings on diff lines (${findings.length})`, ...findings]
  return toTerminalText(`${[...head, renderJobSummaryMarkdown(options.summary)].join('\n\n')}\n`)
}
