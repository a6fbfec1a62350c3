/**
 * The verdict over the whole review, merged from the verdicts the model gave per chunk. Advice for the
 * summary and the outputs only: the action never approves or requests changes because of it. Pure.
 */
import type { ChunkOutcome, Correctness } from '../types.js'

/** One chunk that the model judged `incorrect`, for the summary's list of reasons. */
export interface IncorrectChunk {
  readonly chunkId: number
  /** Absent when the answer gave no reason. */
  readonly reason?: string
  readonly confidence?: number
}

export interface MergedVerdict {
  /**
   * `incorrect` when any chunk was judged incorrect; `correct` when every chunk that has a verdict was judged
   * correct (check `counts` for chunks without one before calling the whole change correct); `none` when no
   * chunk has a verdict.
   */
  readonly verdict: Correctness | 'none'
  /**
   * The lowest confidence among the verdicts that decided it (the incorrect ones, or all when every verdict
   * is correct): the merged verdict is no surer than its weakest part. Absent when none of them gave one.
   */
  readonly confidence?: number
  /** The chunks judged incorrect, in chunk order. */
  readonly incorrect: readonly IncorrectChunk[]
  readonly counts: {
    readonly correct: number
    readonly incorrect: number
    /** Reviewed, but the answer gave no verdict (a provider that ignored strict mode). */
    readonly withoutVerdict: number
    /** Not reviewed (the chunk failed, or the run stopped before it): no verdict either. */
    readonly notReviewed: number
  }
}

/** Merges the chunk verdicts: any `incorrect` wins; chunks without a verdict are counted, never guessed. */
export function mergeVerdicts(outcomes: readonly ChunkOutcome[]): MergedVerdict {
  const incorrect: IncorrectChunk[] = []
  const correctConfidences: (number | undefined)[] = []
  let withoutVerdict = 0
  let notReviewed = 0
  const ordered = [...outcomes].sort((a, b) => a.chunk.id - b.chunk.id)
  for (const outcome of ordered) {
    if (!outcome.ok) {
      notReviewed += 1
      continue
    }
    const verdict = outcome.review.verdict
    if (verdict === undefined) withoutVerdict += 1
    else if (verdict.verdict === 'correct') correctConfidences.push(verdict.confidence)
    else {
      incorrect.push({
        chunkId: outcome.chunk.id,
        ...(verdict.reason === undefined ? {} : { reason: verdict.reason }),
        ...(verdict.confidence === undefined ? {} : { confidence: verdict.confidence })
      })
    }
  }
  const counts = { correct: correctConfidences.length, incorrect: incorrect.length, withoutVerdict, notReviewed }
  const deciding = incorrect.length > 0 ? incorrect.map((entry) => entry.confidence) : correctConfidences
  const confidence = lowest(deciding)
  const verdict = incorrect.length > 0 ? 'incorrect' : correctConfidences.length > 0 ? 'correct' : 'none'
  return { verdict, ...(confidence === undefined ? {} : { confidence }), incorrect, counts }
}

function lowest(values: readonly (number | undefined)[]): number | undefined {
  const known = values.filter((value): value is number => value !== undefined)
  return known.length === 0 ? undefined : Math.min(...known)
}
