/**
 * The hidden marker that ends every inline comment the action posts, and the heading line before it: how a
 * later run recognises its own findings among a pull request's review comments. Rendering and reading live
 * together so the two can never drift apart; the GitHub adapter reads them, the renderer writes them.
 */
import { CATEGORIES, SEVERITIES, type Category, type Severity } from '../types.js'

/** Start of the hidden marker ending every inline comment we post. */
export const FINDING_MARKER_PREFIX = '<!-- codex-pr-review:finding'
const MARKER_PATTERN = /<!-- codex-pr-review:finding fp=([0-9a-f]+) sev=([a-z]+) -->/

/** The hidden marker: `<!-- codex-pr-review:finding fp=<fingerprint> sev=<severity> -->`. */
export function renderFindingMarker(marker: { readonly fingerprint: string; readonly severity: Severity }): string {
  return `${FINDING_MARKER_PREFIX} fp=${marker.fingerprint} sev=${marker.severity} -->`
}

/** Reads the marker back from a posted comment body; undefined when there is none. */
export function parseFindingMarker(body: string): { fingerprint: string; severity: Severity } | undefined {
  const match = MARKER_PATTERN.exec(body)
  const severity = SEVERITIES.find((known) => known === match?.[2])
  if (match === null || match[1] === undefined || severity === undefined) return undefined
  return { fingerprint: match[1], severity }
}

const HEADING_PATTERN = /^\*\*\S+ [A-Za-z]+ · ([a-z-]+)\*\* — (.*)$/

/** Reads the category and title back from the first line of a comment renderInlineComment wrote. */
export function parseInlineCommentHeading(body: string): { category: Category; title: string } | undefined {
  const match = HEADING_PATTERN.exec(body.split('\n', 1)[0] ?? '')
  const category = CATEGORIES.find((known) => known === match?.[1])
  if (match === null || match[2] === undefined || category === undefined) return undefined
  return { category, title: match[2] }
}
