/**
 * The `min-confidence` control: findings the model itself rates below it are not posted inline and do not
 * count for `fail-on-severity`; they are kept, ranked, for a collapsed "Low confidence" list in the summary,
 * so nothing is lost. Works on a placement like `applySeverityThreshold` (severity-gate.ts), after it, so the
 * held-back findings are deduplicated like the rest and keep their fingerprints and anchors. Pure.
 *
 * A finding without a confidence (the answer gave none: a provider that ignored strict mode, or a finding
 * carried over from a run before confidences existed) passes: unknown is not low, and dropping every
 * finding of such an answer into a collapsed list would hide the whole review.
 */
import type { ModelFinding, PlacedFinding, PlacementResult, UnplacedFinding } from '../types.js'
import { compareSeverityThenConfidence } from './rank-findings.js'

/** A finding held back by the gate, with where it would have gone: inline (placed) or the summary. */
export type LowConfidenceFinding = PlacedFinding | UnplacedFinding

export interface ConfidenceSplit {
  /** The placement with only findings at or above `min-confidence`, or without a confidence. */
  readonly placement: PlacementResult
  /** Below `min-confidence`: most severe first, then most confident, then by path and line. */
  readonly lowConfidence: readonly LowConfidenceFinding[]
  /** Findings kept in `placement` that have no confidence: the reports can say "not given" for them. */
  readonly unrated: number
}

/** True when the finding reaches `minConfidence` or has no confidence at all (unknown is not low). */
export function meetsMinConfidence(finding: Pick<ModelFinding, 'confidence'>, minConfidence: number): boolean {
  return finding.confidence === undefined || finding.confidence >= minConfidence
}

/**
 * Splits a placement by `minConfidence` (0 keeps everything). For the inline list to use every slot
 * `max-comments` allows, place the findings with the same `minConfidence` (place-findings.ts
 * `PlaceOptions.minConfidence`): then no finding held back here took a slot a confident one needed.
 */
export function applyConfidenceThreshold(placement: PlacementResult, minConfidence: number): ConfidenceSplit {
  const low: LowConfidenceFinding[] = []
  let unrated = 0
  const keep = <T extends LowConfidenceFinding>(entry: T): boolean => {
    if (!meetsMinConfidence(entry.finding, minConfidence)) {
      low.push(entry)
      return false
    }
    if (entry.finding.confidence === undefined) unrated += 1
    return true
  }
  const inline = placement.inline.filter(keep)
  const summaryOnly = placement.summaryOnly.filter(keep)
  return {
    placement: { inline, summaryOnly, duplicates: placement.duplicates },
    lowConfidence: low.sort(compareLowConfidence),
    unrated
  }
}

function compareLowConfidence(a: LowConfidenceFinding, b: LowConfidenceFinding): number {
  const lineOf = (entry: LowConfidenceFinding): number => ('line' in entry ? entry.line : entry.finding.line)
  return (
    compareSeverityThenConfidence(a.finding, b.finding) ||
    (a.finding.path < b.finding.path ? -1 : a.finding.path > b.finding.path ? 1 : 0) ||
    lineOf(a) - lineOf(b)
  )
}
