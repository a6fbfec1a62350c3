/**
 * The engine's second stage, the review proper: every chunk to the model inside the time budget and the
 * token-rate limit (with escalation and verification as routed), then placement, then the one run result.
 * The shells call it the same way: the action with GitHub's earlier comments, the CLI without.
 */
import { composeExtraInstructions } from '../config/apply-repo-config.js'
import type { RepoConfig } from '../config/repo-config.js'
import type { ReviewSettings } from '../config/review-settings.js'
import type { ModelPrice } from '../model/models.js'
import { createModelDispatcher, type ModelTransport } from '../model/responses-client.js'
import type { Logger } from './logger.js'
import type { ModelRouting } from './model-routing.js'
import { placeRunFindings, type EarlierComments } from './place.js'
import type { PlannedReview } from './plan-review.js'
import { placementLineIndex } from './review-input.js'
import { reviewAllChunks, type ReviewProgress } from './review-chunks.js'
import { describeReviewedChange } from './reviewed-change.js'
import { createReviewLimits, type ReviewClock } from './review-limits.js'
import { buildRunResult, type RunResult } from './run-result.js'

/** Transport settings a shell may tune; tests shorten waits so they run in milliseconds. */
export type TransportTuning = Pick<ModelTransport, 'sleep' | 'timeouts' | 'maxRetries' | 'random'>

export interface RunReviewOptions {
  /** The effective settings (inputs or flags, with the repository config applied). */
  readonly settings: ReviewSettings
  readonly apiKey: string
  /** The repository config file's guidance, for each chunk's extra instructions. */
  readonly guidance: RepoConfig
  readonly routing: ModelRouting
  readonly logger: Logger
  readonly transport?: TransportTuning
  /** The clock of the time budget and the token-rate limiter; tests move it by hand. */
  readonly clock?: ReviewClock
  /** Comments earlier runs posted on the change; absent when there can be none (the CLI). */
  readonly earlier?: EarlierComments
  /** Prices of the review model that replace its list prices in the cost report (the CLI's --price-*). */
  readonly prices?: ModelPrice
  /** Told when each chunk starts and ends (the CLI's progress line). */
  readonly progress?: ReviewProgress
}

/** Reviews the planned chunks, places the findings and builds the run result. */
export async function runReview(planned: PlannedReview, options: RunReviewOptions): Promise<RunResult> {
  const { settings, logger } = options
  const outcomes = await logger.group('Review', () => reviewPlannedChunks(planned, options))
  const findings = await placeRunFindings({
    outcomes,
    lineIndex: placementLineIndex(planned.input.focus, planned.prepared.lineIndex),
    reviewedPaths: planned.prepared.reviewedPaths,
    settings,
    ...(options.earlier === undefined ? {} : { earlier: options.earlier }),
    // A partial review needs them even without findings: for the severity gate and the reports.
    needEarlier: planned.input.focus !== undefined,
    change: describeReviewedChange(planned, outcomes),
    logger
  })
  return buildRunResult({
    planned,
    outcomes,
    findings,
    settings,
    ...(options.prices === undefined ? {} : { prices: options.prices })
  })
}

/** Every chunk through the routed model requests, through a dispatcher of our own that is closed afterwards. */
async function reviewPlannedChunks(
  planned: PlannedReview,
  options: RunReviewOptions
): ReturnType<typeof reviewAllChunks> {
  const { settings, logger } = options
  // Our own dispatcher, closed at the end: idle keep-alive sockets would otherwise hold the process open.
  const dispatcher = createModelDispatcher(options.transport?.timeouts)
  const limits = createReviewLimits({
    timeBudgetMinutes: settings.timeBudgetMinutes,
    tokensPerMinute: settings.tokensPerMinute,
    log: logger.debug,
    ...(options.clock === undefined ? {} : { clock: options.clock })
  })
  try {
    const outcomes = await reviewAllChunks({
      limits,
      routing: options.routing,
      chunks: planned.prepared.plan.chunks,
      transport: {
        ...options.transport,
        dispatcher,
        baseUrl: settings.baseUrl,
        apiKey: options.apiKey,
        log: logger.debug
      },
      model: settings.model,
      reasoningEffort: settings.reasoningEffort,
      maxOutputTokens: settings.maxOutputTokens,
      concurrency: settings.maxConcurrency,
      pullRequest: planned.input.pullRequest,
      logger,
      ...(options.progress === undefined ? {} : { progress: options.progress }),
      extraInstructionsFor: (chunk) =>
        composeExtraInstructions({
          repo: options.guidance,
          language: settings.language,
          paths: chunk.pieces.map((piece) => piece.path)
        })
    })
    await dispatcher.close()
    return outcomes
  } catch (error: unknown) {
    // A fatal error (a rejected key) ends the run at once: do not wait for the requests still in flight.
    await dispatcher.destroy()
    throw error
  } finally {
    limits.stop()
  }
}
