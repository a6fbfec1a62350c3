/**
 * What a run's review covered, in the terms the fixed-thread decision needs (review/fixed-threads.ts): whether
 * it was incremental, which lines the reviewed diff adds, where each file is at the head, and which files every
 * chunk answered for. Pure.
 */
import type { HeadPath, ReviewedChange } from '../review/fixed-threads.js'
import type { ChunkOutcome, DiffFile } from '../types.js'
import type { PlannedReview } from './plan-review.js'

function addedLinesOf(files: readonly DiffFile[]): Map<string, Set<number>> {
  const added = new Map<string, Set<number>>()
  for (const file of files) {
    const lines = new Set<number>()
    for (const hunk of file.hunks) {
      for (const line of hunk.lines) if (line.kind === 'add' && line.newNumber !== undefined) lines.add(line.newNumber)
    }
    added.set(file.path, lines)
  }
  return added
}

/**
 * A full review's diff is the pull request's: a file not in it is gone from the change, unless GitHub listed
 * only part of the files. An incremental review's diff is the new commits': the pull request's own files come
 * from the focus, and only a deletion in the new commits is taken as the file being gone.
 */
function headPathOf(planned: PlannedReview): (path: string) => HeadPath {
  const { files } = planned.prepared
  const { focus, source } = planned.input
  const byPath = new Map(files.map((file) => [file.path, file]))
  const renamed = new Map(
    files.flatMap((file) => (file.previousPath === undefined ? [] : [[file.previousPath, file.path]]))
  )
  const listingCut = source.kind === 'files' && source.truncated
  return (path) => {
    const to = renamed.get(path)
    if (to !== undefined && !byPath.has(path)) return { kind: 'renamed', to }
    const file = byPath.get(path)
    if (file?.status === 'deleted') return { kind: 'removed' }
    if (focus === undefined) return file !== undefined || listingCut ? { kind: 'present' } : { kind: 'removed' }
    return focus.onlyPaths.has(path) ? { kind: 'present' } : { kind: 'removed' }
  }
}

/** Paths of the chunks that were answered, minus any path with a piece in a chunk that was not. */
function completelyReviewedOf(outcomes: readonly ChunkOutcome[]): Set<string> {
  const pathsOf = (outcome: ChunkOutcome) => outcome.chunk.pieces.map((piece) => piece.path)
  const failed = new Set(outcomes.flatMap((outcome) => (outcome.ok ? [] : pathsOf(outcome))))
  return new Set(
    outcomes.flatMap((outcome) => (outcome.ok ? pathsOf(outcome) : [])).filter((path) => !failed.has(path))
  )
}

/** The change a run reviewed, from its plan and its chunks' outcomes. */
export function describeReviewedChange(planned: PlannedReview, outcomes: readonly ChunkOutcome[]): ReviewedChange {
  return {
    incremental: planned.input.focus !== undefined,
    addedLines: addedLinesOf(planned.prepared.files),
    headPath: headPathOf(planned),
    completelyReviewed: completelyReviewedOf(outcomes)
  }
}
