/**
 * Requests and tokens of a plan: requests made against the lower bound ceil(reviewable tokens / budget),
 * the instructions repeated in every request, and whether every reviewable changed line is sent exactly once.
 */
import { planChunks } from '../src/chunk/plan.js'
import { countTokens } from '../src/chunk/tokens.js'
import { measureRequestOverhead } from '../src/engine/estimate.js'
import { REVIEW_INSTRUCTIONS } from '../src/model/instructions.js'
import type { ChunkPlan, DiffFile, DiffLine } from '../src/types.js'

export interface RequestFigures {
  readonly budget: number
  readonly requests: number
  /** ceil(reviewable tokens / budget): no packing can use fewer requests. */
  readonly lowerBound: number
  /** Every reviewable file rendered whole, as one piece: the tokens any plan must send. */
  readonly reviewableTokens: number
  /** Sum of chunk tokens: above reviewableTokens by the headers repeated in split files. */
  readonly sentTokens: number
  readonly instructionTokens: number
  /** Instructions, schema and PR text: sent with every request. */
  readonly overheadPerRequest: number
  /** Share of all input tokens that is the repeated instructions. */
  readonly instructionShare: number
  readonly reviewableChangedLines: number
  readonly sentChangedLines: number
  /** Reviewable changed lines found in no chunk, or in more than one. */
  readonly missingLines: number
  readonly repeatedLines: number
}

/** A `DiffLine` identity within a file: a changed line has a unique number on its side. */
function lineKey(path: string, line: DiffLine): string {
  return `${path}\u0000${line.kind}\u0000${line.oldNumber ?? ''}\u0000${line.newNumber ?? ''}`
}

function countChanged(
  files: readonly { readonly path: string; readonly hunks: DiffFile['hunks'] }[],
  seen: Map<string, number>
): number {
  let count = 0
  for (const file of files) {
    for (const hunk of file.hunks) {
      for (const line of hunk.lines) {
        if (line.kind === 'context') continue
        count += 1
        const key = lineKey(file.path, line)
        seen.set(key, (seen.get(key) ?? 0) + 1)
      }
    }
  }
  return count
}

/** Every reviewable file rendered whole, one piece each: the diff tokens any plan must send. */
export function countReviewableTokens(reviewable: readonly DiffFile[]): number {
  return planChunks(reviewable, { maxChunkTokens: Number.MAX_SAFE_INTEGER }).totalTokens
}

/** Checks `plan`, made at `budget` from `reviewable`. */
export function measureRequests(options: {
  readonly reviewable: readonly DiffFile[]
  readonly plan: ChunkPlan
  readonly budget: number
  readonly reviewableTokens: number
}): RequestFigures {
  const { reviewable, plan, budget, reviewableTokens } = options
  const expected = new Map<string, number>()
  const reviewableChangedLines = countChanged(reviewable, expected)
  const sent = new Map<string, number>()
  const sentChangedLines = countChanged(
    plan.chunks.flatMap((chunk) => chunk.pieces),
    sent
  )
  let missingLines = 0
  let repeatedLines = 0
  for (const key of expected.keys()) {
    const times = sent.get(key) ?? 0
    if (times === 0) missingLines += 1
    if (times > 1) repeatedLines += 1
  }

  const instructionTokens = countTokens(REVIEW_INSTRUCTIONS)
  const overhead = measureRequestOverhead({
    title: 'Benchmark pull request',
    body: 'Update the package to its next version.'
  })
  const overheadPerRequest = overhead.instructionTokens + overhead.schemaTokens + overhead.wrapperTokens
  const requests = plan.chunks.length
  const inputTokens = plan.totalTokens + requests * overheadPerRequest
  return {
    budget,
    requests,
    lowerBound: Math.ceil(reviewableTokens / budget),
    reviewableTokens,
    sentTokens: plan.totalTokens,
    instructionTokens,
    overheadPerRequest,
    instructionShare: inputTokens === 0 ? 0 : (requests * instructionTokens) / inputTokens,
    reviewableChangedLines,
    sentChangedLines,
    missingLines,
    repeatedLines
  }
}
