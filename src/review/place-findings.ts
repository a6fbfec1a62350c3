/**
 * Checks every finding the model reported against the lines GitHub will accept (RIGHT side, inside a
 * hunk), re-anchors near misses, dedupes, ranks and caps. GitHub rejects the whole review when one comment
 * is off, so nothing leaves here inline unless its path, line and start line are in the diff; everything
 * else goes to the summary with a reason. Invariant: inline + summaryOnly + duplicates = input findings.
 */
import type { LineIndex } from '../diff/line-index.js'
import type { ModelFinding, PlacedFinding, PlacementResult, UnplacedFinding } from '../types.js'
import { fingerprintFinding } from './fingerprint.js'
import { anchorFinding, toCommentableLines, type Anchor, type CommentableLines } from './anchor-lines.js'
import { meetsMinConfidence } from './confidence-gate.js'
import { compareSeverityThenConfidence } from './rank-findings.js'
import { resolveFindingPath } from './resolve-path.js'

export interface PlaceOptions {
  /** Inline comments allowed; the rest go to the summary. 0 ⇒ everything to the summary. */
  readonly maxComments: number
  readonly lineIndex: LineIndex
  /** Paths that were in the reviewed chunks: the model saw no others, so it cannot cite lines in them. */
  readonly reviewedPaths: ReadonlySet<string>
  /**
   * The `min-confidence` the placement will be split by (confidence-gate.ts). Findings below it still get
   * a place, but only inline slots that no finding at or above it wants: ranking is by severity first, so
   * without this a doubtful critical finding could take the last slot from a sure medium one, and lose it
   * to the gate afterwards. Absent: every finding competes by rank alone.
   */
  readonly minConfidence?: number
}

interface Candidate {
  readonly order: number
  /** Path repaired and, when re-anchored, replacement set aside. */
  readonly finding: ModelFinding
  readonly fingerprint: string
  readonly cited: LineRange
  readonly anchor?: Anchor
  /** Why it cannot go inline; absent when anchored. */
  readonly reason?: string
}

interface LineRange {
  readonly from: number
  readonly to: number
}

/** Places, dedupes, ranks and caps the run's findings. Pure; input findings are never mutated. */
export function placeFindings(findings: readonly ModelFinding[], options: PlaceOptions): PlacementResult {
  const filesLines = new Map<string, CommentableLines>()
  const linesOf = (path: string): CommentableLines | undefined => {
    const cached = filesLines.get(path)
    if (cached !== undefined) return cached
    const lines = options.lineIndex.get(path)
    if (lines === undefined) return undefined
    const prepared = toCommentableLines(lines)
    filesLines.set(path, prepared)
    return prepared
  }
  const candidates = findings.map((finding, order) => toCandidate(finding, order, { ...options, linesOf }))
  const kept = dropDuplicates(candidates)
  const ranked = [...kept].sort(compareCandidates)
  const limit = Number.isNaN(options.maxComments) ? 0 : Math.max(0, Math.floor(options.maxComments))
  const slotted = chooseInline(ranked, limit, options.minConfidence)
  const inline: PlacedFinding[] = []
  const summaryOnly: UnplacedFinding[] = []
  for (const candidate of ranked) {
    if (candidate.anchor !== undefined && slotted.has(candidate)) {
      inline.push(toPlaced(candidate, candidate.anchor))
    } else {
      const reason = candidate.reason ?? `over the max-comments limit (${limit})`
      summaryOnly.push({ finding: candidate.finding, reason, fingerprint: candidate.fingerprint })
    }
  }
  return { inline, summaryOnly, duplicates: candidates.length - kept.length }
}

/**
 * The anchored candidates that get one of the `limit` inline slots, in rank order: those at or above
 * `minConfidence` first, then the rest with the slots left over.
 */
function chooseInline(ranked: readonly Candidate[], limit: number, minConfidence: number | undefined): Set<Candidate> {
  const anchored = ranked.filter((candidate) => candidate.anchor !== undefined)
  const confident = (candidate: Candidate): boolean =>
    minConfidence === undefined || meetsMinConfidence(candidate.finding, minConfidence)
  const order = [...anchored.filter(confident), ...anchored.filter((candidate) => !confident(candidate))]
  return new Set(order.slice(0, limit))
}

