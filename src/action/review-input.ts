/**
 * The GitHub source of the diff: the pull request's diff (or its file list when GitHub will not render it),
 * narrowed to the new commits when earlier runs reviewed the rest. What comes out is the engine's input.
 */
import { DEFAULTS } from '../config/config.js'
import type { Logger } from '../engine/logger.js'
import type { ReviewInput } from '../engine/review-input.js'
import type { GitHubApi } from '../github/client.js'
import { fetchPullDiff, PullHeadMovedError } from '../github/pull-diff.js'
import type { PullDiffSource } from '../types.js'
import { readCheckoutDiff } from './checkout-diff.js'
import { focusReview, toReviewFocus } from './earlier-reviews.js'
import { loadReviewContext, type ReviewContext } from './review-context.js'
import type { StartedRun } from './start-run.js'

/** Reads of the pull request before giving up on a branch that keeps moving. */
const MAX_PINNING_ATTEMPTS = 3

/** What this run reviews, pinned to one head; `input` is absent when that head was already reviewed. */
export interface PinnedReview {
  readonly context: ReviewContext
  readonly input?: ReviewInput
}

/**
 * The pull request, its settings and scope, and its diff, all at ONE head: the diff is read after the pull
 * request, so a push in between would pair a newer diff with the older head (and comments with the wrong
 * commit). When that happens it starts again at the new head, a few times at most. Undefined when the pull
 * request is skipped.
 */
export async function loadPinnedReview(
  run: StartedRun,
  logger: Logger,
  options: { readonly workspace?: string } = {}
): Promise<PinnedReview | undefined> {
  for (let attempt = 1; ; attempt += 1) {
    const context = await loadReviewContext(run, logger)
    if (context === undefined) return undefined
    if (context.incremental.scope.kind === 'already-reviewed') return { context }
    try {
      const workspace = options.workspace ?? ''
      return {
        context,
        input: await logger.group('Diff', () => readReviewInput(run.github, { context, logger, workspace }))
      }
    } catch (error: unknown) {
      if (!(error instanceof PullHeadMovedError)) throw error
      if (attempt >= MAX_PINNING_ATTEMPTS) {
        throw new Error(
          `The ${error.message}, ${MAX_PINNING_ATTEMPTS} times in a row; the run for the latest push reviews it ` +
            '(or re-run this one once pushes settle).',
          { cause: error }
        )
      }
      logger.info(`The ${error.message}; starting again at the new head.`)
    }
  }
}

/** Fetches the pull request's diff and builds what the engine reviews of it. */
export async function readReviewInput(
  github: GitHubApi,
  options: {
    readonly context: ReviewContext
    readonly logger: Logger
    /** The runner's workspace: when GitHub lists only part of the files, the whole diff may come from it. */
    readonly workspace?: string
  }
): Promise<ReviewInput> {
  const { context, logger } = options
  const { pullRequest, incremental } = context
  if (incremental.scope.kind === 'already-reviewed')
    throw new Error('readReviewInput called for an already-reviewed head')
  const listed = await fetchPullDiff(github, pullRequest, { maxFiles: DEFAULTS.maxFiles, log: logger.info })
  const diff = await completeFromCheckout(listed, { pullRequest, workspace: options.workspace ?? '', logger })
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

/**
 * A diff GitHub listed only in part (its 3,000-file cap) is replaced by the whole diff from the workspace's
 * checkout when that has the head and the base with their history; otherwise it stays as listed, and the
 * summary says how many files were not reviewed (run-result.ts).
 */
async function completeFromCheckout(
  diff: PullDiffSource,
  options: {
    readonly pullRequest: ReviewContext['pullRequest']
    readonly workspace: string
    readonly logger: Logger
  }
): Promise<PullDiffSource> {
  if (diff.kind !== 'files' || !diff.truncated) return diff
  const { pullRequest, logger } = options
  const whole = await readCheckoutDiff({
    workspace: options.workspace,
    baseSha: pullRequest.baseSha,
    headSha: pullRequest.headSha
  })
  if (!whole.ok) {
    logger.info(
      `GitHub listed only ${diff.files.length} files; the workspace cannot give the whole diff (${whole.reason}).`
    )
    return diff
  }
  const total = pullRequest.changedFiles === undefined ? '' : ` of ${pullRequest.changedFiles.toLocaleString('en-US')}`
  logger.info(
    `GitHub listed only ${diff.files.length}${total} files; took the whole diff from the workspace's checkout.`
  )
  return {
    kind: 'unified',
    text: whole.text,
    origin:
      `\`git diff\` of the workspace's checkout (merge-base ${whole.mergeBase.slice(0, 12)} to ` +
      `${pullRequest.headSha.slice(0, 12)}): GitHub lists at most 3,000 of a pull request's files`
  }
}
