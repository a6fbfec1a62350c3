/** The dry run's report as text for a terminal, or as Markdown. */
import { describeSkip } from '../diff/filter.js'
import { describeContext } from './context-lines.js'
import type { PlanReport, PlannedChunk, PlannedFile } from './plan-report.js'
import { formatUsd, formatInteger, toTerminalText } from './terminal-text.js'

/** At most this many paths are named per chunk line; the rest are counted. */
const MAX_PATHS_PER_CHUNK_LINE = 4

function describeChunks(file: PlannedFile): string {
  const ids = file.chunks
  if (ids.length === 0) return 'no chunk'
  if (ids.length === 1) return `chunk ${ids[0]}`
  return `chunks ${ids.join(', ')}`
}

function describeChunkFiles(chunk: PlannedChunk): string {
  const names = chunk.files.map((file) =>
    file.parts > 1 ? `${file.path} (part ${file.part}/${file.parts})` : file.path
  )
  const shown = names.slice(0, MAX_PATHS_PER_CHUNK_LINE)
  const more = names.length - shown.length
  return more > 0 ? `${shown.join(', ')} +${more} more` : shown.join(', ')
}

function costLines(report: PlanReport): string[] {
  const { estimate, overhead } = report
  if (estimate.requests === 0) return ['Nothing to send: no request, no cost.']
  const perRequest = overhead.instructionTokens + overhead.schemaTokens + overhead.wrapperTokens
  const context = report.context === undefined ? '' : `${formatInteger(report.contextTokens)} context + `
  const lines = [
    `Input: ${formatInteger(estimate.inputTokens)} tokens = ${formatInteger(report.diffTokens)} diff + ${context}` +
      `${formatInteger(estimate.requests)} × ${formatInteger(perRequest)} per request ` +
      `(instructions ${formatInteger(overhead.instructionTokens)}, response schema ~${formatInteger(overhead.schemaTokens)}, ` +
      `PR text ${formatInteger(overhead.wrapperTokens)}); ` +
      `${formatInteger(estimate.cachedInputTokens)} assumed cached (${formatInteger(estimate.cachedPerRequest)} per request after the first wave).`,
    `Output: ${formatInteger(estimate.outputTokens)} tokens = ${formatInteger(estimate.requests)} × ` +
      `${formatInteger(estimate.outputTokensPerRequest)} (${estimate.outputAssumption}), reasoning included.`
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
      `whole output budget, ${formatInteger(estimate.worstCaseOutputTokens / estimate.requests)} tokens, uncached).`
  )
  return lines
}

/** The plan for a terminal. */
export function renderPlanText(report: PlanReport): string {
  const lines = [
    `Plan for ${report.source}`,
    `${formatInteger(report.changedFiles)} file(s) changed: ${formatInteger(report.reviewed.length)} to review, ` +
      `${formatInteger(report.skipped.length)} skipped. Model ${report.model}, at most ${formatInteger(report.maxChunkTokens)} diff tokens per request.`,
    '',
    `Files to review (${formatInteger(report.reviewed.length)}):`,
    ...report.reviewed.map(
      (file) =>
        `  ${file.path}  ${file.status}, +${formatInteger(file.additions)} -${formatInteger(file.deletions)}, ${describeChunks(file)}`
    ),
    '',
    `Files skipped (${formatInteger(report.skipped.length)}):`,
    ...report.skipped.map((file) => `  ${file.path}  ${describeSkip(file)}`),
    '',
    `Chunks (${formatInteger(report.chunks.length)}, ${formatInteger(report.diffTokens)} diff tokens${contextTotal(report)}):`,
    ...report.chunks.map(
      (chunk) =>
        `  #${chunk.id}  ${formatInteger(chunk.tokens)} tokens, ${formatInteger(chunk.changedLines)} changed lines: ${describeChunkFiles(chunk)}${chunkContext(report, chunk)}`
    ),
    '',
    ...contextTextLines(report),
    `Requests: ${formatInteger(report.requests)} (one per chunk).`,
    ...costLines(report)
  ]
  return toTerminalText(`${lines.join('\n')}\n`)
}

function contextTotal(report: PlanReport): string {
  return report.context === undefined ? '' : ` + ${formatInteger(report.contextTokens)} context tokens`
}

function chunkContext(report: PlanReport, chunk: PlannedChunk): string {
  return report.context === undefined ? '' : `  (+${formatInteger(chunk.contextTokens)} context tokens)`
}

/** The context section of the text plan, with a blank line after it; nothing with context off. */
function contextTextLines(report: PlanReport): string[] {
  if (report.context === undefined) return []
  const { headline, lines } = describeContext(report.context)
  return [headline, ...lines.map((line) => `  ${line}`), '']
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/`/g, "'")

function contextMarkdown(report: PlanReport): string[] {
  if (report.context === undefined) return []
  const { headline, lines } = describeContext(report.context)
  return [[cell(headline), '', ...lines.map((line) => `- ${cell(line.trim())}`)].join('\n')]
}

/** The plan as Markdown tables. */
export function renderPlanMarkdown(report: PlanReport): string {
  const blocks = [
    `## Review plan: ${cell(report.source)}`,
    `${formatInteger(report.changedFiles)} file(s) changed: **${formatInteger(report.reviewed.length)} to review**, ` +
      `${formatInteger(report.skipped.length)} skipped, in **${formatInteger(report.requests)} request(s)** ` +
      `to \`${cell(report.model)}\` (at most ${formatInteger(report.maxChunkTokens)} diff tokens each).`,
    [
      '| File | Status | + | - | Chunks |',
      '|---|---|---:|---:|---|',
      ...report.reviewed.map(
        (file) =>
          `| \`${cell(file.path)}\` | ${file.status} | ${file.additions} | ${file.deletions} | ${file.chunks.join(', ')} |`
      )
    ].join('\n'),
    report.skipped.length === 0
      ? 'No file skipped.'
      : [
          '| Skipped file | Reason |',
          '|---|---|',
          ...report.skipped.map((file) => `| \`${cell(file.path)}\` | ${cell(describeSkip(file))} |`)
        ].join('\n'),
    report.context === undefined
      ? [
          '| Chunk | Tokens | Changed lines | Files |',
          '|---:|---:|---:|---|',
          ...report.chunks.map(
            (chunk) => `| ${chunk.id} | ${chunk.tokens} | ${chunk.changedLines} | ${cell(describeChunkFiles(chunk))} |`
          )
        ].join('\n')
      : [
          '| Chunk | Diff tokens | Context tokens | Changed lines | Files |',
          '|---:|---:|---:|---:|---|',
          ...report.chunks.map(
            (chunk) =>
              `| ${chunk.id} | ${chunk.tokens} | ${chunk.contextTokens} | ${chunk.changedLines} | ${cell(describeChunkFiles(chunk))} |`
          )
        ].join('\n'),
    ...contextMarkdown(report),
    costLines(report)
      .map((line) => `- ${line}`)
      .join('\n')
  ]
  return toTerminalText(`${blocks.join('\n\n')}\n`)
}
