/**
 * The summary's "Context" section: how much code around the change went with each request (diff tokens and
 * context tokens per chunk), where it came from, whether definitions in other files could be looked up (and
 * how to enable them when not), and what was left out and why. A rendering of the run result's context report;
 * its length is bounded (rows are capped), so it never needs the summary's shortening.
 */
import { describeOmissionCounts, describeOmissionReason, type ContextReport } from '../engine/context-report.js'
import { MAX_ERROR_CHARS, MAX_NOTE_CHARS } from '../markdown/limits.js'
import { escapeTableCell, sanitizeLine } from '../markdown/sanitize.js'
import { formatCount, formatPath, formatQuantity } from './format.js'

/** Chunk rows shown; the rest are counted. */
export const MAX_CONTEXT_CHUNK_ROWS = 20
/** Rows of context left out shown; the rest are counted by reason. */
export const MAX_CONTEXT_OMISSION_ROWS = 10

/** The section, or '' when the run had no context stage (`context-tokens` 0). */
export function renderContextSection(report: ContextReport | undefined): string {
  if (report === undefined) return ''
  const requests = formatQuantity(report.chunks.length, 'request')
  const head =
    `**Context:** ${formatCount(report.totalTokens)} tokens of code around the change in ${requests} ` +
    `(at most ${formatCount(report.budget)} each), read from ${sanitizeLine(report.source, MAX_NOTE_CHARS)}.`
  const parts = [`### Context\n\n${head}`, describeCrossFile(report)]
  const left = describeOmissionCounts(report)
  if (left !== '' || report.shortened > 0) parts.push(describeLeftOut(report, left))
  parts.push(renderDetails(report))
  return parts.join('\n\n')
}

function describeCrossFile(report: ContextReport): string {
  const { crossFile } = report
  if (crossFile.available) {
    if (crossFile.names === 0)
      return 'Definitions in other files: none to look up (the added lines use no name defined elsewhere).'
    return `Definitions in other files: found for ${formatCount(crossFile.found)} of ${formatQuantity(crossFile.names, 'name')} the added lines use.`
  }
  return (
    `> [!NOTE]\n> No definitions from other files were included: ${sanitizeLine(crossFile.reason, MAX_ERROR_CHARS)}. ` +
    `To include them, ${sanitizeLine(crossFile.howToEnable, MAX_NOTE_CHARS)}.`
  )
}

function describeLeftOut(report: ContextReport, counts: string): string {
  const shortened = report.shortened > 0 ? `${formatCount(report.shortened)} shown in part (cut to fit)` : ''
  const items = [counts === '' ? '' : `left out: ${counts}`, shortened].filter((part) => part !== '')
  return `Context ${items.join('; ')}.`
}

function renderDetails(report: ContextReport): string {
  const chunkRows = report.chunks
    .slice(0, MAX_CONTEXT_CHUNK_ROWS)
    .map(
      (chunk) =>
        `| ${chunk.id} | ${formatCount(chunk.diffTokens)} | ${formatCount(chunk.contextTokens)} | ${formatCount(chunk.blocks)} |`
    )
  const moreChunks = report.chunks.length - chunkRows.length
  const table = [
    '| Chunk | Diff tokens | Context tokens | Context blocks |',
    '|---:|---:|---:|---:|',
    ...chunkRows,
    ...(moreChunks > 0 ? ['', `_… and ${formatCount(moreChunks)} more chunks._`] : [])
  ].join('\n')
  const sections = [table]
  const omitted = report.omitted.slice(0, MAX_CONTEXT_OMISSION_ROWS)
  if (omitted.length > 0) {
    const total = Object.values(report.omittedByReason).reduce((sum, count) => sum + (count ?? 0), 0)
    const rows = omitted.map((omission) => {
      const why =
        describeOmissionReason(omission.reason) + (omission.detail === undefined ? '' : ` (${omission.detail})`)
      const chunk = omission.chunk === undefined ? 'all' : String(omission.chunk)
      return `| ${escapeTableCell(formatPath(omission.path))} | ${escapeTableCell(sanitizeLine(omission.what))} | ${chunk} | ${escapeTableCell(sanitizeLine(why, MAX_ERROR_CHARS))} |`
    })
    sections.push(
      [
        '| Left out | What | Chunk | Why |',
        '|---|---|---:|---|',
        ...rows,
        ...(total > rows.length ? ['', `_… and ${formatCount(total - rows.length)} more (counted above)._`] : [])
      ].join('\n')
    )
  }
  return `<details><summary>Context per request</summary>\n\n${sections.join('\n\n')}\n\n</details>`
}
