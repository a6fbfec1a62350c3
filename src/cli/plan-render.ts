/** The dry run's report as text for a terminal, or as Markdown. */
import { describeSkip } from '../diff/filter.js'
import type { RulesReport } from '../engine/chunk-guidance.js'
import type { PlanReport, PlannedChunk, PlannedEscalation, PlannedFile } from './plan-report.js'
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
  const guidance = report.guidanceTokens > 0 ? `${formatInteger(report.guidanceTokens)} repository guidance + ` : ''
  const lines = [
    `Input: ${formatInteger(estimate.inputTokens)} tokens = ${formatInteger(report.diffTokens)} diff + ${guidance}` +
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

/** The chunk's guidance tokens and, under a ceiling, its estimate and whether it is reviewed. */
function describeChunkExtras(chunk: PlannedChunk): string {
  const parts: string[] = []
  if (chunk.guidanceTokens > 0) parts.push(`+${formatInteger(chunk.guidanceTokens)} guidance`)
  if (chunk.ceiling !== undefined) {
    const verdict = chunk.ceiling.reviewed ? 'within the ceiling' : 'not reviewed: cost ceiling'
    parts.push(
      `${chunk.ceiling.kind}, path risk ${chunk.ceiling.pathRisk}, ~${formatUsd(chunk.ceiling.usd)}, ${verdict}`
    )
  }
  return parts.length === 0 ? '' : ` [${parts.join('; ')}]`
}

const RISK_GATES: Readonly<Record<PlannedEscalation['escalateOnRisk'], string>> = {
  off: 'off',
  high: 'chunks --model rates high risk',
  medium: 'chunks --model rates medium or high risk'
}

/** Which triggers call the escalation model, and what it may add. */
function escalationLines(escalation: PlannedEscalation): string[] {
  if (escalation.model === undefined) {
    return ['Escalation: off (no --escalate-paths, --verify-severity or --escalate-on-risk).']
  }
  const lines = [`Escalation to ${escalation.model}:`]
  const byPath =
    escalation.escalatedChunks.length === 0 ? 'no chunk' : `chunks ${escalation.escalatedChunks.join(', ')}`
  if (escalation.escalatePaths.length > 0) {
    lines.push(`  --escalate-paths ${escalation.escalatePaths.join(', ')}: ${byPath} reviewed by it instead.`)
  }
  if (escalation.verifySeverity !== 'off') {
    lines.push(`  --verify-severity ${escalation.verifySeverity}: findings at or above it re-checked by it.`)
  }
  if (escalation.escalateOnRisk !== 'off') {
    const most =
      escalation.everyChunkAgainUsd === undefined
        ? ''
        : `; at most ${formatUsd(escalation.everyChunkAgainUsd)} more if every chunk is`
    lines.push(
      `  --escalate-on-risk ${escalation.escalateOnRisk}: ${RISK_GATES[escalation.escalateOnRisk]} reviewed again by it${most}.`
    )
  }
  return lines
}

/** The cost ceiling's plan: what fits, in which order, and what is left out. */
function ceilingLines(report: PlanReport): string[] {
  const { ceiling } = report
  if (ceiling === undefined) return ['Cost ceiling: none (--max-cost-usd 0).']
  const lines = [
    `Cost ceiling: ${formatUsd(ceiling.ceilingUsd)} (--${ceiling.source}). Each request estimated alone, uncached: ` +
      `${formatUsd(ceiling.estimatedUsd)} for every chunk.`
  ]
  if (ceiling.notReviewed.length === 0) return [...lines, '  Every chunk fits.']
  lines.push(
    `  Chunks are taken in order of importance (${ceiling.order}) while they fit: ` +
      `${formatInteger(report.chunks.length - ceiling.notReviewed.length)} of ${formatInteger(report.chunks.length)} ` +
      `(${formatUsd(ceiling.plannedUsd)}).`,
    `  Not reviewed: cost ceiling, ${formatInteger(ceiling.notReviewed.length)} chunk(s) needing about ` +
      `${formatUsd(ceiling.neededUsd)} more: ` +
      ceiling.notReviewed.map((chunk) => `#${chunk.id} (${formatUsd(chunk.neededUsd)})`).join(', ') +
      '.'
  )
  return lines
}

/** Which rule files the requests would carry, which the cap leaves out, and why others are not used. */
function rulesLines(rules: RulesReport | undefined): string[] {
  if (rules === undefined) return ['Rule files: none at the base commit (AGENTS.md, CLAUDE.md, Copilot instructions).']
  const lines =
    rules.read.length === 0
      ? ['Rule files: none read.']
      : [
          `Rule files at ${rules.origin} (--rules-max-tokens ${formatInteger(rules.maxTokens)}): ${rules.read.join(', ')}.`,
          `  Used: ${rules.used.length === 0 ? 'none (no review guidance in them)' : rules.used.join(', ')}.`
        ]
  for (const omitted of rules.omitted) {
    lines.push(
      `  Left out by the cap: ${omitted.source} (${formatInteger(omitted.tokens)} tokens) in ` +
        `${formatInteger(omitted.requests)} request(s).`
    )
  }
  for (const note of rules.notes) lines.push(`  Note: ${note}`)
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
    `Chunks (${formatInteger(report.chunks.length)}, ${formatInteger(report.diffTokens)} diff tokens):`,
    ...report.chunks.map(
      (chunk) =>
        `  #${chunk.id}  ${formatInteger(chunk.tokens)} tokens, ${formatInteger(chunk.changedLines)} changed lines: ` +
        `${describeChunkFiles(chunk)}${describeChunkExtras(chunk)}`
    ),
    '',
    `Requests: ${formatInteger(report.requests)} (one per chunk).`,
    ...costLines(report),
    ...ceilingLines(report),
    ...escalationLines(report.escalation),
    ...rulesLines(report.rules)
  ]
  return toTerminalText(`${lines.join('\n')}\n`)
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/`/g, "'")

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
    [
      '| Chunk | Tokens | Changed lines | Files |',
      '|---:|---:|---:|---|',
      ...report.chunks.map(
        (chunk) =>
          `| ${chunk.id} | ${chunk.tokens} | ${chunk.changedLines} | ` +
          `${cell(describeChunkFiles(chunk) + describeChunkExtras(chunk))} |`
      )
    ].join('\n'),
    [...costLines(report), ...ceilingLines(report), ...escalationLines(report.escalation), ...rulesLines(report.rules)]
      .map((line) => `- ${cell(line.trim())}`)
      .join('\n')
  ]
  return toTerminalText(`${blocks.join('\n\n')}\n`)
}
