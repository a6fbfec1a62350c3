/** The context report as lines of the plan and review views, text and Markdown alike (CLI and action dry run). */
import { describeOmissionCounts, describeOmissionReason, type ContextReport } from '../engine/context-report.js'
import { formatCount } from '../render/format.js'

/** Rows of context left out listed; the rest are counted by reason. */
const MAX_OMISSION_LINES = 10

/** The headline and the lines under it; the caller indents or bullets them. */
export function describeContext(
  report: ContextReport,
  /** How the `context-tokens` setting is named where this is read (the CLI's flag by default). */
  name: (setting: string) => string = (setting) => `--${setting}`
): { readonly headline: string; readonly lines: string[] } {
  const headline =
    `Context: ${formatCount(report.totalTokens)} tokens of code around the change over ` +
    `${formatCount(report.chunks.length)} request(s), at most ${formatCount(report.budget)} per request ` +
    `(${name('context-tokens')}), read from ${report.source}` +
    (report.apiCalls === undefined ? '.' : ` in ${formatCount(report.apiCalls)} API call(s).`)
  const lines: string[] = []
  const { crossFile } = report
  lines.push(
    !crossFile.available
      ? `No definitions from other files: ${crossFile.reason}. To include them, ${crossFile.howToEnable}.`
      : crossFile.names === 0
        ? 'Definitions in other files: none to look up (the added lines use no name defined elsewhere).'
        : `Definitions in other files: found for ${formatCount(crossFile.found)} of ${formatCount(crossFile.names)} name(s) the added lines use.`
  )
  const counts = describeOmissionCounts(report)
  if (report.shortened > 0) lines.push(`Shown in part (cut to fit): ${formatCount(report.shortened)}.`)
  if (counts !== '') {
    lines.push(`Left out: ${counts}.`)
    for (const omission of report.omitted.slice(0, MAX_OMISSION_LINES)) {
      const chunk = omission.chunk === undefined ? '' : ` (chunk ${omission.chunk})`
      const detail = omission.detail === undefined ? '' : `: ${omission.detail}`
      lines.push(`  ${omission.path}  ${omission.what}${chunk}: ${describeOmissionReason(omission.reason)}${detail}`)
    }
    const total = Object.values(report.omittedByReason).reduce((sum, count) => sum + (count ?? 0), 0)
    const listed = Math.min(report.omitted.length, MAX_OMISSION_LINES)
    if (total > listed) lines.push(`  … and ${formatCount(total - listed)} more.`)
  }
  return { headline, lines }
}
