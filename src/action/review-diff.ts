import { composeExtraInstructions } from '../config/apply-repo-config.js'
import { DEFAULTS } from '../config/config.js'
import type { GitHubApi } from '../github/client.js'
import { fetchPullDiff } from '../github/pull-diff.js'
import { describeEmptyIncrement, focusReview, type ReviewFocus } from '../incremental/review-scope.js'
import type { ModelTransport } from '../model/responses-client.js'
import type { Logger } from '../pipeline/logger.js'
import { describeNothingToReview } from '../pipeline/nothing-to-review.js'
import { type PreparedReview, prepareReview } from '../pipeline/prepare.js'
import { reviewAllChunks } from '../pipeline/review-all-chunks.js'
import { createReviewLimits, type ReviewClock } from '../pipeline/review-limits.js'
import type { ChunkOutcome, PullDiffSource } from '../types.js'
import type { ReviewContext } from './review-context.js'

/** The diff as read, what of it was reviewed, and what the model said about each chunk. */
export interface DiffReview {
  readonly source: PullDiffSource
  readonly focus: ReviewFocus
  readonly prepared: PreparedReview
  readonly outcomes: readonly ChunkOutcome[]
  /** Set when nothing was reviewable, saying why (also logged as a notice). */
  readonly nothingToReview?: string
}

/** Fetches the diff, narrows it to the review's scope, plans chunks and reviews them within the limits. */
export async function reviewDiff(
  github: GitHubApi,
  options: {
    readonly context: ReviewContext
    readonly transport?: Pick<ModelTransport, 'sleep' | 'timeouts' | 'maxRetries' | 'random'>
    readonly clock?: ReviewClock
    readonly logger: Logger
  }
): Promise<DiffReview> {
  const { context, logger } = options
  const { config, pullRequest } = context
  if (context.incremental.scope.kind === 'already-reviewed') throw new Error('reviewDiff called for an already-reviewed head')
  const source = await logger.group('Diff', async () => {
    const diff = await fetchPullDiff(github, pullRequest, { maxFiles: DEFAULTS.maxFiles, log: logger.info })
    logger.info(
      diff.kind === 'unified'
        ? `Unified diff: ${diff.text.length} characters.`
        : `Diff too large for one request (${diff.fallbackReason}); listed ${diff.files.length} file(s) instead.`
    )
    return diff
  })

  const focus = focusReview(context.incremental.scope, source)
  const prepared = await logger.group('Plan', async () => planFocus(focus, context, logger))
  const nothingToReview = describeEmptyIncrement(focus, prepared) ?? describeNothingToReview(focus.source, prepared)
  if (nothingToReview !== undefined) logger.notice(nothingToReview)

  const limits = createReviewLimits({
    timeBudgetMinutes: config.timeBudgetMinutes,
    tokensPerMinute: config.tokensPerMinute,
    log: logger.debug,
    ...(options.clock === undefined ? {} : { clock: options.clock })
  })
  try {
    const outcomes = await logger.group('Review', () =>
      reviewAllChunks({
        limits,
        routing: context.routing,
        chunks: prepared.plan.chunks,
        transport: { ...options.transport, baseUrl: config.baseUrl, apiKey: config.apiKey, log: logger.debug },
        model: config.model,
        reasoningEffort: config.reasoningEffort,
        maxOutputTokens: config.maxOutputTokens,
        concurrency: config.maxConcurrency,
        pullRequest: { title: pullRequest.title, body: pullRequest.body },
        logger,
        extraInstructionsFor: (chunk) =>
          composeExtraInstructions({
            repo: context.repoConfig,
            language: config.language,
            paths: chunk.pieces.map((piece) => piece.path)
          })
      })
    )
    return { source, focus, prepared, outcomes, ...(nothingToReview === undefined ? {} : { nothingToReview }) }
  } finally {
    limits.stop()
  }
}

function planFocus(focus: ReviewFocus, context: ReviewContext, logger: Logger): PreparedReview {
  const { config } = context
  const result = prepareReview(focus.source, {
    ...(focus.onlyPaths === undefined ? {} : { onlyPaths: focus.onlyPaths }),
    include: config.include,
    exclude: config.exclude,
    maxChunkTokens: config.maxChunkTokens,
    maxFiles: DEFAULTS.maxFiles,
    maxFileChangedLines: DEFAULTS.maxFileChangedLines
  })
  logger.info(
    `${result.files.length} file(s) changed: ${result.filter.reviewable.length} to review, ` +
      `${result.filter.skipped.length} skipped; ${result.plan.chunks.length} chunk(s), ${result.plan.totalTokens} diff tokens ` +
      `(budget ${config.maxChunkTokens} per chunk).`
  )
  for (const skipped of result.filter.skipped) logger.debug(`skip ${skipped.path}: ${skipped.detail}`)
  return result
}
