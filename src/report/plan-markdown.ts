/**
 * The plan of a review as Markdown: the CLI's `--format markdown` dry run and the action's dry run (its job
 * summary) render the same view. File names and the source come from the diff, so they go through the same
 * sanitising as every comment we post; numbers are formatted as the text view formats them.
 */
import { describeSkip } from '../diff/filter.js'
import { MAX_ERROR_CHARS, MAX_NOTE_CHARS } from '../markdown/limits.js'
import { escapeTableCell, formatCodeSpan, sanitizeLine } from '../markdown/sanitize.js'
import { formatCount, formatPath, formatUsd } from '../render/format.js'
import type { PlanReport, PlannedChunk, PlannedFile } from './plan-report.js'

/** At most this many paths are named per chunk; the rest are counted. */
const MAX_PATHS_PER_CHUNK = 4

/** "chunk 2", "chunks 1, 2", "no chunk". */
export function describePlannedChunks(file: PlannedFile): string {
  const ids = file.chunks
  if (ids.length === 0) return 'no chunk'
  if (ids.length === 1) return `chunk ${ids[0]}`
  return `chunks ${ids.join(', ')}`
}

/** A chunk's files, the parts of split files named, at most MAX_PATHS_PER_CHUNK then "+N more". */
export function describeChunkFiles(chunk: PlannedChunk, formatName: (path: string) => string = (path) => path): string {
  const names = chunk.files.map((file) =>
    file.parts > 1 ? `${formatName(file.path)} (part ${file.part}/${file.parts})` : formatName(file.path)
  )
  const shown = names.slice(0, MAX_PATHS_PER_CHUNK)
  const more = names.length - shown.length
  return more > 0 ? `${shown.join(', ')} +${formatCount(more)} more` : shown.join(', ')
}

/** What the plan will send and cost, one sentence each: shared by the text and Markdown views. */
export function describePlanCost(report: PlanReport): string[] {
  const { estimate, overhead } = report
  if (estimate.requests === 0) return ['Nothing to send: no request, no cost.']
  const perRequest = overhead.instructionTokens + overhead.schemaTokens + overhead.wrapperTokens
  const lines = [
    `Input: ${formatCount(estimate.inputTokens)} tokens = ${formatCount(report.diffTokens)} diff + ` +
      `${formatCount(estimate.requests)} × ${formatCount(perRequest)} per request ` +
      `(instructions ${formatCount(overhead.instructionTokens)}, response schema ~${formatCount(overhead.schemaTokens)}, ` +
      `PR text ${formatCount(overhead.wrapperTokens)}); ` +
      `${formatCount(estimate.cachedInputTokens)} assumed cached (${formatCount(estimate.cachedPerRequest)} per request after the first wave).`,
    `Output: ${formatCount(estimate.outputTokens)} tokens = ${formatCount(estimate.requests)} × ` +
      `${formatCount(estimate.outputTokensPerRequest)} (${estimate.outputAssumption}), reasoning included.`
  ]
  if (estimate.prices === undefined || estimate.usd === undefined || estimate.worstCaseUsd === undefined) {
    const missing = estimate.missingPrices ?? []
    lines.push(`Cost: no built-in prices for ${report.model}; pass ${missing.join(', ')} (USD per million tokens).`)
    return lines
  }
  const { prices } = estimate
  lines.push(
    `Prices (${estimate.priceSource ?? 'list prices'}): $${prices.input} input, $${prices.cachedInput} cached input, ` +
      `$${prices.output} output per million tokens.`,
    `Estimated cost: ${formatUsd(estimate.usd)} (at most ${formatUsd(estimate.worstCaseUsd)} if every request used its ` +
      `whole output budget, ${formatCount(estimate.worstCaseOutputTokens / estimate.requests)} tokens, uncached).`
  )
  return lines
}

/** The plan as Markdown tables. */
export function renderPlanMarkdown(report: PlanReport): string {
  const row = (cells: readonly string[]): string => `| ${cells.map(escapeTableCell).join(' | ')} |`
  const blocks = [
    `## Review plan: ${sanitizeLine(report.source, MAX_NOTE_CHARS)}`,
    `${formatCount(report.changedFiles)} file(s) changed: **${formatCount(report.reviewed.length)} to review**, ` +
      `${formatCount(report.skipped.length)} skipped, in **${formatCount(report.requests)} request(s)** ` +
      `to ${formatCodeSpan(sanitizeLine(report.model))} (at most ${formatCount(report.maxChunkTokens)} diff tokens each).`,
    [
      '| File | Status | + | - | Chunks |',
      '|---|---|---:|---:|---|',
      ...report.reviewed.map((file) =>
        row([
          formatPath(file.path),
          file.status,
          formatCount(file.additions),
          formatCount(file.deletions),
          file.chunks.join(', ')
        ])
      )
    ].join('\n'),
    report.skipped.length === 0
      ? 'No file skipped.'
      : [
          '| Skipped file | Reason |',
          '|---|---|',
          ...report.skipped.map((file) =>
            row([formatPath(file.path), sanitizeLine(describeSkip(file), MAX_ERROR_CHARS)])
          )
        ].join('\n'),
    [
      '| Chunk | Tokens | Changed lines | Files |',
      '|---:|---:|---:|---|',
      ...report.chunks.map((chunk) =>
        row([
          String(chunk.id),
          formatCount(chunk.tokens),
          formatCount(chunk.changedLines),
          describeChunkFiles(chunk, formatPath)
        ])
      )
    ].join('\n'),
    describePlanCost(report)
      .map((line) => `- ${sanitizeLine(line, MAX_NOTE_CHARS)}`)
      .join('\n')
  ]
  return `${blocks.join('\n\n')}\n`
}
