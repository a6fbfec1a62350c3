/** The review's result as readable text, or as Markdown built from the action's own comment renderers. */
import { describeSkip } from '../diff/filter.js'
import { renderInlineComment } from '../render/inline-comment.js'
import { renderJobSummaryMarkdown } from '../render/summary.js'
import { formatConfidence } from '../render/summary-verdict.js'
import { type SummaryInput } from '../render/summary-input.js'
import type { CostSource, EscalationReport } from '../engine/cost.js'
import type { PlacementResult, TokenUsage } from '../types.js'
import { describeContext } from '../report/context-lines.js'
import type { ReportedFinding, ReviewReport, UnplacedReportedFinding } from './review-report.js'
import { formatInteger, toTerminalText } from './terminal-text.js'
import { formatUsd } from '../util/usd.js'

const INDENT = '    '

function indent(text: string, prefix = INDENT): string[] {
  return text.split('\n').map((line) => (line === '' ? '' : `${prefix}${line}`))
}

function location(finding: { readonly path: string; readonly line: number; readonly startLine?: number }): string {
  return finding.startLine === undefined
    ? `${finding.path}:${finding.line}`
    : `${finding.path}:${finding.startLine}-${finding.line}`
}

function renderFinding(finding: ReportedFinding | UnplacedReportedFinding): string[] {
  const confidence = finding.confidence === undefined ? '' : `  (confidence ${formatConfidence(finding.confidence)})`
  const lines = [
    `${location(finding)}  ${finding.severity.toUpperCase()} ${finding.category}  ${finding.title}${confidence}`
  ]
  if ('reason' in finding) lines.push(`${INDENT}(not on a line of the diff: ${finding.reason})`)
  lines.push(...indent(finding.body.trim()))
  if (finding.suggestion !== undefined) {
    lines.push(`${INDENT}Suggested replacement:`, ...indent(finding.suggestion.replace(/\n$/, ''), `${INDENT}  | `))
  }
  if ('reanchored' in finding && finding.reanchored !== undefined) lines.push(`${INDENT}(moved: ${finding.reanchored})`)
  return [...lines, '']
}

const COST_SOURCES: Readonly<Record<Exclude<CostSource, 'unknown'>, string>> = {
  billed: 'billed by the provider',
  estimated: 'at list prices',
  'partly billed': 'partly billed by the provider, the rest at list prices'
}

function describeCost(usd: number | undefined, source: CostSource, model: string): string {
  if (usd === undefined || source === 'unknown') return `unknown (no prices for ${model}; see --price-input)`
  return `${formatUsd(usd)} (${COST_SOURCES[source]})`
}

function describeTokens(usage: TokenUsage): string {
  return (
    `${formatInteger(usage.inputTokens)} input (${formatInteger(usage.cachedInputTokens)} cached), ` +
    `${formatInteger(usage.outputTokens)} output (${formatInteger(usage.reasoningTokens)} reasoning)`
  )
}

/** The total, and one line per model when more than one was called (escalation), as the action's cost table. */
function renderCostLines(report: ReviewReport): string[] {
  const total = `Tokens: ${describeTokens(report.usage)}. Cost: ${describeCost(report.costUsd, report.costSource, report.model)}.`
  if (report.modelCosts.length <= 1) return [total]
  return [
    total,
    ...report.modelCosts.map(
      (row) =>
        `  ${row.model}: ${formatInteger(row.requests)} request(s), ${describeTokens(row.usage)}, ${describeCost(row.usd, row.source, row.model)}`
    )
  ]
}

function renderEscalation(escalation: EscalationReport | undefined): string[] {
  if (escalation === undefined) return []
  const lines: string[] = []
  if (escalation.escalatedChunks.length > 0) {
    const paths = [...new Set(escalation.escalatedChunks.flatMap((chunk) => chunk.paths))]
    lines.push(
      `Escalated to ${escalation.model}: ${formatInteger(escalation.escalatedChunks.length)} chunk(s), for ${paths.join(', ')}.`
    )
  }
  if (escalation.verifiedChunks > 0) {
    lines.push(
      `Verified by ${escalation.model} (findings at ${escalation.verifySeverity ?? 'the gate'} or above): ` +
        `${formatInteger(escalation.confirmed)} confirmed, ${formatInteger(escalation.rejected.length)} rejected and dropped, ` +
        `${formatInteger(escalation.unverified)} without a verdict.`
    )
  }
  const risky = escalation.riskEscalatedChunks ?? []
  if (risky.length > 0) {
    const made = risky.filter((chunk) => chunk.ok)
    lines.push(
      `Reviewed again by ${escalation.model} for their risk (--escalate-on-risk ${escalation.escalateOnRisk ?? ''}): ` +
        `${formatInteger(made.length)} of ${formatInteger(risky.length)} chunk(s) (` +
        risky.map((chunk) => `#${chunk.id} rated ${chunk.risk}${chunk.ok ? '' : ', not sent'}`).join('; ') +
        `), ${formatInteger(made.reduce((sum, chunk) => sum + chunk.duplicates, 0))} duplicate(s) merged.`
    )
  }
  return lines
}

function renderCeiling(report: ReviewReport): string[] {
  const ceiling = report.costCeiling
  if (ceiling === undefined) return []
  const spent = ceiling.spentUsd === undefined ? 'unknown' : formatUsd(ceiling.spentUsd)
  const lines = [`Cost ceiling: ${spent} spent of ${formatUsd(ceiling.ceilingUsd)} (--${ceiling.source}).`]
  if (ceiling.notReviewed.length > 0) {
    lines.push(
      `  Not reviewed: cost ceiling, ${formatInteger(ceiling.notReviewed.length)} chunk(s) needing about ` +
        `${formatUsd(ceiling.neededUsd)} more: ` +
        ceiling.notReviewed.map((chunk) => `#${chunk.id} (${formatUsd(chunk.neededUsd)})`).join(', ') +
        '.'
    )
  }
  return lines
}

