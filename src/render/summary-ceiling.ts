/**
 * The summary's "Cost ceiling" section: spent against the run's ceiling (and the pull request's, with what
 * earlier runs spent), the plan's estimate, and every chunk the ceiling kept from being reviewed with what it
 * would have needed. Pure; paths come from the diff and are sanitized.
 */
import type { CostCeilingReport } from '../engine/ceiling-report.js'
import { IMPORTANCE_ORDER } from '../engine/chunk-importance.js'
import { formatCount, formatPath } from './format.js'

/**
 * Chunks named; the rest are counted. Few: every one is also a row of the failed-chunks table, which the summary
 * shortens to fit, while this section is always shown whole.
 */
export const MAX_CEILING_ITEMS = 10
/** Paths named per chunk. */
const MAX_PATHS = 3

const usd = (value: number): string => `$${value.toFixed(4)}`

function describeSpent(report: CostCeilingReport): string[] {
  const spent = report.spentUsd === undefined ? 'unknown' : usd(report.spentUsd)
  const lines = [`**Spent:** ${spent} of ${usd(report.ceilingUsd)} this run may spend (\`${report.source}\`).`]
  if (report.maxPullUsd !== undefined) {
    const total = report.spentBeforeUsd + (report.spentUsd ?? 0)
    lines.push(
      `**This pull request:** ${usd(total)} of ${usd(report.maxPullUsd)} (\`max-pr-cost-usd\`): ` +
        `${usd(report.spentBeforeUsd)} by earlier runs, ${spent} by this one.`
    )
  }
  return lines
}

function describeChunk(chunk: CostCeilingReport['notReviewed'][number]): string {
  const shown = chunk.paths.slice(0, MAX_PATHS).map(formatPath).join(', ')
  const more = chunk.paths.length > MAX_PATHS ? ` +${formatCount(chunk.paths.length - MAX_PATHS)} more` : ''
  const when =
    chunk.when === 'planned' ? 'left out by the plan' : 'refused during the run: the real spending left too little'
  return `- Chunk ${chunk.id}: ${shown}${more}: about ${usd(chunk.neededUsd)} (${when})`
}

/** The section, or '' when the run had no ceiling. */
export function renderCeilingSection(report: CostCeilingReport | undefined): string {
  if (report === undefined) return ''
  const lines = ['### Cost ceiling', '', ...describeSpent(report)]
  const fits = report.notReviewed.length === 0
  lines.push(
    fits
      ? `The review was estimated at ${usd(report.estimatedUsd)} and fit.`
      : `The review was estimated at ${usd(report.estimatedUsd)}, more than the ceiling: chunks were reviewed in ` +
          `order of importance (${IMPORTANCE_ORDER}) while they fit.`
  )
  if (!fits) {
    lines.push(
      '',
      `**Not reviewed: cost ceiling** — ${formatCount(report.notReviewed.length)} chunk(s), which would have needed ` +
        `about ${usd(report.neededUsd)} more:`,
      ...report.notReviewed.slice(0, MAX_CEILING_ITEMS).map(describeChunk)
    )
    if (report.notReviewed.length > MAX_CEILING_ITEMS) {
      lines.push(`- … and ${formatCount(report.notReviewed.length - MAX_CEILING_ITEMS)} more chunks`)
    }
  }
  if (report.followUpsRefused > 0) {
    lines.push(
      '',
      `${formatCount(report.followUpsRefused)} further request(s) (an escalation, a verification or a retry) were ` +
        'not sent: the ceiling was reached.'
    )
  }
  return lines.join('\n')
}
