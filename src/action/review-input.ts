/**
 * The GitHub source of the diff: the pull request's diff (or its file list when GitHub will not render it),
 * narrowed to the new commits when earlier runs reviewed the rest. What comes out is the engine's input.
 */
import { DEFAULTS } from '../config/config.js'
import type { Logger } from '../engine/logger.js'
import type { ReviewInput } from '../engine/review-input.js'
import type { GitHubApi } from '../github/client.js'
import { fetchPullDiff } from '../github/pull-diff.js'
import { focusReview, toReviewFocus } from './earlier-reviews.js'
import type { ReviewContext } from './review-context.js'

/** Fetches the pull request's diff and builds what the engine reviews of it. */
export async function readReviewInput(github: GitHubApi, options: { readonly context: ReviewContext; readonly logger: Logger }): Promise<ReviewInput> {
  const { context, logger } = options
  const { pullRequest, incremental } = context
  if (incremental.scope.kind === 'already-reviewed') throw new Error('readReviewInput called for an already-reviewed head')
  const diff = await fetchPullDiff(github, pullRequest, { maxFiles: DEFAULTS.maxFiles, log: logger.info })
  logger.info(
    diff.kind === 'unified'
      ? `Unified diff: ${diff.text.length} characters.`
      : `Diff too large for one request (${diff.fallbackReason}); listed ${diff.files.length} file(s) instead.`
  )
  const focused = focusReview(incremental.scope, diff)
  const focus = toReviewFocus(focused)
  return {
    source: focused.source,
    pullRequest: { title: pullRequest.title, body: pullRequest.body },
    head: pullRequest.headSha,
    label: `${pullRequest.owner}/${pullRequest.repo}#${pullRequest.pullNumber}`,
    ...(focus === undefined ? {} : { focus })
  }
}
