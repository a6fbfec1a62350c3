/**
 * Anchors a finding on RIGHT-side lines GitHub accepts: inside a hunk, and for a range, start and end in
 * the same hunk with start before end (422 "start line must be part of the same hunk as the line" /
 * "must precede the end line" otherwise).
 */
import type { FileLines } from '../diff/line-index.js'
import type { ModelFinding } from '../types.js'

/** How far (in lines) a cited line may be from the diff and still be re-anchored rather than moved to the summary. */
export const MAX_REANCHOR_DISTANCE = 3

export interface Anchor {
  readonly line: number
  /** Only when before `line` and in the same hunk. */
  readonly startLine?: number
  /** Set when the anchor is not exactly what the model cited, saying how it differs. */
  readonly reanchored?: string
}

export type AnchorResult =
  { readonly ok: true; readonly anchor: Anchor } | { readonly ok: false; readonly reason: string }

/** A file's RIGHT-side commentable lines, also sorted once for the near-miss searches. */
export interface CommentableLines {
  /** Line number -> hunk index. */
  readonly right: ReadonlyMap<number, number>
  /** The same line numbers, ascending. */
  readonly sorted: readonly number[]
}

/** Prepares a file's lines for `anchorFinding` (sorting once per file, not once per finding). */
export function toCommentableLines(lines: FileLines): CommentableLines {
  return { right: lines.right, sorted: [...lines.right.keys()].sort((a, b) => a - b) }
}

/** Places the finding's cited line (and range) on commentable RIGHT lines, or says why it cannot. */
export function anchorFinding(
  finding: Pick<ModelFinding, 'line' | 'startLine'>,
  lines: CommentableLines
): AnchorResult {
  const { line, startLine } = finding
  const { right, sorted } = lines
  const hunk = right.get(line)
  if (hunk !== undefined) return { ok: true, anchor: anchorCommentableLine(line, startLine, right) }
  if (!isLineNumber(line)) return { ok: false, reason: `line ${String(line)} is not a valid line number` }
  const start = startLine !== null && isLineNumber(startLine) ? startLine : line
  const from = Math.min(start, line)
  const to = Math.max(start, line)
  const cited = from === to ? `line ${to}` : `lines ${from}–${to}`
  const last = lastAtMost(sorted, to)
  if (last !== undefined && last >= from) {
    const first = firstOfHunkFrom(last, from, right)
    const anchored = first === last ? `line ${last}` : `lines ${first}–${last}`
    const note = `model cited ${cited}; anchored to ${anchored}, the part of it in the diff`
    return { ok: true, anchor: { line: last, ...(first === last ? {} : { startLine: first }), reanchored: note } }
  }
  const nearest = nearestWithin(sorted, from, to)
  if (nearest === undefined) {
    const reason = from === to ? `line ${to} is not part of the diff` : `${cited} are not part of the diff`
    return { ok: false, reason }
  }
  const note = `model cited ${cited}; anchored to ${nearest}, the nearest line in the diff`
  return { ok: true, anchor: { line: nearest, reanchored: note } }
}

function anchorCommentableLine(line: number, startLine: number | null, right: ReadonlyMap<number, number>): Anchor {
  // GitHub rejects start_line == line: a single-line comment has no start line.
  if (startLine === null || startLine === line) return { line }
  const startHunk = right.get(startLine)
  if (startLine < line && startHunk !== undefined && startHunk === right.get(line)) return { line, startLine }
  const why =
    startLine > line
      ? `line ${startLine} comes after it`
      : startHunk === undefined
        ? `line ${startLine} is not part of the diff`
        : `line ${startLine} is in another hunk`
  return { line, reanchored: `model cited lines ${startLine}–${line}; anchored to line ${line} only, because ${why}` }
}

function isLineNumber(value: number): boolean {
  return Number.isInteger(value) && value >= 1
}

/** Largest element ≤ `limit` of an ascending array. */
function lastAtMost(sorted: readonly number[], limit: number): number | undefined {
  let low = 0
  let high = sorted.length - 1
  let found: number | undefined
  while (low <= high) {
    const middle = (low + high) >> 1
    const value = sorted[middle] as number
    if (value <= limit) {
      found = value
      low = middle + 1
    } else {
      high = middle - 1
    }
  }
  return found
}

/** Smallest element ≥ `limit` of an ascending array. */
function firstAtLeast(sorted: readonly number[], limit: number): number | undefined {
  let low = 0
  let high = sorted.length - 1
  let found: number | undefined
  while (low <= high) {
    const middle = (low + high) >> 1
    const value = sorted[middle] as number
    if (value >= limit) {
      found = value
      high = middle - 1
    } else {
      low = middle + 1
    }
  }
  return found
}

/** A hunk's RIGHT lines are consecutive numbers, so walk down while still in the hunk and the range. */
function firstOfHunkFrom(last: number, from: number, right: ReadonlyMap<number, number>): number {
  const hunk = right.get(last)
  let first = last
  while (first - 1 >= from && right.get(first - 1) === hunk) first -= 1
  return first
}

/** The commentable line closest to [from, to] within the allowed distance; the earlier one on a tie. */
function nearestWithin(sorted: readonly number[], from: number, to: number): number | undefined {
  const before = lastAtMost(sorted, from - 1)
  const after = firstAtLeast(sorted, to + 1)
  const beforeDistance = before === undefined ? Infinity : from - before
  const afterDistance = after === undefined ? Infinity : after - to
  const best = Math.min(beforeDistance, afterDistance)
  if (best > MAX_REANCHOR_DISTANCE) return undefined
  return beforeDistance <= afterDistance ? before : after
}
