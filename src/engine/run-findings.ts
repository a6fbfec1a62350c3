/**
 * Every finding of a run in one flat, serialisable shape, with where it went (inline, summary only,
 * held back by the severity threshold) and whether its lines are lines of the diff. The JSON report
 * lists them all; SARIF takes those with verified lines. Pure.
 */
import { isCommentable, type LineIndex } from '../diff/line-index.js'
import type { BelowThresholdFinding } from '../review/severity-gate.js'
import { severityRank } from '../review/severity-gate.js'
import type { PostedFinding } from '../review/dedupe-existing.js'
import { fingerprintFinding } from '../review/fingerprint.js'
import type { Category, ModelFinding, PlacedFinding, PlacementResult, Severity } from '../types.js'

/**
 * inline, summary-only and below-threshold: found by this run. already-posted: found again by this run,
 * not posted again (an earlier comment says it). earlier: an earlier run's comment on code this run did
 * not review again (an incremental run), still on the current head. Reports carry all of them, so a
 * code-scanning upload after a push does not close alerts that were never fixed. low-confidence: at or above
 * the severity threshold but below `min-confidence`, listed (collapsed) in the summary only.
 */
export type FindingStatus =
  'inline' | 'summary-only' | 'below-threshold' | 'low-confidence' | 'already-posted' | 'earlier'

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
  /** The model's confidence (0–1) that it is a real problem; absent when the answer gave none. */
  readonly confidence?: number
}

function confidenceOf(finding: Pick<ModelFinding, 'confidence'>): { confidence?: number } {
  return finding.confidence === undefined ? {} : { confidence: finding.confidence }
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
    chunkId: finding.chunkId,
    ...confidenceOf(finding)
  }
}

function fromCited(
  entry: BelowThresholdFinding,
  status: FindingStatus,
  reason: string,
  lineIndex: LineIndex
): ReportFinding {
  const { finding } = entry
  const startLine = Math.min(finding.startLine ?? finding.line, finding.line)
  const onDiffLines =
    isCommentable(lineIndex, finding.path, startLine) && isCommentable(lineIndex, finding.path, finding.line)
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
    chunkId: finding.chunkId,
    ...confidenceOf(finding)
  }
}

function fromAlreadyPosted(finding: ModelFinding, lineIndex: LineIndex): ReportFinding {
  const entry = { finding, fingerprint: fingerprintFinding(finding), reason: 'posted by an earlier run' }
  return fromCited(entry, 'already-posted', entry.reason, lineIndex)
}

/** An earlier comment still on current code: GitHub holds it on a line of the pull request's diff. */
function fromEarlier(posted: PostedFinding & { readonly line: number }): ReportFinding {
  return {
    fingerprint: posted.fingerprint,
    severity: posted.severity,
    category: posted.heading?.category ?? 'bug',
    title: posted.heading?.title ?? 'Finding of an earlier review',
    body: '',
    replacement: null,
    path: posted.path,
    startLine: posted.startLine ?? posted.line,
    endLine: posted.line,
    onDiffLines: true,
    status: 'earlier',
    reason: 'reported by an earlier run on code this run did not review again',
    chunkId: 0
  }
}

const LOW_CONFIDENCE = 'below min-confidence'

/** Flattens the placement and the held-back findings, most severe first, then by path and line. */
export function collectReportFindings(input: {
  readonly placement: PlacementResult
  readonly belowThreshold: readonly BelowThresholdFinding[]
  readonly lineIndex: LineIndex
  /** Findings this run found again that an earlier comment already holds. */
  readonly alreadyPosted?: readonly ModelFinding[]
  /** At or above the severity threshold but below `min-confidence`. */
  readonly lowConfidence?: readonly BelowThresholdFinding[]
  /** Earlier comments to carry (an incremental run): outdated ones and ones this run found again are left out. */
  readonly earlier?: readonly PostedFinding[]
}): ReportFinding[] {
  const below = 'below the severity threshold'
  const current = [
    ...input.placement.inline.map((placed) => fromPlaced(placed, 'inline')),
    ...input.placement.summaryOnly.map((entry) => fromCited(entry, 'summary-only', entry.reason, input.lineIndex)),
    ...input.belowThreshold.map((entry) =>
      isPlaced(entry)
        ? { ...fromPlaced(entry, 'below-threshold'), reason: below }
        : fromCited(entry, 'below-threshold', `${below}; ${entry.reason}`, input.lineIndex)
    ),
    ...(input.lowConfidence ?? []).map((entry) =>
      isPlaced(entry)
        ? { ...fromPlaced(entry, 'low-confidence'), reason: LOW_CONFIDENCE }
        : fromCited(entry, 'low-confidence', `${LOW_CONFIDENCE}; ${entry.reason}`, input.lineIndex)
    ),
    ...(input.alreadyPosted ?? []).map((finding) => fromAlreadyPosted(finding, input.lineIndex))
  ]
  const seen = new Set(current.map((finding) => `${finding.path}\n${finding.fingerprint}`))
  const earlier = (input.earlier ?? []).flatMap((posted) =>
    posted.line === null || seen.has(`${posted.path}\n${posted.fingerprint}`)
      ? []
      : [fromEarlier({ ...posted, line: posted.line })]
  )
  return [...current, ...earlier].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
      a.endLine - b.endLine
  )
}