interface CandidateOptions extends PlaceOptions {
  readonly linesOf: (path: string) => CommentableLines | undefined
}

function toCandidate(original: ModelFinding, order: number, options: CandidateOptions): Candidate {
  const cited = citedRange(original)
  const resolved = resolveFindingPath(original.path, options)
  if (!resolved.ok) {
    return { order, finding: original, fingerprint: fingerprintFinding(original), cited, reason: resolved.reason }
  }
  const withPath = resolved.path === original.path ? original : { ...original, path: resolved.path }
  const fingerprint = fingerprintFinding(withPath)
  const lines = options.linesOf(resolved.path)
  const anchored = lines === undefined ? undefined : anchorFinding(withPath, lines)
  if (anchored === undefined || !anchored.ok) {
    const reason = anchored?.reason ?? `path ${resolved.path} has no lines in this diff`
    return { order, finding: withPath, fingerprint, cited, reason }
  }
  const anchor = anchored.anchor
  if (anchor.reanchored === undefined || withPath.replacement === null) {
    return { order, finding: withPath, fingerprint, cited, anchor }
  }
  // A suggestion replaces exactly the commented lines: on other lines it would rewrite the wrong code.
  const reanchored = `${anchor.reanchored}; its suggested change was set aside (it was written for the cited lines)`
  return {
    order,
    finding: { ...withPath, replacement: null },
    fingerprint,
    cited,
    anchor: { ...anchor, reanchored }
  }
}

function citedRange(finding: ModelFinding): LineRange {
  const start = finding.startLine ?? finding.line
  return { from: Math.min(start, finding.line), to: Math.max(start, finding.line) }
}

function anchoredRange(anchor: Anchor): LineRange {
  return { from: anchor.startLine ?? anchor.line, to: anchor.line }
}

function overlaps(a: LineRange, b: LineRange): boolean {
  return a.from <= b.to && b.from <= a.to
}

/**
 * Two findings are the same when they share a fingerprint (same path, same normalized title) and their
 * cited or anchored lines overlap; "same path, same line, same title" is the special case of that. The
 * more severe one is kept, then the more confident one, then the one that can go inline, then the earlier one.
 */
function dropDuplicates(candidates: readonly Candidate[]): Candidate[] {
  const groups = new Map<string, Candidate[]>()
  for (const candidate of candidates) {
    const group = groups.get(candidate.fingerprint)
    if (group === undefined) groups.set(candidate.fingerprint, [candidate])
    else group.push(candidate)
  }
  const kept: Candidate[] = []
  for (const group of groups.values()) {
    const survivors: Candidate[] = []
    for (const candidate of [...group].sort(comparePreference)) {
      if (!survivors.some((survivor) => isDuplicate(survivor, candidate))) survivors.push(candidate)
    }
    kept.push(...survivors)
  }
  return kept.sort((a, b) => a.order - b.order)
}

function isDuplicate(a: Candidate, b: Candidate): boolean {
  if (overlaps(a.cited, b.cited)) return true
  return a.anchor !== undefined && b.anchor !== undefined && overlaps(anchoredRange(a.anchor), anchoredRange(b.anchor))
}

function comparePreference(a: Candidate, b: Candidate): number {
  const placedRank = (candidate: Candidate): number => (candidate.anchor === undefined ? 1 : 0)
  return compareSeverityThenConfidence(a.finding, b.finding) || placedRank(a) - placedRank(b) || a.order - b.order
}

/** Severity, then confidence, then path, then line: the order of the review and of the summary's list. */
function compareCandidates(a: Candidate, b: Candidate): number {
  const lineOf = (candidate: Candidate): number => candidate.anchor?.line ?? candidate.finding.line
  return (
    compareSeverityThenConfidence(a.finding, b.finding) ||
    (a.finding.path < b.finding.path ? -1 : a.finding.path > b.finding.path ? 1 : 0) ||
    lineOf(a) - lineOf(b) ||
    a.order - b.order
  )
}

function toPlaced(candidate: Candidate, anchor: Anchor): PlacedFinding {
  return {
    finding: candidate.finding,
    path: candidate.finding.path,
    line: anchor.line,
    fingerprint: candidate.fingerprint,
    ...(anchor.startLine === undefined ? {} : { startLine: anchor.startLine }),
    ...(anchor.reanchored === undefined ? {} : { reanchored: anchor.reanchored })
  }
}
