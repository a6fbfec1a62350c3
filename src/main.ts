import * as core from '@actions/core'
import { gatherActionContext } from './action/context-source.js'
import { createCoreLogger } from './action/core-logger.js'
import { answerReplyEvent } from './action/answer-reply.js'
import { earlierCommentsOf, recordedMaxSeverity, replayRecordedGate, spentBefore } from './action/earlier-reviews.js'
import { readActionEnvironment } from './action/environment.js'
import { REVIEW_COMMENT_EVENT } from './action/event-review-comment.js'
import { decideExitStatus } from './action/exit-status.js'
import { publishDryRun } from './action/dry-run.js'
import { setAlreadyReviewedOutputs, setDryRunOutputs, setRunOutputs } from './action/outputs.js'
import { publishAlreadyReviewed } from './action/publish-already-reviewed.js'
import { publishInProgress } from './action/publish-in-progress.js'
import { publishRun } from './action/publish.js'
import { finishReviewThreads, prepareReviewThreads, standingFindings, trackThreads } from './action/review-threads.js'
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
  if (environment.eventName === REVIEW_COMMENT_EVENT) {
    return answerReplyEvent({
      environment,
      logger,
      ...(options.githubThrottle === undefined ? {} : { throttle: options.githubThrottle }),
      ...(options.modelTransport === undefined ? {} : { modelTransport: options.modelTransport })
    })
  }
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
  const lookup = incremental.previous.lookup
  const threads = await logger.group('Review threads', () =>
    prepareReviewThreads(github, {
      pullRequest,
      previous: lookup.found ? lookup.state : null,
      resolveFixed: config.resolveFixed,
      logger,
      ...(incremental.poster.identity === undefined ? {} : { identity: incremental.poster.identity })
    })
  )

  if (input === undefined) {
    const summaryCommentId = await logger.group('Publish', () =>
      publishAlreadyReviewed(github, {
        plan: incremental,
        logger,
        ...githubSleep,
        ...(threads === undefined ? {} : { threads: trackThreads(threads) })
      })
    )
    setAlreadyReviewedOutputs({
      maxSeverity: recordedMaxSeverity(incremental),
      summaryCommentId,
      threadsResolved: threads?.resolvedNow ?? 0,
      pullSpentUsd: spentBefore(incremental)
    })
    const replayed = replayRecordedGate(
      incremental,
      config.failOnSeverity,
      threads === undefined ? undefined : standingFindings(threads, config.severityThreshold)
    )
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
  if (config.dryRun) {
    setDryRunOutputs(
      await logger.group('Dry run', () =>
        publishDryRun({ planned, context, spentBeforeUsd: spentBefore(incremental), logger })
      )
    )
    return
  }
  await logger.group('Publish', () =>
    publishInProgress({ github, pullRequest, planned, config, incremental, logger, ...githubSleep })
  )
  const result = await runReview(planned, {
    settings: config,
    apiKey: config.apiKey,
    guidance: context.repoConfig,
    rules: context.rules,
    routing: context.routing,
    logger,
    earlier: threads?.earlier ?? earlierCommentsOf(github, incremental),
    spentBeforeUsd: spentBefore(incremental),
    ...(options.modelTransport === undefined ? {} : { transport: options.modelTransport }),
    ...(options.clock === undefined ? {} : { clock: options.clock })
  })
  const reports = await logger.group('Reports', () => writeReports({ result, pullRequest, logger }))
  const tracked =
    threads === undefined
      ? undefined
      : await logger.group('Fixed threads', () =>
          finishReviewThreads(threads, { fixed: result.findings.fixed ?? [], head: pullRequest.headSha, logger })
        )
  const published = await logger.group('Publish', () =>
    publishRun({
      github,
      pullRequest,
      result,
      incremental,
      runKey: environment.runKey,
      logger,
      ...githubSleep,
      ...(tracked === undefined ? {} : { threads: tracked })
    })
  )
  setRunOutputs({ result, published, reports, threadsResolved: tracked?.counts.resolvedNow ?? 0 })

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
