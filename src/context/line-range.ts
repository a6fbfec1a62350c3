/** Line ranges in the new file, and trimming a long scope down to a line budget. */

/** 1-based inclusive line numbers in the new (head) version of a file. */
export interface LineRange {
  readonly start: number
  readonly end: number
}

/** The number of lines in `range`. */
export function lineCount(range: LineRange): number {
  return range.end - range.start + 1
}

/** True when `line` lies in `range`. */
export function containsLine(range: LineRange, line: number): boolean {
  return line >= range.start && line <= range.end
}

/** True when `inner` lies wholly in `outer`. */
export function containsRange(outer: LineRange, inner: LineRange): boolean {
  return inner.start >= outer.start && inner.end <= outer.end
}

/** Sorted, with overlapping and touching ranges joined. */
export function mergeRanges(ranges: readonly LineRange[]): LineRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || a.end - b.end)
  const merged: LineRange[] = []
  for (const range of sorted) {
    const last = merged[merged.length - 1]
    if (last !== undefined && range.start <= last.end + 1) {
      merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, range.end) }
    } else {
      merged.push({ start: range.start, end: range.end })
    }
  }
  return merged
}

/** Distinct ranges, sorted, without any range that another one already contains. */
export function dropContainedRanges(ranges: readonly LineRange[]): LineRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end)
  const kept: LineRange[] = []
  for (const range of sorted) {
    if (!kept.some((outer) => containsRange(outer, range))) kept.push(range)
  }
  return kept
}

/** What {@link trimScope} needs. */
export interface TrimScopeOptions {
  /** The scope to cut down, e.g. a 2,000-line class. */
  readonly scope: LineRange
  /** The lines the scope was asked for (the changed lines); those outside the scope are ignored. */
  readonly lines: readonly number[]
  /** At most this many lines in the result (at least 1). */
  readonly maxLines: number
}

/**
 * The parts of `scope` to show within `maxLines` lines: its first line (the signature) and an equal window of
 * lines on each side of every asked line, as wide as the budget allows, merged where they touch. The whole
 * scope when it fits. When not even the asked lines fit, the signature and the first asked lines that do.
 * Sorted, disjoint ranges whose line counts add up to at most `maxLines`.
 */
export function trimScope(options: TrimScopeOptions): LineRange[] {
  const { scope } = options
  const maxLines = Math.floor(options.maxLines)
  if (maxLines < 1) return []
  if (lineCount(scope) <= maxLines) return [{ start: scope.start, end: scope.end }]
  const targets = [...new Set(options.lines)].filter((line) => containsLine(scope, line)).sort((a, b) => a - b)
  const signature: LineRange = { start: scope.start, end: scope.start }
  if (targets.length === 0) return [{ start: scope.start, end: scope.start + maxLines - 1 }]

  const windowsWithRadius = (radius: number): LineRange[] =>
    mergeRanges([
      signature,
      ...targets.map((line) => ({
        start: Math.max(scope.start, line - radius),
        end: Math.min(scope.end, line + radius)
      }))
    ])
  const total = (ranges: readonly LineRange[]): number => ranges.reduce((sum, range) => sum + lineCount(range), 0)

  if (total(windowsWithRadius(0)) > maxLines) {
    const fitting = targets.filter((line) => line !== scope.start).slice(0, maxLines - 1)
    return mergeRanges([signature, ...fitting.map((line) => ({ start: line, end: line }))])
  }
  // The widest radius that fits: the total only grows with the radius, so a binary search finds it.
  let low = 0
  let high = lineCount(scope)
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if (total(windowsWithRadius(middle)) <= maxLines) low = middle
    else high = middle - 1
  }
  return windowsWithRadius(low)
}
