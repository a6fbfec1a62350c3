/**
 * The summary comment: what was found, what was not posted inline and why, every file not reviewed,
 * every chunk that failed, usage and cost. It must fit one comment, so when it does not, the least
 * important lists are shortened first (file lists, then finding bodies, then the findings list) and the
 * comment says so; the marker is always the first line and never cut.
 */
import { compactPathItems, compactSkippedRows } from './compact-paths.js'
import { renderContextSection } from './summary-context.js'
import { renderEscalationSection, renderModelCostTable } from './summary-cost.js'
import { renderCeilingSection } from './summary-ceiling.js'
import { renderRulesSection } from './summary-rules.js'
import {
  JOB_SUMMARY_BUDGET_CHARS,
  MAX_NOTE_CHARS,
  MAX_NOTES,
  MAX_OVERVIEW_CHARS,
  SUMMARY_BUDGET_CHARS
} from '../markdown/limits.js'
import { formatCodeSpan, sanitizeBlock, sanitizeLine } from '../markdown/sanitize.js'
import { SUMMARY_MARKER, type SummaryInput } from './summary-input.js'
import { formatCount, formatPath, formatQuantity } from './format.js'
import { renderLowConfidenceItem, renderLowConfidenceSection, renderVerdict } from './summary-verdict.js'
import {
  collectLowConfidenceEntries,
  collectSummaryEntries,
  renderEntryBody,
  renderEntryHead,
  renderFailedChunkRow,
  renderSeverityTable,
  renderSkippedRow,
  renderUsage
} from './summary-sections.js'

/** Pre-rendered items of the lists that may be shortened, most important first. */
interface Items {
  readonly failedChunks: readonly string[]
  readonly findings: readonly string[]
  readonly findingBodies: readonly string[]
  readonly skipped: readonly string[]
  readonly reviewed: readonly string[]
  readonly lowConfidence: readonly string[]
}

type Shown = Record<keyof Items, number>

/** Room for the lines that change with what is shown ("… N more", `<details>` wrappers). */
const LAYOUT_SLACK_CHARS = 400

/** The summary comment body, marker first, at most `SUMMARY_BUDGET_CHARS` characters. */
export function renderSummary(input: SummaryInput): string {
  return renderWithin(input, { budget: SUMMARY_BUDGET_CHARS, marker: true })
}

/** The same report for `$GITHUB_STEP_SUMMARY`: no marker, and a larger budget. */
export function renderJobSummaryMarkdown(input: SummaryInput): string {
  return renderWithin(input, { budget: JOB_SUMMARY_BUDGET_CHARS, marker: false })
}

/** Body of the review that carries the inline comments; details live in the summary comment. */
export function renderReviewBody(input: { headSha: string; inlineCount: number; runMarker: string }): string {
  const count = formatQuantity(input.inlineCount, 'inline comment')
  return [
    `**Codex PR review** of ${formatCodeSpan(sanitizeLine(input.headSha))}: ${count}.`,
    'The summary comment on this pull request lists the other findings, the files not reviewed and the usage.',
    '',
    input.runMarker
  ].join('\n')
}

function renderWithin(input: SummaryInput, options: { readonly budget: number; readonly marker: boolean }): string {
  const entries = collectSummaryEntries(input)
  const items: Items = {
    failedChunks: input.chunks.failed.map(renderFailedChunkRow),
    findings: entries.map(renderEntryHead),
    findingBodies: entries.map(renderEntryBody),
    skipped: input.skipped.map(renderSkippedRow),
    reviewed: input.reviewedFiles.map((path) => `- ${formatPath(path)}`),
    lowConfidence: collectLowConfidenceEntries(input).map(renderLowConfidenceItem)
  }
  const entriesTable = renderSeverityTable(input, entries)
  const full = assemble({ input, items, shown: showAll(items), entriesTable, marker: options.marker })
  if (full.length <= options.budget) return full
  return renderTruncated(
    { ...items, ...compactFileLists(input) },
    { input, entriesTable, marker: options.marker, budget: options.budget }
  )
}

function showAll(items: Items): Shown {
  return {
    failedChunks: items.failedChunks.length,
    findings: items.findings.length,
    findingBodies: items.findingBodies.length,
    skipped: items.skipped.length,
    reviewed: items.reviewed.length,
    lowConfidence: items.lowConfidence.length
  }
}

/** Long file lists grouped by folder: every file stays accounted for before anything is dropped. */
function compactFileLists(input: SummaryInput): Pick<Items, 'skipped' | 'reviewed'> {
  return {
    skipped: compactSkippedRows(input.skipped, renderSkippedRow),
    reviewed: compactPathItems(input.reviewedFiles)
  }
}

