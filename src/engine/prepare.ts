import { buildLineIndex, type LineIndex } from '../diff/line-index.js'
import { parseFilePatches } from '../diff/file-patches.js'
import { filterFiles } from '../diff/filter.js'
import { parseUnifiedDiff } from '../diff/parse.js'
import { planChunks } from '../chunk/plan.js'
import type { ChunkPlan, DiffFile, FilterResult, PullDiffSource } from '../types.js'

export interface PrepareOptions {
  readonly include: readonly string[]
  readonly exclude: readonly string[]
  readonly maxChunkTokens: number
  readonly maxFiles: number
  readonly maxFileChangedLines: number
  /**
   * Review only files at these paths; others are left out entirely (not listed as skipped). An incremental
   * review passes the files the pull request changes, so changes merged in from the base branch are not reviewed.
   */
  readonly onlyPaths?: ReadonlySet<string>
}

/** Everything known before the first model call: what changed, what is reviewed, and how it is split. */
export interface PreparedReview {
  readonly files: readonly DiffFile[]
  readonly filter: FilterResult
  readonly plan: ChunkPlan
  readonly lineIndex: LineIndex
  /** Paths of every file with at least one piece in a chunk, in chunk order: the only files the model sees. */
  readonly reviewedPaths: ReadonlySet<string>
}

/** Parse, filter and plan: the pure front half of the pipeline, shared by the action and the CLI. */
export function prepareReview(source: PullDiffSource, options: PrepareOptions): PreparedReview {
  const parsed = source.kind === 'unified' ? parseUnifiedDiff(source.text) : parseFilePatches(source.files)
  const files = options.onlyPaths === undefined ? parsed : parsed.filter((file) => options.onlyPaths?.has(file.path))
  const filter = filterFiles(files, {
    include: options.include,
    exclude: options.exclude,
    maxFiles: options.maxFiles,
    maxFileChangedLines: options.maxFileChangedLines
  })
  const plan = planChunks(filter.reviewable, { maxChunkTokens: options.maxChunkTokens })
  return { files, filter, plan, lineIndex: buildLineIndex(filter.reviewable), reviewedPaths: reviewedPathsOf(plan) }
}

/** Paths of every file that has at least one piece in a chunk. */
function reviewedPathsOf(plan: ChunkPlan): ReadonlySet<string> {
  return new Set(plan.chunks.flatMap((chunk) => chunk.pieces.map((piece) => piece.path)))
}
