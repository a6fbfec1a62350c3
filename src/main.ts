import * as core from '@actions/core'
import { gatherActionContext } from './action/context-source.js'
import { createCoreLogger } from './action/core-logger.js'
import { earlierCommentsOf, recordedMaxSeverity, replayRecordedGate } from './action/earlier-reviews.js'
import { readActionEnvironment } from './action/environment.js'
import { decideExitStatus } from './action/exit-status.js'
import { setAlreadyReviewedOutputs, setRunOutputs } from './action/outputs.js'
import { publishAlreadyReviewed } from './action/publish-already-reviewed.js'
import { publishRun } from './action/publish.js'
import { loadPinnedReview } from './action/review-input.js'
import { startRun } from './action/start-run.js'
import { writeReports } from './action/write-reports.js'
import type { Logger } from './engine/logger.js'
import { planReview } from './engine/plan-review.js'
import type { ReviewClock } from './engine/review-limits.js'
import { runReview, type TransportTuning } from './engine/run-review.js'
import { getErrorMessage } from './errors.js'
import type { GitHubClientOptions } from './github/client.js'
import { sleep } from './util/sleep.js'

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
  const githubSleep = scaleGitHubWaits(options.githubThrottle?.retryAfterUnitMs)
  const pinned = await loadPinnedReview(started, logger, { workspace: environment.workspace })
  if (pinned === undefined) return
  const { context, input } = pinned
  const { config, pullRequest, incremental } = context

  if (input === undefined) {
    const summaryCommentId = await logger.group('Publish', () =>
      publishAlreadyReviewed(github, { plan: incremental, logger, ...githubSleep })
    )
    setAlreadyReviewedOutputs({ maxSeverity: recordedMaxSeverity(incremental), summaryCommentId })
    const replayed = replayRecordedGate(incremental, config.failOnSeverity)
    if (replayed !== undefined) core.setFailed(replayed)
    return
  }

  const plannedDiff = await logger.group('Plan', async () => planReview(input, { settings: config, logger }))
  const planned = await logger.group('Context', () =>
    gatherActionContext({
      planned: plannedDiff,
      settings: config,
      workspace: environment.workspace,
      pullRequest,
      github,
      logger
    })
  )
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
    publishRun({ github, pullRequest, result, incremental, runKey: environment.runKey, logger, ...githubSleep })
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

/**
 * GitHub's back-off waits (before looking for a write that failed on the wire) in the unit the client's retry
 * waits use: a second per second on the runner, a millisecond in tests.
 */
function scaleGitHubWaits(unitMs: number | undefined): { readonly sleep?: (ms: number) => Promise<void> } {
  if (unitMs === undefined) return {}
  return { sleep: (ms) => sleep((ms * unitMs) / 1000) }
}