function renderTruncated(
  items: Items,
  options: {
    readonly input: SummaryInput
    readonly entriesTable: string
    readonly marker: boolean
    readonly budget: number
  }
): string {
  const { input, entriesTable } = options
  const render = (shown: Shown): string => assemble({ input, items, shown, entriesTable, marker: options.marker })
  const compact = render(showAll(items))
  if (compact.length <= options.budget) return compact
  const none: Shown = { failedChunks: 0, findings: 0, findingBodies: 0, skipped: 0, reviewed: 0, lowConfidence: 0 }
  let remaining = options.budget - render(none).length - LAYOUT_SLACK_CHARS
  const shown: Shown = { ...none }
  // Which files were not reviewed matters more than the details of findings already headlined.
  for (const key of ['failedChunks', 'findings', 'skipped', 'findingBodies', 'lowConfidence', 'reviewed'] as const) {
    const candidates = key === 'findingBodies' ? items.findingBodies.slice(0, shown.findings) : items[key]
    let count = 0
    while (count < candidates.length && (candidates[count]?.length ?? 0) + 2 <= remaining) {
      remaining -= (candidates[count]?.length ?? 0) + 2
      count += 1
    }
    shown[key] = count
  }
  return shrinkUntilFits(render, shown, options.budget)
}

/** The slack should make this a no-op; it guarantees the budget whatever the layout lines cost. */
function shrinkUntilFits(render: (shown: Shown) => string, start: Shown, budget: number): string {
  const shown = { ...start }
  let text = render(shown)
  for (const key of ['reviewed', 'lowConfidence', 'findingBodies', 'skipped', 'findings', 'failedChunks'] as const) {
    while (text.length > budget && shown[key] > 0) {
      shown[key] = Math.floor(shown[key] / 2)
      if (key === 'findings') shown.findingBodies = Math.min(shown.findingBodies, shown.findings)
      text = render(shown)
    }
  }
  return text
}

interface AssembleOptions {
  readonly input: SummaryInput
  readonly items: Items
  readonly shown: Shown
  readonly entriesTable: string
  readonly marker: boolean
}

function assemble({ input, items, shown, entriesTable, marker }: AssembleOptions): string {
  const blocks: string[] = []
  if (marker) blocks.push(SUMMARY_MARKER)
  if (marker && input.scope !== undefined) blocks.push(input.scope.stateMarker)
  blocks.push('## 🤖 Codex PR review')
  if (input.scope !== undefined) blocks.push(input.scope.scopeBlock)
  const notice = truncationNotice(items, shown)
  if (notice !== undefined) blocks.push(notice)
  if (input.nothingReviewed !== undefined) {
    blocks.push(`> [!CAUTION]\n> ${sanitizeLine(input.nothingReviewed, MAX_NOTE_CHARS)}`)
  }
  const verdict = renderVerdict(input.verdict)
  if (verdict !== undefined) blocks.push(verdict)
  const overview = renderOverview(input)
  if (overview !== undefined) blocks.push(overview)
  blocks.push(entriesTable)
  if (items.failedChunks.length > 0) blocks.push(failedChunksSection(input, items, shown))
  if (items.findings.length > 0) blocks.push(findingsSection(items, shown))
  const low = renderLowConfidenceSection({
    items: items.lowConfidence,
    shown: shown.lowConfidence,
    minConfidence: input.lowConfidence?.minConfidence ?? 0
  })
  if (low !== '') blocks.push(low)
  if ((input.scope?.carriedBlock ?? '') !== '') blocks.push(input.scope?.carriedBlock ?? '')
  if (items.skipped.length > 0) blocks.push(skippedSection(input, items, shown))
  blocks.push(reviewedSection(input, items, shown))
  const context = renderContextSection(input.context)
  if (context !== '') blocks.push(context)
  blocks.push(renderUsage(input))
  const perModel = renderModelCostTable(input.modelCosts ?? [])
  if (perModel !== '') blocks.push(perModel)
  const ceiling = renderCeilingSection(input.costCeiling)
  if (ceiling !== '') blocks.push(ceiling)
  const escalation = renderEscalationSection(input.escalation)
  if (escalation !== '') blocks.push(escalation)
  const rules = renderRulesSection(input.rules)
  if (rules !== '') blocks.push(rules)
  if (input.scope !== undefined) blocks.push(input.scope.historyBlock)
  blocks.push(footer(input))
  const allNotes = input.notes ?? []
  const notes = allNotes.slice(0, MAX_NOTES).map((note) => `- ${sanitizeLine(note, MAX_NOTE_CHARS)}`)
  if (allNotes.length > MAX_NOTES) notes.push(`- … and ${formatCount(allNotes.length - MAX_NOTES)} more notes`)
  if (notes.length > 0) blocks.push(`### Notes\n\n${notes.join('\n')}`)
  return blocks.join('\n\n')
}

