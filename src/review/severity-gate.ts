/**
 * The severity controls: `severity-threshold` decides what is posted, `fail-on-severity` decides whether
 * the step fails. Both compare against the fixed scale in SEVERITIES (most severe first). Pure.
 */
import {
  SEVERITIES,
  type ModelFinding,
  type PlacedFinding,
  type PlacementResult,
  type Severity,
  type UnplacedFinding
} from '../types.js'
import { meetsMinConfidence } from './confidence-gate.js'

/** A severity, or `off` for a gate that is not set (same shape as the settings' SeverityGate). */
export type SeverityLevel = Severity | 'off'

/** How many findings the failure message names; the rest are counted. */
export const MAX_GATE_FINDINGS_LISTED = 20

/** A finding held back by the threshold, kept (with where it would have gone) for the reports. */
export type BelowThresholdFinding = PlacedFinding | UnplacedFinding

export interface ThresholdResult {
  /** The placement with only findings at or above the threshold. */
  readonly placement: PlacementResult
  /** Findings below the threshold: not posted inline, not listed, counted in the summary. */
  readonly belowThreshold: readonly BelowThresholdFinding[]
}

/** 0 for critical … 4 for nit: smaller is more severe. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity)
}

/** True when `severity` is `threshold` or more severe. */
export function meetsSeverity(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) <= severityRank(threshold)
}

/**
 * Removes findings below `threshold` from both the inline list and the summary list. Applied after
 * placement so the held-back findings are deduplicated like the rest and keep their fingerprints.
 */
export function applySeverityThreshold(placement: PlacementResult, threshold: Severity): ThresholdResult {
  const below: BelowThresholdFinding[] = []
  const keep = <T extends BelowThresholdFinding>(entry: T): boolean => {
    if (meetsSeverity(entry.finding.severity, threshold)) return true
    below.push(entry)
    return false
  }
  const inline = placement.inline.filter(keep)
  const summaryOnly = placement.summaryOnly.filter(keep)
  return { placement: { inline, summaryOnly, duplicates: placement.duplicates }, belowThreshold: below }
}

/** Counts per severity, every severity present (0 when none), in scale order. */
export function countBySeverity(
  findings: readonly { readonly finding: Pick<ModelFinding, 'severity'> }[]
): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>
  for (const { finding } of findings) counts[finding.severity] += 1
  return counts
}

/** The most severe finding's severity, or `none`. */
export function findMaxSeverity(
  findings: readonly { readonly finding: Pick<ModelFinding, 'severity'> }[]
): Severity | 'none' {
  let best: Severity | 'none' = 'none'
  for (const { finding } of findings) {
    if (best === 'none' || severityRank(finding.severity) < severityRank(best)) best = finding.severity
  }
  return best
}

/** An earlier inline comment of ours, as far as the gate cares. */
export interface OpenEarlierFinding {
  readonly path: string
  /** Line on the current head; null when the comment is outdated (its code changed since). */
  readonly line: number | null
  readonly severity: Severity
}

/**
 * `fail-on-severity` for what an incremental run did not look at again: earlier comments of ours that
 * reach the gate and still point at current code. Without this, pushing any commit would turn a failed
 * gate green while the finding stays unfixed. Outdated comments don't count: their code changed and the
 * new diff was reviewed. Undefined = pass.
 */
export function evaluateOpenEarlierFindings(
  earlier: readonly OpenEarlierFinding[],
  failOn: SeverityLevel
): string | undefined {
  if (failOn === 'off') return undefined
  const open = earlier.filter((entry) => entry.line !== null && meetsSeverity(entry.severity, failOn))
  if (open.length === 0) return undefined
  const listed = open
    .slice(0, MAX_GATE_FINDINGS_LISTED)
    .map((entry) => `${entry.severity} at ${entry.path}:${entry.line ?? '?'}`)
  const more = open.length > listed.length ? `; and ${open.length - listed.length} more` : ''
  return (
    `${open.length} earlier review comment(s) reaching fail-on-severity ${failOn} still point at unchanged code ` +
    `(${listed.join('; ')}${more}). Fix the code, delete a comment that is wrong, or run a full review.`
  )
}

export interface GateVerdict {
  readonly failed: boolean
  /** Findings at or above the gate, most severe first. */
  readonly reached: readonly ModelFinding[]
  /** Set when failed: what core.setFailed prints, listing the findings. */
  readonly message?: string
  /** Findings at or above the gate that did not count because they are below `min-confidence`. */
  readonly belowMinConfidence?: number
}

/**
 * Decides `fail-on-severity` over every finding of the run (posted, summary-only and below the threshold:
 * the gate is about what was found, not about what was shown). `off` never fails. With `minConfidence`,
 * findings the model rated below it do not count (a doubt is not a reason to fail a build); findings
 * without a confidence still do.
 */
export function evaluateSeverityGate(
  findings: readonly { readonly finding: ModelFinding }[],
  failOn: SeverityLevel,
  options: { readonly minConfidence?: number } = {}
): GateVerdict {
  if (failOn === 'off') return { failed: false, reached: [] }
  const atGate = findings.map((entry) => entry.finding).filter((finding) => meetsSeverity(finding.severity, failOn))
  const { minConfidence } = options
  const reached = atGate
    .filter((finding) => minConfidence === undefined || meetsMinConfidence(finding, minConfidence))
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity))
  const ignored = minConfidence === undefined ? {} : { belowMinConfidence: atGate.length - reached.length }
  if (reached.length === 0) return { failed: false, reached, ...ignored }
  return { failed: true, reached, message: describeGateFailure(reached, failOn), ...ignored }
}

function describeGateFailure(reached: readonly ModelFinding[], failOn: Severity): string {
  const listed = reached
    .slice(0, MAX_GATE_FINDINGS_LISTED)
    .map((finding) => `- [${finding.severity}] ${finding.path}:${finding.line} ${oneLine(finding.title)}`)
  const more = reached.length - listed.length
  const plural = reached.length === 1 ? 'finding reaches' : 'findings reach'
  return [
    `${reached.length} ${plural} the fail-on-severity level "${failOn}":`,
    ...listed,
    ...(more > 0 ? [`- … and ${more} more (see the summary comment and the JSON report)`] : [])
  ].join('\n')
}

/** Model text in a log line: one line, bounded. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat
}
