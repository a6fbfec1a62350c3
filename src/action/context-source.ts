/**
 * Where the action reads the pull request's files for context: the workspace, when it verifiably holds the
 * reviewed head commit (no API call, and definitions in other files can be searched), else the GitHub API at the
 * head SHA (batched GraphQL, counted; no cross-file search). The workspace is the pull request's code, so it is
 * only ever read through git objects at the head commit (src/context/git-file-source.ts): nothing in it runs,
 * no symlink is followed, the working tree itself is never opened.
 *
 * When the workspace counts as holding the head:
 * - its HEAD is the head commit (`actions/checkout` with `ref: <head sha>`); or
 * - its repository has the head commit object, whatever HEAD is, e.g. the default `pull_request` checkout (the
 *   merge commit `refs/pull/N/merge`) fetched with history (`fetch-depth: 0`), where the head is the merge's
 *   second parent. A commit id names its content, so reading at the head id gives exactly the head's files
 *   whatever is checked out; the default `fetch-depth: 1` merge checkout does not have the head commit, and is
 *   not used: its files are the merge result, whose line numbers can differ from the diff's.
 */
import type { Logger } from '../engine/logger.js'
import { getErrorMessage } from '../errors.js'
import { gatherReviewContext, type ContextFiles } from '../engine/gather-context.js'
import type { PlannedReview } from '../engine/plan-review.js'
import type { ReviewSettings } from '../config/review-settings.js'
import { openGitFileSource } from '../context/git-file-source.js'
import type { GitHubApi } from '../github/client.js'
import { createApiFileSource } from '../github/file-contents.js'
import type { PullRequestInfo } from '../types.js'

const SHORT_SHA = 12

/** The step that gives the action a checkout it can use, for the summary's "how to enable" line. */
export const CHECKOUT_HINT =
  'add `actions/checkout` with `ref: ${{ github.event.pull_request.head.sha }}`, `fetch-depth: 1` and ' +
  '`persist-credentials: false` before this action on `pull_request` (never check out a fork’s head on ' +
  '`pull_request_target`; see the README)'

/** The workspace's repository as a source of the head's files, or why it cannot be one. */
export async function openWorkspaceSource(options: {
  readonly workspace: string
  readonly headSha: string
  readonly log?: (message: string) => void
}): Promise<{ ok: true; files: ContextFiles } | { ok: false; reason: string }> {
  if (options.workspace === '') return { ok: false, reason: 'GITHUB_WORKSPACE is not set' }
  const short = options.headSha.slice(0, SHORT_SHA)
  const log = options.log === undefined ? {} : { log: options.log }
  const atHead = await openGitFileSource({ cwd: options.workspace, headSha: options.headSha, kind: 'checkout', ...log })
  if (atHead.ok) {
    return {
      ok: true,
      files: { source: atHead.source, kind: 'checkout', description: `the workspace's checkout of ${short}` }
    }
  }
  // Not at the head: usable only if the head commit itself is in the repository (a checkout with history).
  const withHead = await openGitFileSource({ cwd: options.workspace, headSha: options.headSha, kind: 'git', ...log })
  if (withHead.ok) {
    return {
      ok: true,
      files: {
        source: withHead.source,
        kind: 'git',
        description: `the head commit ${short} in the workspace's repository (${atHead.reason})`
      }
    }
  }
  const other = atHead.reason.startsWith('checkout is at another commit')
  return { ok: false, reason: other ? `the ${atHead.reason} without the head commit in its history` : atHead.reason }
}

/** The files of the pull request's head for context: the workspace when it holds the head, else the API. */
export async function openActionContextFiles(options: {
  readonly workspace: string
  readonly pullRequest: Pick<PullRequestInfo, 'owner' | 'repo' | 'headSha'>
  readonly github: GitHubApi
  readonly logger: Pick<Logger, 'info' | 'debug'>
}): Promise<ContextFiles> {
  const { pullRequest, logger } = options
  const workspace = await openWorkspaceSource({
    workspace: options.workspace,
    headSha: pullRequest.headSha,
    log: logger.debug
  })
  if (workspace.ok) {
    logger.info(`Context: reading files from ${workspace.files.description}; no API calls.`)
    return workspace.files
  }
  const short = pullRequest.headSha.slice(0, SHORT_SHA)
  logger.info(
    `Context: the workspace does not hold the head (${workspace.reason}); reading files through the GitHub API.`
  )
  // The base repository serves a fork's head commit too (GitHub keeps it under refs/pull/N/head).
  const source = createApiFileSource(options.github, {
    owner: pullRequest.owner,
    repo: pullRequest.repo,
    sha: pullRequest.headSha,
    log: logger.info
  })
  return {
    source,
    kind: 'api',
    description: `the GitHub API at ${short}`,
    apiCalls: () => source.apiCalls,
    noCrossFile: { reason: `no checkout of the head in the workspace: ${workspace.reason}`, howToEnable: CHECKOUT_HINT }
  }
}

/** The context stage of the action: opens the files (only when context is on and there is a chunk) and gathers. */
export async function gatherActionContext(options: {
  readonly planned: PlannedReview
  readonly settings: Pick<ReviewSettings, 'contextTokens'>
  readonly workspace: string
  readonly pullRequest: Pick<PullRequestInfo, 'owner' | 'repo' | 'headSha'>
  readonly github: GitHubApi
  readonly logger: Logger
}): Promise<PlannedReview> {
  const { planned, settings, logger } = options
  if (settings.contextTokens === 0 || planned.prepared.plan.chunks.length === 0) return planned
  try {
    const files = await openActionContextFiles(options)
    return await gatherReviewContext(planned, { settings, files, logger })
  } catch (error: unknown) {
    // Context helps the review; it never stops it.
    logger.warning(`Context could not be gathered (${getErrorMessage(error)}); reviewing the diff without it.`)
    return planned
  }
}