/** The opening overview: the model's risk level (an enum, never free text) and its merged overview. */
function renderOverview(input: SummaryInput): string | undefined {
  const text = input.overview?.trim() ?? ''
  if (text === '' && input.risk === undefined) return undefined
  const parts = ['### Overview']
  if (input.risk !== undefined) parts.push(`**Risk: ${input.risk}**`)
  if (text !== '') parts.push(sanitizeBlock(text, MAX_OVERVIEW_CHARS))
  return parts.join('\n\n')
}

/** Starts with an empty line: a plain line right after a table would become one of its rows. */
function moreLine(total: number, shown: number, what: string): string[] {
  return total > shown ? ['', `_… and ${formatCount(total - shown)} more ${what} not listed (size limit)._`] : []
}

function failedChunksSection(input: SummaryInput, items: Items, shown: Shown): string {
  const failed = items.failedChunks.length
  return [
    `### ⚠️ Chunks that failed (${formatCount(failed)} of ${formatCount(input.chunks.total)})`,
    '',
    '> [!WARNING]',
    '> The files in these chunks were **NOT reviewed** (or only partly): no findings there means nothing.',
    '',
    '| Chunk | Files | Error |',
    '|---:|---|---|',
    ...items.failedChunks.slice(0, shown.failedChunks),
    ...moreLine(failed, shown.failedChunks, 'failed chunks')
  ].join('\n')
}

function findingsSection(items: Items, shown: Shown): string {
  const entries = items.findings.slice(0, shown.findings).map((head, index) => {
    const body = index < shown.findingBodies ? (items.findingBodies[index] ?? '') : ''
    return body === '' ? head : `${head}\n\n${body}`
  })
  return [
    `### Findings not posted inline (${formatCount(items.findings.length)})`,
    ...entries,
    ...moreLine(items.findings.length, shown.findings, 'findings').filter((line) => line !== '')
  ].join('\n\n')
}

function skippedSection(input: SummaryInput, items: Items, shown: Shown): string {
  return [
    `### Files not reviewed (${formatCount(input.skipped.length)})`,
    '',
    '| File | Reason |',
    '|---|---|',
    ...items.skipped.slice(0, shown.skipped),
    ...moreLine(items.skipped.length, shown.skipped, 'rows')
  ].join('\n')
}

function reviewedSection(input: SummaryInput, items: Items, shown: Shown): string {
  const files = formatQuantity(input.reviewedFiles.length, 'file')
  const count =
    input.nothingReviewed === undefined
      ? `**Reviewed:** ${files} in ${formatQuantity(input.chunks.total, 'chunk')}.`
      : `**Reviewed:** nothing (${files} in ${formatQuantity(input.chunks.total, 'chunk')} planned; every request failed).`
  if (shown.reviewed === 0) return count
  const list = [
    ...items.reviewed.slice(0, shown.reviewed),
    ...moreLine(items.reviewed.length, shown.reviewed, 'entries')
  ]
  return `${count}\n\n<details><summary>Reviewed files</summary>\n\n${list.join('\n')}\n\n</details>`
}

function footer(input: SummaryInput): string {
  const parts = [
    `Model ${formatCodeSpan(sanitizeLine(input.model))}`,
    `reviewed head ${formatCodeSpan(sanitizeLine(input.headSha))}`
  ]
  if (input.diffSource !== undefined) parts.push(`diff: ${sanitizeLine(input.diffSource, MAX_NOTE_CHARS)}`)
  return `<sub>${parts.join(' · ')}</sub>`
}

function truncationNotice(items: Items, shown: Shown): string | undefined {
  const cut: string[] = []
  const missing = (key: keyof Items): number => items[key].length - shown[key]
  if (missing('failedChunks') > 0) cut.push(`${formatCount(missing('failedChunks'))} failed chunks are not listed`)
  if (missing('findings') > 0) cut.push(`${formatCount(missing('findings'))} findings are not listed`)
  const bodies = items.findingBodies.slice(shown.findingBodies, shown.findings).filter((body) => body !== '').length
  if (bodies > 0) cut.push(`the details of ${formatCount(bodies)} findings are left out`)
  if (missing('skipped') > 0) cut.push(`${formatCount(missing('skipped'))} rows of files not reviewed are not listed`)
  if (missing('reviewed') > 0) cut.push(`the list of reviewed files is shortened`)
  if (missing('lowConfidence') > 0)
    cut.push(`${formatCount(missing('lowConfidence'))} low-confidence findings are not listed`)
  if (cut.length === 0) return undefined
  return `> [!NOTE]\n> This summary was shortened to fit GitHub's comment size limit: ${cut.join('; ')}.`
}