function renderRules(report: ReviewReport): string[] {
  const { rules } = report
  if (rules === undefined) return []
  const used = rules.used.length === 0 ? 'none used' : `used ${rules.used.join(', ')}`
  const lines = [
    rules.read.length === 0 ? 'Rule files: none read.' : `Rule files at ${rules.origin}: ${used}.`,
    ...rules.omitted.map(
      (rule) => `  Left out by --rules-max-tokens: ${rule.source} (${formatInteger(rule.tokens)} tokens).`
    ),
    ...rules.notes.map((note) => `  Note: ${note}`)
  ]
  return lines
}

/** "3 finding(s) below the severity threshold high, not shown: 2 medium, 1 low." */
function renderBelowThreshold(report: ReviewReport): string[] {
  if (report.counts.belowThreshold === 0) return []
  const counts = Object.entries(report.counts.belowThresholdBySeverity)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${formatInteger(count)} ${severity}`)
  return [
    `${formatInteger(report.counts.belowThreshold)} finding(s) below the severity threshold ${report.severityThreshold}, ` +
      `not shown: ${counts.join(', ')} (--format json lists them).`
  ]
}

/** The context sent and what was left out; nothing with context off. */
function renderContextLines(report: ReviewReport): string[] {
  if (report.context === undefined) return []
  const { headline, lines } = describeContext(report.context)
  return [headline, ...lines.map((line) => `  ${line}`)]
}

/** The findings for a terminal: placed ones first (most severe first), then the ones that could not be placed. */
export function renderReviewText(report: ReviewReport): string {
  const { placed, unplaced, duplicates } = report.findings
  const lines = [
    `Review of ${report.source} with ${report.model}: ${formatInteger(placed.length)} finding(s) on diff lines, ` +
      `${formatInteger(unplaced.length)} elsewhere, ${formatInteger(duplicates)} duplicate(s) dropped.`,
    ''
  ]
  lines.push(...renderVerdictLines(report))
  if (placed.length + unplaced.length === 0) lines.push('No findings.', '')
  for (const finding of placed) lines.push(...renderFinding(finding))
  if (unplaced.length > 0) {
    lines.push(`Not placed on a diff line (${formatInteger(unplaced.length)}):`, '')
    for (const finding of unplaced) lines.push(...renderFinding(finding))
  }
  const { lowConfidence } = report.findings
  if (lowConfidence.length > 0) {
    lines.push(
      `Low confidence, below --min-confidence ${report.minConfidence} (${formatInteger(lowConfidence.length)}): ` +
        'not counted by --fail-on-severity.',
      ''
    )
    for (const finding of lowConfidence) lines.push(...renderFinding(finding))
  }
  if (report.skipped.length > 0) {
    lines.push(`Files not reviewed (${formatInteger(report.skipped.length)}):`)
    lines.push(...report.skipped.map((file) => `  ${file.path}  ${describeSkip(file)}`), '')
  }
  if (report.failedChunks.length > 0) {
    lines.push(
      `Chunks that failed (${formatInteger(report.failedChunks.length)} of ${formatInteger(report.chunks)}): their files were NOT reviewed.`
    )
    lines.push(...report.failedChunks.map((chunk) => `  #${chunk.id} ${chunk.paths.join(', ')}: ${chunk.error}`), '')
  }
  lines.push(
    ...renderBelowThreshold(report),
    ...renderEscalation(report.escalation),
    ...renderCeiling(report),
    ...renderRules(report),
    report.nothingReviewed ??
      `Reviewed ${formatInteger(report.reviewedFiles.length)} file(s) in ${formatInteger(report.chunks)} chunk(s).`,
    ...renderContextLines(report),
    ...renderCostLines(report)
  )
  return toTerminalText(`${lines.join('\n')}\n`)
}

const FINDING_MARKER = /\n*<!-- codex-pr-review:finding[^>]*-->\s*$/

/** Each placed finding as the action's inline comment, under its location, then the action's summary. */
export function renderReviewMarkdown(options: {
  readonly placement: PlacementResult
  readonly summary: SummaryInput
}): string {
  const findings = options.placement.inline.map((placed) => {
    const where =
      placed.startLine === undefined
        ? `${placed.path}:${placed.line}`
        : `${placed.path}:${placed.startLine}-${placed.line}`
    return `#### \`${where.replace(/`/g, "'")}\`\n\n${renderInlineComment(placed).replace(FINDING_MARKER, '')}`
  })
  const head = findings.length === 0 ? [] : [`### Findings on diff lines (${findings.length})`, ...findings]
  return toTerminalText(`${[...head, renderJobSummaryMarkdown(options.summary)].join('\n\n')}\n`)
}

/** "Verdict: likely incorrect (lowest confidence 0.70)" and the reasons, or nothing when no part gave a verdict. */
function renderVerdictLines(report: ReviewReport): string[] {
  const { verdict } = report
  if (verdict.verdict === 'none') return []
  if (verdict.verdict === 'correct') {
    const sure = verdict.confidence === undefined ? '' : ` (confidence ${formatConfidence(verdict.confidence)})`
    return [`Verdict: looks correct${sure}; advice only.`, '']
  }
  const sure = verdict.confidence === undefined ? '' : ` (lowest confidence ${formatConfidence(verdict.confidence)})`
  return [
    `Verdict: likely incorrect${sure}; advice only. Parts judged to break existing behaviour or tests:`,
    ...verdict.incorrect.map((part) => `  part ${part.chunkId}: ${part.reason ?? 'no reason given'}`),
    ''
  ]
}
