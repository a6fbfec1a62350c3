/**
 * A re-run for a head that was already reviewed completely under the same settings: no model request, no
 * review, only the summary comment updated in place to say so (its report kept) and the run added to its
 * history.
 */
import type { Logger } from '../engine/logger.js'
import type { GitHubApi } from '../github/client.js'
import { upsertSummaryComment } from '../github/summary-comment.js'
import { SUMMARY_MARKER } from '../render/summary-input.js'
import { renderAlreadyReviewedBody, renderScopeParts } from '../render/summary-scope.js'
import { concludeRun } from '../state/conclude-run.js'
import type { ThreadTracking } from '../state/thread-status.js'
import { trackRun, type IncrementalPlan } from './earlier-reviews.js'
import { writeJobSummary } from './publish.js'

export interface PublishAlreadyReviewedOptions {
  readonly plan: IncrementalPlan
  readonly logger: Logger
  /** The run's time; injectable for tests. */
  readonly now?: () => Date
  /** Waits before looking for a write that failed on the wire; tests shorten it. */
  readonly sleep?: (ms: number) => Promise<void>
  /** The review threads (issue 13): dismissals are remembered even when nothing is reviewed. */
  readonly threads?: ThreadTracking
}

/** Writes the summary and the job summary of a run that reviewed nothing; returns the summary comment id. */
export async function publishAlreadyReviewed(api: GitHubApi, options: PublishAlreadyReviewedOptions): Promise<number> {
  const { plan, logger } = options
  const tracking = trackRun(plan, {
    alreadyPosted: [],
    outsidePull: 0,
    ...(options.threads === undefined ? {} : { threads: options.threads })
  })
  const at = (options.now?.() ?? new Date()).toISOString()
  const parts = renderScopeParts(concludeRun(tracking, { complete: true, findings: 0, at }))
  const body = renderAlreadyReviewedBody(plan.previous.body, parts)
  const upserted = await upsertSummaryComment(api, {
    ref: plan.pullRequest,
    marker: SUMMARY_MARKER,
    body,
    isOurs: plan.poster.isOurs,
    ...(options.sleep === undefined ? {} : { sleep: options.sleep })
  })
  logger.info(`Summary comment ${upserted.commentId} ${upserted.action}: already reviewed, no model request made.`)
  await writeJobSummary(`${parts.scopeBlock}\n\n${parts.historyBlock}`, logger)
  return upserted.commentId
}
