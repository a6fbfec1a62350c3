/**
 * The summary's "Review rules" section: which of the repository's rule files (AGENTS.md, CLAUDE.md, Copilot
 * instructions) were read at the base commit, which guided the review, which the `rules-max-tokens` cap left
 * out of some requests, and why others were not read or not used. Pure; paths and notes are repository text,
 * so every one is sanitized.
 */
import type { RulesReport } from '../engine/chunk-guidance.js'
import { MAX_ERROR_CHARS } from '../markdown/limits.js'
import { sanitizeLine } from '../markdown/sanitize.js'
import { formatCount, formatPath } from './format.js'

/** Most rule files named per list and notes shown; the rest are counted (the section is always shown whole). */
export const MAX_RULE_ITEMS = 10

function namePaths(paths: readonly string[]): string {
  const named = paths.slice(0, MAX_RULE_ITEMS).map(formatPath).join(', ')
  return paths.length > MAX_RULE_ITEMS ? `${named} and ${formatCount(paths.length - MAX_RULE_ITEMS)} more` : named
}

/** The section, or '' when the run read no rule file and has nothing to say about them. */
export function renderRulesSection(report: RulesReport | undefined): string {
  if (report === undefined) return ''
  const lines = ['### Review rules', '']
  const where = sanitizeLine(report.origin)
  if (report.read.length === 0) {
    lines.push(report.origin === '' ? 'No rule file was read.' : `No rule file was read at ${where}.`)
  } else {
    const cap = `\`rules-max-tokens\`: ${formatCount(report.maxTokens)} per request`
    lines.push(`Read at ${where} (${cap}): ${namePaths(report.read)}.`)
    lines.push(
      report.used.length === 0
        ? '- **Used:** none (no review guidance in them; see the notes).'
        : `- **Used:** ${namePaths(report.used)}.`
    )
  }
  for (const omitted of report.omitted.slice(0, MAX_RULE_ITEMS)) {
    lines.push(
      `- **Left out by the cap:** ${formatPath(omitted.source)} (${formatCount(omitted.tokens)} tokens) in ` +
        `${formatCount(omitted.requests)} request(s); raise \`rules-max-tokens\` to include it.`
    )
  }
  if (report.omitted.length > MAX_RULE_ITEMS) {
    lines.push(`- … and ${formatCount(report.omitted.length - MAX_RULE_ITEMS)} more rule files left out by the cap.`)
  }
  for (const note of report.notes.slice(0, MAX_RULE_ITEMS)) lines.push(`- ${sanitizeLine(note, MAX_ERROR_CHARS)}`)
  if (report.notes.length > MAX_RULE_ITEMS) {
    lines.push(`- … and ${formatCount(report.notes.length - MAX_RULE_ITEMS)} more notes.`)
  }
  return lines.join('\n')
}
