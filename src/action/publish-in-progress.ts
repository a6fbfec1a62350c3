/**
 * "Reviewing N files in M requests, estimated $X": the summary comment is posted (or updated) as soon as the
 * plan is known, so people see a review is coming, and the comment exists before the review ends (its
 * creation no longer waits behind the review's own write at the end of the run). The finished review
 * replaces it. Best effort: a failure here is a warning, never the end of the run.
 */
import type { Config } from '../config/config.js'
import { estimatePlan } from '../engine/estimate.js'
import type { Logger } from '../engine/logger.js'
import type { PlannedReview } from '../engine/plan-review.js'
import { getErrorMessage } from '../errors.js'
import type { GitHubApi } from '../github/client.js'
import { upsertSummaryComment } from '../github/summary-comment.js'
import { SUMMARY_MARKER } from '../render/summary-input.js'
import { renderInProgressBody } from '../render/summary-scope.js'
import { findStateLine } from '../state/review-state.js'
import type { PullRequestInfo } from '../types.js'
import type { IncrementalPlan } from './earlier-reviews.js'

export async function publishInProgress(options: {
  readonly github: GitHubApi
  readonly pullRequest: PullRequestInfo
  readonly planned: PlannedReview
  readonly config: Config
  readonly incremental: IncrementalPlan
  readonly logger: Logger
  readonly sleep?: (ms: number) => Promise<void>
}): Promise<void> {
  const { planned, config, incremental, logger } = options
  const chunks = planned.prepared.plan.chunks
  if (chunks.length === 0) return
  const { estimate } = estimatePlan({
    chunkTokens: chunks.map((chunk) => chunk.tokens),
    pullRequest: planned.input.pullRequest,
    settings: config
  })
  const { previous } = incremental
  // Only a verified state is carried over: anything else would not be trusted by the next run either.
  const stateLine = previous.lookup.found && previous.body !== undefined ? findStateLine(previous.body) : undefined
  const body = renderInProgressBody({
    ...(stateLine === undefined ? {} : { stateLine }),
    ...(previous.body === undefined ? {} : { previousBody: previous.body }),
    headSha: options.pullRequest.headSha,
    files: planned.prepared.reviewedPaths.size,
    requests: chunks.length,
    model: config.model,
    ...(estimate.usd === undefined ? {} : { estimatedUsd: estimate.usd })
  })
  try {
    const upserted = await upsertSummaryComment(options.github, {
      ref: options.pullRequest,
      marker: SUMMARY_MARKER,
      body,
      isOurs: incremental.poster.isOurs,
      ...(options.sleep === undefined ? {} : { sleep: options.sleep })
    })
    logger.info(`Summary comment ${upserted.commentId} ${upserted.action}: review in progress.`)
  } catch (error: unknown) {
    logger.warning(`Could not post the in-progress summary (the review goes on): ${getErrorMessage(error)}`)
  }
}
