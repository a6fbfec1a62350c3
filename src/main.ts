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
import {
  finishReviewThreads,
  prepareReviewThreads,
  standingFindings,
  trackThreads,
  type PreparedThreads
} from './action/review-threads.js'
import type { ReviewContext } from './action/review-context.js'
import { loadPinnedReview } from './action/review-input.js'
import { startRun } from './action/start-run.js'
import { writeReports } from './action/write-reports.js'
import type { Logger } from './engine/logger.js'
import { planReview, type PlannedReview } from './engine/plan-review.js'
import type { ReviewClock } from './engine/review-limits.js'
import type { RunResult } from './engine/run-result.js'
import { runReview, type TransportTuning } from './engine/run-review.js'
import { getErrorMessage } from './errors.js'
import type { GitHubApi, GitHubClientOptions } from './github/client.js'
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
  const pinned = await loadPinnedReview(started, logger, { workspace: environment.workspace })
  if (pinned === undefined) return
  const { context, input } = pinned
  const run: ActionRun = {
    github: started.github,
    context,
    logger,
    githubSleep: scaleGitHubWaits(options.githubThrottle?.retryAfterUnitMs),
    threads: await logger.group('Review threads', () => readReviewThreads(started.github, context, logger))
  }
  if (input === undefined) return concludeAlreadyReviewed(run)

  const plannedDiff = await logger.group('Plan', async () => planReview(input, { settings: context.config, logger }))
  const planned = await logger.group('Context', () =>
    gatherActionContext({
      planned: plannedDiff,
      settings: context.config,
      workspace: environment.workspace,
      pullRequest: context.pullRequest,
      github: started.github,
      logger
    })
  )
  if (context.config.dryRun) return concludeDryRun(run, planned)
  await logger.group('Publish', () =>
    publishInProgress({
      github: run.github,
      pullRequest: context.pullRequest,
      planned,
      config: context.config,
      incremental: context.incremental,
      logger,
      ...run.githubSleep
    })
  )
  const result = await runReview(planned, {
    settings: context.config,
    apiKey: context.config.apiKey,
    guidance: context.repoConfig,
    rules: context.rules,
    routing: context.routing,
    logger,
    earlier: run.threads?.earlier ?? earlierCommentsOf(run.github, context.incremental),
    spentBeforeUsd: spentBefore(context.incremental),
    ...(options.modelTransport === undefined ? {} : { transport: options.modelTransport }),
    ...(options.clock === undefined ? {} : { clock: options.clock })
  })
  await concludeReview(run, { result, runKey: environment.runKey })
}

/** What the stages after the plan share: the client, the pinned context, the threads as read before the review. */
interface ActionRun {
  readonly github: GitHubApi
  readonly context: ReviewContext
  readonly logger: Logger
  readonly githubSleep: { readonly sleep?: (ms: number) => Promise<void> }
  /** Undefined when the threads could not be read (the run then dedupes through REST as before issue 13). */
  readonly threads: PreparedThreads | undefined
}

function readReviewThreads(github: GitHubApi, context: ReviewContext, logger: Logger) {
  const { lookup } = context.incremental.previous
  const { identity } = context.incremental.poster
  return prepareReviewThreads(github, {
    pullRequest: context.pullRequest,
    previous: lookup.found ? lookup.state : null,
    resolveFixed: context.config.resolveFixed,
    logger,
    ...(identity === undefined ? {} : { identity })
  })
}

/** The head was reviewed already: the summary is updated in place and the recorded gate replayed. */
async function concludeAlreadyReviewed(run: ActionRun): Promise<void> {
  const { context, threads, logger } = run
  const { incremental, config } = context
  const summaryCommentId = await logger.group('Publish', () =>
    publishAlreadyReviewed(run.github, {
      plan: incremental,
      logger,
      ...run.githubSleep,
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
}

/** `dry-run: true`: the plan goes to the job summary; nothing is sent or posted. */
async function concludeDryRun(run: ActionRun, planned: PlannedReview): Promise<void> {
  const { context, logger } = run
  const report = await logger.group('Dry run', () =>
    publishDryRun({ planned, context, spentBeforeUsd: spentBefore(context.incremental), logger })
  )
  setDryRunOutputs(report)
}

/** Reports, the threads the run fixed, the ONE review and the summary, the outputs and the exit status. */
async function concludeReview(
  run: ActionRun,
  options: { readonly result: RunResult; readonly runKey: string }
): Promise<void> {
  const { context, threads, logger } = run
  const { result } = options
  const { pullRequest, config } = context
  const reports = await logger.group('Reports', () => writeReports({ result, pullRequest, logger }))
  const tracked =
    threads === undefined
      ? undefined
      : await logger.group('Fixed threads', () =>
          finishReviewThreads(threads, { fixed: result.findings.fixed ?? [], head: pullRequest.headSha, logger })
        )
  const published = await logger.group('Publish', () =>
    publishRun({
      github: run.github,
      pullRequest,
      result,
      incremental: context.incremental,
      runKey: options.runKey,
      logger,
      ...run.githubSleep,
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
