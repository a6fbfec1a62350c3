/**
 * A re-run for a head that was already reviewed completely under the same settings: no model request, no
 * review, only the summary comment updated in place to say so (its report kept) and the run added to its
 * history.
 */
import * as core from '@actions/core'
import { getErrorMessage } from '../errors.js'
import type { GitHubApi } from '../github/client.js'
import { upsertSummaryComment } from '../github/summary-comment.js'
import type { Logger } from '../pipeline/logger.js'
import { renderAlreadyReviewedBody } from '../render/summary-scope.js'
import { SUMMARY_MARKER } from '../render/summary-input.js'
import { concludeRun } from './conclude-run.js'
import { recordedMaxSeverity, trackRun, type IncrementalPlan } from './incremental-stage.js'

export interface PublishAlreadyReviewedOptions {
  readonly plan: IncrementalPlan
  readonly logger: Logger
  /** The run's time; injectable for tests. */
  readonly now?: () => Date
}

/** Writes the summary and the step outputs of a run that reviewed nothing; returns the summary comment id. */
export async function publishAlreadyReviewed(api: GitHubApi, options: PublishAlreadyReviewedOptions): Promise<number> {
  const { plan, logger } = options
  const tracking = trackRun(plan, { alreadyPosted: [], outsidePull: 0 })
  const at = (options.now?.() ?? new Date()).toISOString()
  const parts = concludeRun(tracking, { complete: true, findings: 0, at })
  const body = renderAlreadyReviewedBody(plan.previous.body, parts)
  const upserted = await upsertSummaryComment(api, { ref: plan.pullRequest, marker: SUMMARY_MARKER, body })
  logger.info(`Summary comment ${upserted.commentId} ${upserted.action}: already reviewed, no model request made.`)
  await writeJobSummary(`${parts.scopeBlock}\n\n${parts.historyBlock}`, logger)
  const zero = ['findings', 'comments-posted', 'files-reviewed', 'files-skipped', 'chunks', 'chunks-failed', 'input-tokens', 'output-tokens']
  for (const name of zero) core.setOutput(name, 0)
  core.setOutput('cost-usd', '0')
  core.setOutput('max-severity', recordedMaxSeverity(plan) ?? 'none')
  core.setOutput('review-id', '')
  core.setOutput('summary-comment-id', upserted.commentId)
  return upserted.commentId
}

async function writeJobSummary(markdown: string, logger: Logger): Promise<void> {
  if ((process.env.GITHUB_STEP_SUMMARY ?? '') === '') return
  try {
    await core.summary.addRaw(markdown, true).write()
  } catch (error: unknown) {
    logger.warning(`Could not write the job summary: ${getErrorMessage(error)}`)
  }
}
