/**
 * What the engine reviews: a diff from wherever it came (GitHub's pull request diff, a compare diff, a local
 * `git diff`), the text that stands for the pull request, and, for a review of part of a larger change (an
 * incremental review after a push), how that part relates to the whole. The shells build it; the engine
 * never asks where it came from.
 */
import type { FileLines, LineIndex } from '../diff/line-index.js'
import type { PullDiffSource } from '../types.js'

export interface ReviewInput {
  readonly source: PullDiffSource
  /** The pull request's title and description (the CLI's stand-ins: commit subjects). */
  readonly pullRequest: { readonly title: string; readonly body: string }
  /** The reviewed head: a commit SHA, or the CLI's short label for the working tree or a diff file. */
  readonly head: string
  /** Names the change in the log, e.g. `octo-org/hello#17` or `origin/main (merge-base …) → working tree`. */
  readonly label: string
  /** Set when `source` is only part of a larger change. */
  readonly focus?: ReviewFocus
}

/** How a partial review (the new commits of a pull request) relates to the whole change. */
export interface ReviewFocus {
  /** Review only these paths (the files the whole change touches); others are left out, not listed as skipped. */
  readonly onlyPaths: ReadonlySet<string>
  /** Files of `source` the whole change does not touch (e.g. merged in from the base branch). */
  readonly outsidePull: number
  /** Commentable lines of the whole change: findings are placed only on lines both diffs have. */
  readonly pullIndex: LineIndex
}

function intersectLines(
  whole: ReadonlyMap<number, number>,
  reviewed: ReadonlyMap<number, number> | undefined
): Map<number, number> {
  return new Map([...whole].filter(([line]) => reviewed?.has(line) ?? false))
}

/**
 * Lines a finding may be placed on: for a partial review, lines the model saw (the partial diff) that are also
 * commentable in the whole change's diff, keeping the whole diff's hunk numbers (GitHub's same-hunk rule is
 * about the pull request's diff). The head is the same on both sides, so new-file (RIGHT) numbers agree.
 */
export function placementLineIndex(
  focus: { readonly pullIndex?: LineIndex } | undefined,
  reviewed: LineIndex
): LineIndex {
  if (focus?.pullIndex === undefined) return reviewed
  const index = new Map<string, FileLines>()
  for (const [path, lines] of focus.pullIndex) {
    const seen = reviewed.get(path)
    if (seen === undefined) continue
    // LEFT numbers differ (the partial diff's old side is the last reviewed head, the whole one's is the base).
    index.set(path, { right: intersectLines(lines.right, seen.right), left: new Map() })
  }
  return index
}
