/**
 * The engine's first stage: what will be reviewed and how it is split, before any request. The dry run stops
 * here; a review goes on to `runReview` (run-review.ts).
 */
import { DEFAULTS, type ReviewSettings } from '../config/review-settings.js'
import { describeSkip } from '../diff/filter.js'
import type { ContextReport } from './context-report.js'
import type { Logger } from './logger.js'
import { describeEmptyIncrement, describeNothingToReview } from './nothing-to-review.js'
import { prepareReview, type PreparedReview } from './prepare.js'
import type { ReviewInput } from './review-input.js'

/** The change, parsed, filtered and packed into chunks. */
export interface PlannedReview {
  readonly input: ReviewInput
  readonly prepared: PreparedReview
  /** Why no request will be sent, when none will (also logged as a notice). */
  readonly nothingToReview?: string
  /** What the context stage added to the chunks and left out (gather-context.ts); absent with context off. */
  readonly context?: ContextReport
}

/** Parses, filters and plans the change, and logs what will be reviewed. Pure apart from the log. */
export function planReview(
  input: ReviewInput,
  options: {
    readonly settings: Pick<ReviewSettings, 'include' | 'exclude' | 'maxChunkTokens'>
    readonly logger: Pick<Logger, 'info' | 'debug' | 'notice'>
  }
): PlannedReview {
  const { settings, logger } = options
  const prepared = prepareReview(input.source, {
    ...(input.focus === undefined ? {} : { onlyPaths: input.focus.onlyPaths }),
    include: settings.include,
    exclude: settings.exclude,
    maxChunkTokens: settings.maxChunkTokens,
    maxFiles: DEFAULTS.maxReviewedFiles,
    maxFileChangedLines: DEFAULTS.maxFileChangedLines
  })
  logger.info(
    `${input.label}: ${prepared.files.length} file(s) changed, ${prepared.filter.reviewable.length} to review, ` +
      `${prepared.filter.skipped.length} skipped; ${prepared.plan.chunks.length} chunk(s), ` +
      `${prepared.plan.totalTokens} diff tokens (budget ${settings.maxChunkTokens} per chunk).`
  )
  for (const skipped of prepared.filter.skipped) logger.debug(`skip ${skipped.path}: ${describeSkip(skipped)}`)
  const nothingToReview =
    describeEmptyIncrement(input.focus, prepared) ?? describeNothingToReview(input.source, prepared)
  if (nothingToReview !== undefined) logger.notice(nothingToReview)
  return { input, prepared, ...(nothingToReview === undefined ? {} : { nothingToReview }) }
}
