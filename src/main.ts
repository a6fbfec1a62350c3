import * as core from '@actions/core'
import { decideExitStatus } from './action/exit-status.js'
import { createCoreLogger } from './action/core-logger.js'
import { readActionEnvironment } from './action/environment.js'
import { placeRunFindings } from './action/place-run-findings.js'
import { publishResults } from './action/publish-results.js'
import { loadReviewContext } from './action/review-context.js'
import { reviewDiff } from './action/review-diff.js'
import { startRun } from './action/start-run.js'
import { writeReports } from './action/write-reports.js'
import { getErrorMessage } from './errors.js'
import type { GitHubClientOptions } from './github/client.js'
import { replayRecordedGate, trackRun } from './incremental/incremental-stage.js'
import { publishAlreadyReviewed } from './incremental/publish-already-reviewed.js'
import type { ModelTransport } from './model/responses-client.js'
import type { Logger } from './pipeline/logger.js'
import type { ReviewClock } from './pipeline/review-limits.js'

/**
 * Transport settings a caller may tune. The runner uses the defaults; tests shorten waits (GitHub's
 * write spacing, retry back-off) so they run in milliseconds against the loopback servers.
 */
export interface RunOptions {
  readonly githubThrottle?: GitHubClientOptions['throttle']
  readonly modelTransport?: Pick<ModelTransport, 'sleep' | 'timeouts' | 'maxRetries' | 'random'>
  /** The clock of the time budget and the token-rate limiter; tests move it by hand. */
  readonly clock?: ReviewClock
}

/** The action's entry point: reads the event and inputs, reviews the pull request, posts one review. */
export async function run(options: RunOptions = {}): Promise<void> {
  const logger = createCoreLogger()
  try {
    await reviewFromEnvironment(logger, options)
  } catch (error: unknown) {
    core.setFailed(getErrorMessage(error))
  }
}

/** The pipeline, stage by stage; each stage logs its own group. */
async function reviewFromEnvironment(logger: Logger, options: RunOptions): Promise<void> {
  const environment = readActionEnvironment()
  const started = await startRun({
    environment,
    logger,
    ...(options.githubThrottle === undefined ? {} : { throttle: options.githubThrottle })
  })
  if (started === undefined) return
  const { github } = started

  const context = await loadReviewContext(started, logger)
  if (context === undefined) return
  const { config, pullRequest, incremental } = context
  if (incremental.scope.kind === 'already-reviewed') {
    await logger.group('Publish', () => publishAlreadyReviewed(github, { plan: incremental, logger }))
    const replayed = replayRecordedGate(incremental, config.failOnSeverity)
    if (replayed !== undefined) core.setFailed(replayed)
    return
  }

  const review = await reviewDiff(github, {
    context,
    logger,
    ...(options.modelTransport === undefined ? {} : { transport: options.modelTransport }),
    ...(options.clock === undefined ? {} : { clock: options.clock })
  })
  const placed = await placeRunFindings(github, { context, review, logger })
  const { prepared, outcomes, source } = review

  await logger.group('Reports', () =>
    writeReports({
      pullRequest,
      config,
      prepared,
      outcomes,
      placement: placed.shown,
      belowThreshold: placed.belowThreshold,
      source,
      logger,
      alreadyPosted: placed.earlier.alreadyPosted,
      // After a push, earlier findings on code not reviewed again stay in the reports (and code scanning).
      earlier: incremental.scope.kind === 'incremental' ? placed.earlier.ours : []
    })
  )
  const published = await logger.group('Publish', () =>
    publishResults({
      github,
      config,
      pullRequest,
      prepared,
      outcomes,
      placement: placed.shown,
      belowThreshold: placed.belowThreshold,
      source,
      runKey: environment.runKey,
      logger,
      ...(review.nothingToReview === undefined ? {} : { notes: [review.nothingToReview] }),
      tracking: trackRun(incremental, { alreadyPosted: placed.earlier.alreadyPosted, outsidePull: review.focus.outsidePull })
    })
  )

  const conclusion = decideExitStatus({
    config,
    outcomes,
    placed,
    incremental,
    ...(published.reviewError === undefined ? {} : { reviewError: published.reviewError })
  })
  if (conclusion.warning !== undefined) logger.warning(conclusion.warning)
  if (conclusion.failures.length > 0) core.setFailed(conclusion.failures.join('\n'))
}
