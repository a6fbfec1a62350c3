/**
 * Planning speed: parse + filter + plan (prepareReview, the stage the action and the CLI run) on one diff,
 * against the floor of one tokenizer pass over the text the plan produced, and how much text the planner
 * tokenized to get there.
 */
import { planChunks } from '../src/chunk/plan.js'
import { countTokens } from '../src/chunk/tokens.js'
import { filterFiles } from '../src/diff/filter.js'
import { parseUnifiedDiff } from '../src/diff/parse.js'
import { DEFAULTS } from '../src/config/review-settings.js'
import { prepareReview, type PreparedReview } from '../src/engine/prepare.js'
import { resetTokenizerTally, tokenizerTally } from './counting-tokens.js'
import { collectGarbage, median, timeMs } from './stats.js'

export interface PlanningFigures {
  readonly diffBytes: number
  readonly changedFiles: number
  readonly reviewableFiles: number
  readonly skippedFiles: number
  readonly chunks: number
  readonly chunkTokens: number
  readonly runs: number
  /** Medians over `runs`, ms. */
  readonly prepareMs: number
  readonly parseMs: number
  readonly filterMs: number
  readonly planMs: number
  /** One countTokens call over all chunk texts joined. */
  readonly floorMs: number
  /** What the planner's tokenizer calls saw in one prepareReview. */
  readonly tokenizerCalls: number
  readonly tokenizedCharacters: number
  /** Characters of all chunk texts: what is sent. */
  readonly chunkCharacters: number
}

/** Options of the stage, as the action passes them. */
export function prepareOptions(maxChunkTokens: number): Parameters<typeof prepareReview>[1] {
  return {
    include: [],
    exclude: [],
    maxChunkTokens,
    maxFiles: DEFAULTS.maxFiles,
    maxFileChangedLines: DEFAULTS.maxFileChangedLines
  }
}

/** Times prepareReview `runs` times (after one warm-up), each stage apart, and the single-pass floor. */
export function measurePlanning(
  diff: string,
  options: { readonly runs: number; readonly budget: number }
): {
  figures: PlanningFigures
  prepared: PreparedReview
} {
  const source = { kind: 'unified', text: diff } as const
  const stageOptions = prepareOptions(options.budget)
  resetTokenizerTally()
  const prepared = prepareReview(source, stageOptions)
  const tally = { ...tokenizerTally }
  const joined = prepared.plan.chunks.map((chunk) => chunk.text).join('')

  const prepareTimes: number[] = []
  const parseTimes: number[] = []
  const filterTimes: number[] = []
  const planTimes: number[] = []
  const floorTimes: number[] = []
  for (let run = 0; run < options.runs; run += 1) {
    collectGarbage()
    prepareTimes.push(timeMs(() => prepareReview(source, stageOptions)))
    collectGarbage()
    let files: ReturnType<typeof parseUnifiedDiff> = []
    parseTimes.push(timeMs(() => (files = parseUnifiedDiff(diff))))
    let reviewable: PreparedReview['filter']['reviewable'] = []
    filterTimes.push(timeMs(() => (reviewable = filterFiles(files, { ...stageOptions }).reviewable)))
    planTimes.push(timeMs(() => planChunks(reviewable, { maxChunkTokens: options.budget })))
    collectGarbage()
    floorTimes.push(timeMs(() => countTokens(joined)))
  }
  return {
    prepared,
    figures: {
      diffBytes: Buffer.byteLength(diff, 'utf8'),
      changedFiles: prepared.files.length,
      reviewableFiles: prepared.filter.reviewable.length,
      skippedFiles: prepared.filter.skipped.length,
      chunks: prepared.plan.chunks.length,
      chunkTokens: prepared.plan.totalTokens,
      runs: options.runs,
      prepareMs: median(prepareTimes),
      parseMs: median(parseTimes),
      filterMs: median(filterTimes),
      planMs: median(planTimes),
      floorMs: median(floorTimes),
      tokenizerCalls: tally.calls,
      tokenizedCharacters: tally.characters,
      chunkCharacters: joined.length
    }
  }
}
