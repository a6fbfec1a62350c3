/**
 * The plan of a review as Markdown: the CLI's `--format markdown` dry run and the action's dry run (its job
 * summary) render the same view. File names and the source come from the diff, so they go through the same
 * sanitising as every comment we post; numbers are formatted as the text view formats them.
 */
import { describeSkip } from '../diff/filter.js'
import type { RulesReport } from '../engine/chunk-guidance.js'
import { MAX_ERROR_CHARS, MAX_NOTE_CHARS } from '../markdown/limits.js'
import { escapeTableCell, formatCodeSpan, sanitizeLine } from '../markdown/sanitize.js'
import { formatCount, formatPath } from '../render/format.js'
import { describeContext } from './context-lines.js'
import type { PlanReport, PlannedChunk, PlannedEscalation, PlannedFile } from './plan-report.js'
import { formatUsd } from '../util/usd.js'

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
export function describePlanCost(report: PlanReport, wording: PlanWording = CLI_WORDING): string[] {
  const { estimate, overhead } = report
  if (estimate.requests === 0) return ['Nothing to send: no request, no cost.']
  const perRequest = overhead.instructionTokens + overhead.schemaTokens + overhead.wrapperTokens
  const assumed = estimate.outputAssumption.startsWith('assumed') && wording.canSetOutputTokens
  const outputSource = `${estimate.outputAssumption}${assumed ? `; set ${wording.name('output-tokens-per-request')}` : ''}`
  const context = report.context === undefined ? '' : `${formatCount(report.contextTokens)} context + `
  const guidance = report.guidanceTokens > 0 ? `${formatCount(report.guidanceTokens)} repository guidance + ` : ''
  const lines = [
    `Input: ${formatCount(estimate.inputTokens)} tokens = ${formatCount(report.diffTokens)} diff + ${context}${guidance}` +
      `${formatCount(estimate.requests)} × ${formatCount(perRequest)} per request ` +
      `(instructions ${formatCount(overhead.instructionTokens)}, response schema ~${formatCount(overhead.schemaTokens)}, ` +
      `PR text ${formatCount(overhead.wrapperTokens)}); ` +
      `${formatCount(estimate.cachedInputTokens)} assumed cached (${formatCount(estimate.cachedPerRequest)} per request after the first wave).`,
    `Output: ${formatCount(estimate.outputTokens)} tokens = ${formatCount(estimate.requests)} × ` +
      `${formatCount(estimate.outputTokensPerRequest)} (${outputSource}), reasoning included.`
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

/** " + 1,234 context tokens" after the diff tokens; '' with context off. */
export function describeContextTotal(report: PlanReport): string {
  return report.context === undefined ? '' : ` + ${formatCount(report.contextTokens)} context tokens`
}

/**
 * What a chunk's request carries besides its diff (context with context on, repository guidance) and, under a
 * ceiling, its estimate and whether it is reviewed: " [+137 context; +157 guidance; …]", '' when none applies.
 */
export function describeChunkExtras(chunk: PlannedChunk, report: Pick<PlanReport, 'context'>): string {
  const parts: string[] = []
  if (report.context !== undefined) parts.push(`+${formatCount(chunk.contextTokens)} context`)
  if (chunk.guidanceTokens > 0) parts.push(`+${formatCount(chunk.guidanceTokens)} guidance`)
  if (chunk.ceiling !== undefined) {
    const verdict = chunk.ceiling.reviewed ? 'within the ceiling' : 'not reviewed: cost ceiling'
    parts.push(
      `${chunk.ceiling.kind}, path risk ${chunk.ceiling.pathRisk}, ~${formatUsd(chunk.ceiling.usd)}, ${verdict}`
    )
  }
  return parts.length === 0 ? '' : ` [${parts.join('; ')}]`
}

/**
 * How the plan speaks to its reader: the CLI names its flags (`--max-cost-usd`, the default) and can be told the
 * output tokens to assume; the action's job summary names the same settings as inputs (`max-cost-usd`).
 */
export interface PlanWording {
  readonly name: (setting: string) => string
  /** Whether the reader can set the output tokens assumed per request (--output-tokens-per-request). */
  readonly canSetOutputTokens: boolean
}

const CLI_WORDING: PlanWording = { name: (setting) => `--${setting}`, canSetOutputTokens: true }

/** The action's dry run: settings are inputs, in code spans. */
export const ACTION_WORDING: PlanWording = { name: (setting) => `\`${setting}\``, canSetOutputTokens: false }

const RISK_GATES: Readonly<Record<PlannedEscalation['escalateOnRisk'], string>> = {
  off: 'off',
  high: 'rates high risk',
  medium: 'rates medium or high risk'
}

/** Which triggers call the escalation model, and what it may add. */
function escalationLines(escalation: PlannedEscalation, name: PlanWording['name']): string[] {
  if (escalation.model === undefined) {
    return [
      `Escalation: off (no ${name('escalate-paths')}, ${name('verify-severity')} or ${name('escalate-on-risk')}).`
    ]
  }
  const lines = [`Escalation to ${escalation.model}:`]
  const byPath =
    escalation.escalatedChunks.length === 0 ? 'no chunk' : `chunks ${escalation.escalatedChunks.join(', ')}`
  if (escalation.escalatePaths.length > 0) {
    lines.push(`  ${name('escalate-paths')} ${escalation.escalatePaths.join(', ')}: ${byPath} reviewed by it instead.`)
  }
  if (escalation.verifySeverity !== 'off') {
    lines.push(`  ${name('verify-severity')} ${escalation.verifySeverity}: findings at or above it re-checked by it.`)
  }
  if (escalation.escalateOnRisk !== 'off') {
    const most =
      escalation.everyChunkAgainUsd === undefined
        ? ''
        : `; at most ${formatUsd(escalation.everyChunkAgainUsd)} more if every chunk is`
    lines.push(
      `  ${name('escalate-on-risk')} ${escalation.escalateOnRisk}: chunks ${name('model')} ${RISK_GATES[escalation.escalateOnRisk]} reviewed again by it${most}.`
    )
  }
  return lines
}

/** The cost ceiling's plan: what fits, in which order, and what is left out. */
function ceilingLines(report: PlanReport, name: PlanWording['name']): string[] {
  const { ceiling } = report
  if (ceiling === undefined) return [`Cost ceiling: none (${name('max-cost-usd')} 0).`]
  const lines = [
    `Cost ceiling: ${formatUsd(ceiling.ceilingUsd)} (${name(ceiling.source)}). Each request estimated alone, uncached: ` +
      `${formatUsd(ceiling.estimatedUsd)} for every chunk.`
  ]
  if (ceiling.notReviewed.length === 0) return [...lines, '  Every chunk fits.']
  lines.push(
    `  Chunks are taken in order of importance (${ceiling.order}) while they fit: ` +
      `${formatCount(report.chunks.length - ceiling.notReviewed.length)} of ${formatCount(report.chunks.length)} ` +
      `(${formatUsd(ceiling.plannedUsd)}).`,
    `  Not reviewed: cost ceiling, ${formatCount(ceiling.notReviewed.length)} chunk(s) needing about ` +
      `${formatUsd(ceiling.neededUsd)} more: ` +
      ceiling.notReviewed.map((chunk) => `#${chunk.id} (${formatUsd(chunk.neededUsd)})`).join(', ') +
      '.'
  )
  return lines
}

/** Which rule files the requests would carry, which the cap leaves out, and why others are not used. */
function rulesLines(rules: RulesReport | undefined, name: PlanWording['name']): string[] {
  if (rules === undefined) return ['Rule files: none at the base commit (AGENTS.md, CLAUDE.md, Copilot instructions).']
  const lines =
    rules.read.length === 0
      ? ['Rule files: none read.']
      : [
          `Rule files at ${rules.origin} (${name('rules-max-tokens')} ${formatCount(rules.maxTokens)}): ${rules.read.join(', ')}.`,
          `  Used: ${rules.used.length === 0 ? 'none (no review guidance in them)' : rules.used.join(', ')}.`
        ]
  for (const omitted of rules.omitted) {
    lines.push(
      `  Left out by the cap: ${omitted.source} (${formatCount(omitted.tokens)} tokens) in ` +
        `${formatCount(omitted.requests)} request(s).`
    )
  }
  for (const note of rules.notes) lines.push(`  Note: ${note}`)
  return lines
}

/** Cost, then the ceiling, escalation and rule files: the lines under the plan's tables, shared by both views. */
export function describePlanDetails(report: PlanReport, wording: PlanWording = CLI_WORDING): string[] {
  const { name } = wording
  return [
    ...describePlanCost(report, wording),
    ...ceilingLines(report, name),
    ...escalationLines(report.escalation, name),
    ...rulesLines(report.rules, name)
  ]
}

/** One row per chunk; with context on, its context tokens beside its diff tokens. */
function chunkTable(report: PlanReport, row: (cells: readonly string[]) => string): string {
  const withContext = report.context !== undefined
  return [
    withContext
      ? '| Chunk | Diff tokens | Context tokens | Changed lines | Files |'
      : '| Chunk | Tokens | Changed lines | Files |',
    withContext ? '|---:|---:|---:|---:|---|' : '|---:|---:|---:|---|',
    ...report.chunks.map((chunk) =>
      row([
        String(chunk.id),
        formatCount(chunk.tokens),
        ...(withContext ? [formatCount(chunk.contextTokens)] : []),
        formatCount(chunk.changedLines),
        describeChunkFiles(chunk, formatPath) + describeChunkExtras(chunk, report)
      ])
    )
  ].join('\n')
}

/** Where the context came from and what was left out; nothing with context off. */
function contextSection(report: PlanReport, wording: PlanWording): string[] {
  if (report.context === undefined) return []
  const { headline, lines } = describeContext(report.context, wording.name)
  return [
    [
      sanitizeLine(headline, MAX_NOTE_CHARS),
      '',
      ...lines.map((line) => `- ${sanitizeLine(line.trim(), MAX_NOTE_CHARS)}`)
    ].join('\n')
  ]
}

/** The plan as Markdown tables. */
export function renderPlanMarkdown(report: PlanReport, wording: PlanWording = CLI_WORDING): string {
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
    chunkTable(report, row),
    ...contextSection(report, wording),
    describePlanDetails(report, wording)
      .map((line) => `- ${sanitizeLine(line.trim(), MAX_NOTE_CHARS)}`)
      .join('\n')
  ]
  return `${blocks.join('\n\n')}\n`
}
