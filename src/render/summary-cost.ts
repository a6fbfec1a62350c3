/**
 * The summary's cost and escalation sections: tokens and dollars per model, and which chunks went to the
 * escalation model, which findings it checked and what that cost. Pure; all model-written text sanitized.
 */
import type { CostSource, EscalationReport, ModelCostRow, RiskEscalatedChunk } from '../engine/cost.js'
import { formatSeverity } from './inline-comment.js'
import { MAX_ERROR_CHARS, MAX_PATH_CHARS, MAX_TITLE_CHARS } from '../markdown/limits.js'
import { escapeTableCell, formatCodeSpan, sanitizeLine } from '../markdown/sanitize.js'

/** Most escalated chunks and rejected findings listed by name; the rest are counted. */
export const MAX_ESCALATION_ITEMS = 20

const count = (value: number): string => value.toLocaleString('en-US')

/** `$0.0123 (billed)`, or `unknown`. */
export function formatCost(usd: number | undefined, source: CostSource): string {
  if (usd === undefined || !Number.isFinite(usd) || source === 'unknown') return 'unknown (no list price)'
  return `$${usd.toFixed(4)} (${source})`
}

/** One row per model: requests, tokens and dollars. Empty when there were no requests. */
export function renderModelCostTable(rows: readonly ModelCostRow[]): string {
  if (rows.length === 0) return ''
  const lines = rows.map((row) => {
    const model = escapeTableCell(formatCodeSpan(sanitizeLine(row.model)))
    const { usage } = row
    return (
      `| ${model} | ${count(row.requests)} | ${count(usage.inputTokens)} | ${count(usage.cachedInputTokens)} | ` +
      `${count(usage.outputTokens)} | ${count(usage.reasoningTokens)} | ${formatCost(row.usd, row.source)} |`
    )
  })
  return [
    '| Model | Requests | Input | Cached input | Output | Reasoning | Cost |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...lines
  ].join('\n')
}

/** Paths of a chunk as code spans, at most three named. */
function formatChunkPaths(paths: readonly string[]): string {
  const shown = paths.slice(0, 3).map((path) => formatCodeSpan(sanitizeLine(path, MAX_PATH_CHARS)))
  return paths.length > shown.length
    ? `${shown.join(', ')} +${count(paths.length - shown.length)} more`
    : shown.join(', ')
}

/** Which chunks `escalate-on-risk` sent to the escalation model, why, and what the merge kept. */
function renderRiskEscalations(chunks: readonly RiskEscalatedChunk[], report: EscalationReport): string[] {
  const gate = report.escalateOnRisk === undefined ? '' : ` (\`escalate-on-risk: ${report.escalateOnRisk}\`)`
  const made = chunks.filter((chunk) => chunk.ok).length
  const lines = [
    `**Escalated by risk${gate}:** ${count(chunks.length)} chunk(s) the review model rated risky; ` +
      `${count(made)} reviewed again by ${formatCodeSpan(sanitizeLine(report.model))}, findings of both merged.`
  ]
  for (const chunk of chunks.slice(0, MAX_ESCALATION_ITEMS)) {
    const head = `- Chunk ${chunk.id} (rated ${chunk.risk}): ${formatChunkPaths(chunk.paths)}`
    if (!chunk.ok) {
      const why =
        chunk.failure === 'cost-ceiling' ? 'cost ceiling' : sanitizeLine(chunk.error ?? 'failed', MAX_ERROR_CHARS)
      lines.push(`${head}: not reviewed again (${why}); the first review stands.`)
      continue
    }
    lines.push(
      `${head}: ${count(chunk.escalationFindings)} finding(s) from the escalation model, ` +
        `${count(chunk.primaryFindings)} from the review model, ${count(chunk.duplicates)} duplicate(s) merged.`
    )
  }
  lines.push(...more(chunks.length, MAX_ESCALATION_ITEMS, 'chunks'))
  return lines
}

function more(total: number, shown: number, what: string): string[] {
  return total > shown ? [`- … and ${count(total - shown)} more ${what}`] : []
}

/** What the escalation model did in this run; empty when it was not called. */
export function renderEscalationSection(report: EscalationReport | undefined): string {
  if (report === undefined) return ''
  const checked = report.confirmed + report.rejected.length + report.unverified
  const riskChunks = report.riskEscalatedChunks ?? []
  if (report.escalatedChunks.length === 0 && report.verifiedChunks === 0 && riskChunks.length === 0) return ''
  const model = formatCodeSpan(sanitizeLine(report.model))
  const lines = [`### Escalation to ${model}`, '']
  if (riskChunks.length > 0) lines.push(...renderRiskEscalations(riskChunks, report), '')
  if (report.escalatedChunks.length > 0) {
    lines.push(
      `**Escalated by \`escalate-paths\`:** ${count(report.escalatedChunks.length)} chunk(s) reviewed by ${model}.`
    )
    for (const chunk of report.escalatedChunks.slice(0, MAX_ESCALATION_ITEMS)) {
      const paths = chunk.paths.map((path) => formatCodeSpan(sanitizeLine(path, MAX_PATH_CHARS))).join(', ')
      lines.push(`- Chunk ${chunk.id}: ${paths}${chunk.ok ? '' : ' (failed)'}`)
    }
    lines.push(...more(report.escalatedChunks.length, MAX_ESCALATION_ITEMS, 'chunks'), '')
  }
  if (report.verifiedChunks > 0) {
    const gate = report.verifySeverity === undefined ? '' : ` (${formatSeverity(report.verifySeverity)} and above)`
    lines.push(
      `**Verified${gate}:** ${count(checked)} finding(s) in ${count(report.verifiedChunks)} chunk(s) re-checked: ` +
        `${count(report.confirmed)} confirmed (marked verified), ${count(report.rejected.length)} rejected (not posted), ` +
        `${count(report.unverified)} posted unverified.`
    )
    if (report.failedVerifications > 0) {
      lines.push(
        `⚠️ The verification of ${count(report.failedVerifications)} chunk(s) failed: their findings were posted unverified.`
      )
    }
    for (const finding of report.rejected.slice(0, MAX_ESCALATION_ITEMS)) {
      const where = formatCodeSpan(`${sanitizeLine(finding.path, MAX_PATH_CHARS)}:${finding.line}`)
      lines.push(
        `- Rejected: ${formatSeverity(finding.severity)} — ${sanitizeLine(finding.title, MAX_TITLE_CHARS)} (${where})`
      )
    }
    lines.push(...more(report.rejected.length, MAX_ESCALATION_ITEMS, 'rejected findings'), '')
  }
  const { usage } = report
  lines.push(
    `**Escalation cost:** ${formatCost(report.usd, report.source)} for ${count(usage.inputTokens)} input and ` +
      `${count(usage.outputTokens)} output tokens.`
  )
  return lines.join('\n')
}
