import * as core from '@actions/core'
import { createCoreLogger } from './action/core-logger.js'
import { earlierCommentsOf, recordedMaxSeverity, replayRecordedGate } from './action/earlier-reviews.js'
import { readActionEnvironment } from './action/environment.js'
import { decideExitStatus } from './action/exit-status.js'
import { setAlreadyReviewedOutputs, setRunOutputs } from './action/outputs.js'
import { publishAlreadyReviewed } from './action/publish-already-reviewed.js'
import { publishRun } from './action/publish.js'
import { loadReviewContext } from './action/review-context.js'
import { readReviewInput } from './action/review-input.js'
import { startRun } from './action/start-run.js'
import { writeReports } from './action/write-reports.js'
import type { Logger } from './engine/logger.js'
import { planReview } from './engine/plan-review.js'
import type { ReviewClock } from './engine/review-limits.js'
import { runReview, type TransportTuning } from './engine/run-review.js'
import { getErrorMessage } from './errors.js'
import type { GitHubClientOptions } from './github/client.js'

/**
 * Transport settings a caller may tune. The runner uses the defaults; tests shorten waits (GitHub's
 * write spacing, retry back-off) so they run in milliseconds against the loopback servers.
 */
export interface RunOptions {
  readonly githubThrottle?: GitHubClientOptions['throttle']
  readonly modelTransport?: TransportTuning
  /** The clock of the time budget and the token-rate limiter; tests move it by hand. */
  readonly clock?: ReviewClock
}

/** The action's entry point: reads the event and inputs, reviews the pull request, posts one review. */
export async function run(options: RunOptions = {}): Promise<void> {
  const logger = createCoreLogger()
  try {
    await reviewPullRequest(logger, options)
  } catch (error: unknown) {
    core.setFailed(getErrorMessage(error))
  }
}

/** The stages, in order; each logs its own group. */
async function reviewPullRequest(logger: Logger, options: RunOptions): Promise<void> {
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
    const summaryCommentId = await logger.group('Publish', () => publishAlreadyReviewed(github, { plan: incremental, logger }))
    setAlreadyReviewedOutputs({ maxSeverity: recordedMaxSeverity(incremental), summaryCommentId })
    const replayed = replayRecordedGate(incremental, config.failOnSeverity)
    if (replayed !== undefined) core.setFailed(replayed)
    return
  }

  const input = await logger.group('Diff', () => readReviewInput(github, { context, logger }))
  const planned = await logger.group('Plan', async () => planReview(input, { settings: config, logger }))
  const result = await runReview(planned, {
    settings: config,
    apiKey: config.apiKey,
    guidance: context.repoConfig,
    routing: context.routing,
    logger,
    earlier: earlierCommentsOf(github, incremental),
    ...(options.modelTransport === undefined ? {} : { transport: options.modelTransport }),
    ...(options.clock === undefined ? {} : { clock: options.clock })
  })
  const reports = await logger.group('Reports', () => writeReports({ result, pullRequest, logger }))
  const published = await logger.group('Publish', () =>
    publishRun({ github, pullRequest, result, incremental, runKey: environment.runKey, logger })
  )
  setRunOutputs({ result, published, reports })

  const exit = decideExitStatus({
    config,
    result,
    ...(published.reviewError === undefined ? {} : { reviewError: published.reviewError })
  })
  if (exit.warning !== undefined) logger.warning(exit.warning)
  if (exit.failures.length > 0) core.setFailed(exit.failures.join('\n'))
}
