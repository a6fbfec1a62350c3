/** The dry run's report as text for a terminal, or as Markdown (the view the action's dry run shows too). */
import { describeSkip } from '../diff/filter.js'
import { describeContext } from '../report/context-lines.js'
import {
  describeChunkExtras,
  describeChunkFiles,
  describeContextTotal,
  describePlanDetails,
  describePlannedChunks,
  renderPlanMarkdown as renderMarkdown
} from '../report/plan-markdown.js'
import type { PlanReport } from '../report/plan-report.js'
import { formatInteger, toTerminalText } from './terminal-text.js'

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
        `  ${file.path}  ${file.status}, +${formatInteger(file.additions)} -${formatInteger(file.deletions)}, ${describePlannedChunks(file)}`
    ),
    '',
    ...(report.skipped.length === 0
      ? []
      : [
          `Files skipped (${formatInteger(report.skipped.length)}):`,
          ...report.skipped.map((file) => `  ${file.path}  ${describeSkip(file)}`),
          ''
        ]),
    `Chunks (${formatInteger(report.chunks.length)}, ${formatInteger(report.diffTokens)} diff tokens${describeContextTotal(report)}):`,
    ...report.chunks.map(
      (chunk) =>
        `  #${chunk.id}  ${formatInteger(chunk.tokens)} tokens, ${formatInteger(chunk.changedLines)} changed lines: ` +
        `${describeChunkFiles(chunk)}${describeChunkExtras(chunk, report)}`
    ),
    '',
    ...contextTextLines(report),
    `Requests: ${formatInteger(report.requests)} (one per chunk).`,
    ...describePlanDetails(report)
  ]
  return toTerminalText(`${lines.join('\n')}\n`)
}

/** The context section of the text plan, with a blank line after it; nothing with context off. */
function contextTextLines(report: PlanReport): string[] {
  if (report.context === undefined) return []
  const { headline, lines } = describeContext(report.context)
  return [headline, ...lines.map((line) => `  ${line}`), '']
}

/** The plan as Markdown, for a terminal: control characters shown, not run. */
export function renderPlanMarkdown(report: PlanReport): string {
  return toTerminalText(renderMarkdown(report))
}
