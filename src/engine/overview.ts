/**
 * The summary's opening overview, merged from what the model wrote about each chunk in the same calls
 * that reviewed it: no second pass over the diff. Pure.
 */
import { RISK_LEVELS, type ChunkOutcome, type RiskLevel } from '../types.js'

/** Most overview lines shown; a PR of many chunks gets the riskiest parts, then a count. */
export const MAX_OVERVIEW_ITEMS = 12

export interface MergedOverview {
  /** One paragraph for one part, else one bullet per part, riskiest first. '' when the model said nothing. */
  readonly text: string
  /** The highest risk any reviewed chunk reported; absent when none reported one. */
  readonly risk?: RiskLevel
}

/** 0 for high … 2 for low; a chunk without a risk level sorts after every rated one. */
function riskRank(risk: RiskLevel | undefined): number {
  return risk === undefined ? RISK_LEVELS.length : RISK_LEVELS.indexOf(risk)
}

/**
 * Joins the chunks' overviews (repeats dropped, riskiest parts first, chunk order otherwise) and takes the
 * highest risk across them. Failed chunks contribute nothing: the summary lists them separately.
 */
export function mergeOverviews(outcomes: readonly ChunkOutcome[]): MergedOverview {
  const parts: { readonly text: string; readonly risk?: RiskLevel; readonly order: number }[] = []
  const seen = new Set<string>()
  let risk: RiskLevel | undefined
  outcomes.forEach((outcome, order) => {
    if (!outcome.ok) return
    const chunkRisk = outcome.review.risk
    if (chunkRisk !== undefined && riskRank(chunkRisk) < riskRank(risk)) risk = chunkRisk
    const text = outcome.review.overview.trim()
    if (text === '' || seen.has(text)) return
    seen.add(text)
    parts.push({ text, order, ...(chunkRisk === undefined ? {} : { risk: chunkRisk }) })
  })
  parts.sort((a, b) => riskRank(a.risk) - riskRank(b.risk) || a.order - b.order)
  const shown = parts.slice(0, MAX_OVERVIEW_ITEMS)
  const lines =
    parts.length === 1
      ? shown.map((part) => part.text)
      : shown.map((part) => `- ${part.risk === undefined ? '' : `(${part.risk} risk) `}${part.text}`)
  if (parts.length > shown.length)
    lines.push(`- … and ${parts.length - shown.length} more part(s) not summarised here.`)
  return { text: lines.join('\n'), ...(risk === undefined ? {} : { risk }) }
}
