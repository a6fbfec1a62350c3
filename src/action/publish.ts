/**
 * Publishing a run on the pull request: ONE review (event COMMENT, pinned to the reviewed head) with the
 * inline comments, then the one summary comment (created or updated in place, carrying the signed state for
 * the next run), then the job summary. Every text renders from the run result.
 */
import { appendFile } from 'node:fs/promises'
import type { Logger } from '../engine/logger.js'
import type { RunResult } from '../engine/run-result.js'
import { getErrorMessage } from '../errors.js'
import type { GitHubApi } from '../github/client.js'
import { publishReview } from '../github/publish-review.js'
import { upsertSummaryComment } from '../github/summary-comment.js'
import { toReviewComment } from '../render/inline-comment.js'
import { SUMMARY_MARKER } from '../render/summary-input.js'
import { renderScopeParts } from '../render/summary-scope.js'
import { renderJobSummaryMarkdown, renderReviewBody, renderSummary } from '../render/summary.js'
import { toSummaryInput, type Publication } from '../report/summary-view.js'
import type { ThreadTracking } from '../state/thread-status.js'
import type { PullRequestInfo } from '../types.js'
import { concludeTracking, type IncrementalPlan } from './earlier-reviews.js'

/** What publishing did. */
export interface PublishedRun extends Publication {
  readonly reviewId: number | null
  readonly summaryCommentId: number
}

export interface PublishRunOptions {
  readonly github: GitHubApi
  readonly pullRequest: PullRequestInfo
  readonly result: RunResult
  /** Earlier runs and this run's scope: concluded into the next signed state once the review is posted. */
  readonly incremental: IncrementalPlan
  /** Unique per workflow run attempt: marks the review so a retried POST can find it. */
  readonly runKey: string
  readonly logger: Logger
  /** The run's time; injectable for tests. */
  readonly now?: () => Date
  /** Waits before looking for a write that failed on the wire; tests shorten it. */
  readonly sleep?: (ms: number) => Promise<void>
  /** The review threads after the run (issue 13), for the summary and the state; absent when not read. */
  readonly threads?: ThreadTracking
}

/** Posts the review, then the summary comment and the job summary. Throws only when the summary cannot be written. */
export async function publishRun(options: PublishRunOptions): Promise<PublishedRun> {
  const { github, pullRequest, result, logger } = options
  const posted = await postInlineReview(options)
  const publication: Publication = {
    inlinePosted: posted.inlinePosted,
    notes: posted.notes,
    ...(posted.reviewError === undefined ? {} : { reviewError: posted.reviewError })
  }
  const concluded = concludeTracking({
    plan: options.incremental,
    result,
    publication,
    at: (options.now?.() ?? new Date()).toISOString(),
    ...(options.threads === undefined ? {} : { threads: options.threads })
  })
  const summary = toSummaryInput(result, { publication, head: pullRequest.headSha, scope: renderScopeParts(concluded) })
  const upserted = await upsertSummaryComment(github, {
    ref: pullRequest,
    marker: SUMMARY_MARKER,
    body: renderSummary(summary),
    isOurs: options.incremental.poster.isOurs,
    ...(options.sleep === undefined ? {} : { sleep: options.sleep })
  })
  logger.info(`Summary comment ${upserted.commentId} ${upserted.action}.`)
  await writeJobSummary(renderJobSummaryMarkdown(summary), logger)
  return { ...publication, reviewId: posted.reviewId, summaryCommentId: upserted.commentId }
}

interface InlineReviewResult {
  readonly reviewId: number | null
  readonly inlinePosted: number
  readonly reviewError?: string
  /** For the summary: what happened to the inline comments when it was not the plan. */
  readonly notes: readonly string[]
}

/** The one review with the inline comments; none when there is nothing to say inline. Never throws. */
async function postInlineReview(options: PublishRunOptions): Promise<InlineReviewResult> {
  const { github, pullRequest, logger } = options
  const comments = options.result.findings.shown.inline.map(toReviewComment)
  if (comments.length === 0) {
    logger.info('No inline comments to post: skipping the review, the summary comment says the rest.')
    return { reviewId: null, inlinePosted: 0, notes: [] }
  }
  const runMarker = `<!-- codex-pr-review:review run=${options.runKey} -->`
  try {
    const posted = await publishReview(github, {
      ref: pullRequest,
      commitId: pullRequest.headSha,
      body: renderReviewBody({ headSha: pullRequest.headSha, inlineCount: comments.length, runMarker }),
      comments,
      runMarker,
      log: logger.info,
      ...(options.sleep === undefined ? {} : { sleep: options.sleep })
    })
    const notes: string[] = []
    if (posted.fallback === 'without-inline') {
      notes.push(
        `GitHub rejected the inline comments (${posted.error ?? '422'}); they were posted in the review body instead.`
      )
      logger.warning(`Review posted without inline comments: ${posted.error ?? 'GitHub answered 422'}.`)
    }
    logger.info(`Review ${posted.reviewId ?? '(none)'} posted with ${posted.postedInline} inline comment(s).`)
    const failed = posted.reviewId === null && posted.error !== undefined
    return {
      reviewId: posted.reviewId,
      inlinePosted: posted.postedInline,
      notes,
      ...(failed ? { reviewError: posted.error } : {})
    }
  } catch (error: unknown) {
    const reviewError = getErrorMessage(error)
    logger.warning(`Could not post the review: ${reviewError}`)
    return { reviewId: null, inlinePosted: 0, reviewError, notes: [] }
  }
}

/**
 * Appends to the file GITHUB_STEP_SUMMARY names, read at each call: `core.summary` caches the path for
 * the life of the process, which is one step on the runner but many runs in a test process.
 */
export async function writeJobSummary(markdown: string, logger: Logger): Promise<void> {
  const path = process.env.GITHUB_STEP_SUMMARY ?? ''
  if (path === '') return
  try {
    await appendFile(path, `${markdown}\n`, 'utf8')
  } catch (error: unknown) {
    logger.warning(`Could not write the job summary: ${getErrorMessage(error)}`)
  }
}
