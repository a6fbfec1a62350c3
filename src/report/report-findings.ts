/**
 * Every finding of a run in one flat, serialisable shape, with where it went (inline, summary only,
 * held back by the severity threshold) and whether its lines are lines of the diff. The JSON report
 * lists them all; SARIF takes those with verified lines. Pure.
 */
import { isCommentable, type LineIndex } from '../diff/line-index.js'
import type { BelowThresholdFinding } from '../review/severity-gate.js'
import { severityRank } from '../review/severity-gate.js'
import type { Category, PlacedFinding, PlacementResult, Severity } from '../types.js'

export type FindingStatus = 'inline' | 'summary-only' | 'below-threshold'

export interface ReportFinding {
  readonly fingerprint: string
  readonly severity: Severity
  readonly category: Category
  readonly title: string
  readonly body: string
  readonly replacement: string | null
  readonly path: string
  /** First line of the range, numbered in the head file (equal to endLine for one line). */
  readonly startLine: number
  readonly endLine: number
  /** True when every line of the range is a line of the diff (always true for inline comments). */
  readonly onDiffLines: boolean
  readonly status: FindingStatus
  /** Why it is not inline, when it is not. */
  readonly reason?: string
  readonly chunkId: number
}

function isPlaced(entry: BelowThresholdFinding): entry is PlacedFinding {
  return 'line' in entry
}

function fromPlaced(placed: PlacedFinding, status: FindingStatus): ReportFinding {
  const { finding } = placed
  return {
    fingerprint: placed.fingerprint,
    severity: finding.severity,
    category: finding.category,
    title: finding.title,
    body: finding.body,
    replacement: finding.replacement,
    path: placed.path,
    startLine: placed.startLine ?? placed.line,
    endLine: placed.line,
    onDiffLines: true,
    status,
    chunkId: finding.chunkId
  }
}

function fromCited(entry: BelowThresholdFinding, status: FindingStatus, reason: string, lineIndex: LineIndex): ReportFinding {
  const { finding } = entry
  const startLine = Math.min(finding.startLine ?? finding.line, finding.line)
  const onDiffLines = isCommentable(lineIndex, finding.path, startLine) && isCommentable(lineIndex, finding.path, finding.line)
  return {
    fingerprint: entry.fingerprint,
    severity: finding.severity,
    category: finding.category,
    title: finding.title,
    body: finding.body,
    replacement: finding.replacement,
    path: finding.path,
    startLine,
    endLine: finding.line,
    onDiffLines,
    status,
    reason,
    chunkId: finding.chunkId
  }
}

/** Flattens the placement and the held-back findings, most severe first, then by path and line. */
export function collectReportFindings(input: {
  readonly placement: PlacementResult
  readonly belowThreshold: readonly BelowThresholdFinding[]
  readonly lineIndex: LineIndex
}): ReportFinding[] {
  const below = 'below the severity threshold'
  const all = [
    ...input.placement.inline.map((placed) => fromPlaced(placed, 'inline')),
    ...input.placement.summaryOnly.map((entry) => fromCited(entry, 'summary-only', entry.reason, input.lineIndex)),
    ...input.belowThreshold.map((entry) =>
      isPlaced(entry)
        ? { ...fromPlaced(entry, 'below-threshold'), reason: below }
        : fromCited(entry, 'below-threshold', `${below}; ${entry.reason}`, input.lineIndex)
    )
  ]
  return all.sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
      a.endLine - b.endLine
  )
}
