/**
 * The run's summary lives in ONE issue comment, found again by a hidden marker and edited in place, so
 * re-runs update it instead of piling up comments.
 */

import type { PullRequestRef } from '../types.js'
import type { GitHubApi } from './client.js'
import { describeGitHubError, isTransientGitHubError, waitAfterFailedWriteMs } from './http-errors.js'
import { fitBody } from './publish-review.js'

const COMMENTS_PER_PAGE = 100
/** Posts of the summary after transient failures: the first and one more. */
const MAX_CREATE_ATTEMPTS = 2

export interface UpsertSummaryCommentOptions {
  readonly ref: PullRequestRef
  /** Hidden HTML comment that identifies the summary; appended to the body when missing. */
  readonly marker: string
  readonly body: string
  /** Waits after a failed post; injectable so tests do not sleep. */
  readonly sleep?: (ms: number) => Promise<void>
}

/**
 * The PR's comment carrying `marker`: the first one by a bot (the action posts as github-actions[bot]),
 * else the first one by anyone. Null when there is none.
 */
export async function findSummaryComment(
  api: GitHubApi,
  ref: PullRequestRef,
  marker: string
): Promise<{ id: number; body: string; authorLogin?: string } | null> {
  const comments = await api.paginate(api.rest.issues.listComments, {
    owner: ref.owner,
    repo: ref.repo,
    issue_number: ref.pullNumber,
    per_page: COMMENTS_PER_PAGE
  })
  const marked = comments.filter((comment) => (comment.body ?? '').includes(marker))
  const chosen = marked.find((comment) => comment.user?.type === 'Bot') ?? marked[0]
  if (chosen === undefined) return null
  const login = chosen.user?.login
  return { id: chosen.id, body: chosen.body ?? '', ...(login === undefined ? {} : { authorLogin: login }) }
}

async function updateComment(api: GitHubApi, ref: PullRequestRef, id: number, body: string): Promise<void> {
  await api.rest.issues.updateComment({ owner: ref.owner, repo: ref.repo, comment_id: id, body })
}

async function createComment(api: GitHubApi, ref: PullRequestRef, body: string): Promise<number> {
  const { data } = await api.rest.issues.createComment({
    owner: ref.owner,
    repo: ref.repo,
    issue_number: ref.pullNumber,
    body,
    // A 5xx may come after GitHub stored the comment: look for it before posting again (below).
    request: { retries: 0 }
  })
  return data.id
}

/**
 * Creates the comment. After a transient failure it waits, THEN looks for the marker (GitHub often lists a
 * comment it stored while answering 5xx only a moment later), and posts once more only when it is not there.
 */
async function createCommentOnce(api: GitHubApi, options: UpsertSummaryCommentOptions, body: string): Promise<number> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  for (let attempt = 1; ; attempt++) {
    try {
      return await createComment(api, options.ref, body)
    } catch (error: unknown) {
      if (!isTransientGitHubError(error)) throw error
      await sleep(waitAfterFailedWriteMs(error, attempt))
      const stored = await findSummaryComment(api, options.ref, options.marker)
      if (stored !== null) return stored.id
      if (attempt >= MAX_CREATE_ATTEMPTS) throw error
    }
  }
}

/**
 * Edits the PR's summary comment (found by `marker` across all pages) or creates it. The body is cut to
 * GitHub's limit, keeping the marker. Throws with GitHub's reason when it cannot.
 */
export async function upsertSummaryComment(
  api: GitHubApi,
  options: UpsertSummaryCommentOptions
): Promise<{ commentId: number; action: 'created' | 'updated' }> {
  const body = fitBody({ text: options.body.split(options.marker).join(''), marker: options.marker })
  try {
    const existing = await findSummaryComment(api, options.ref, options.marker)
    if (existing !== null) {
      await updateComment(api, options.ref, existing.id, body)
      return { commentId: existing.id, action: 'updated' }
    }
    return { commentId: await createCommentOnce(api, options, body), action: 'created' }
  } catch (error: unknown) {
    const action = `writing the summary comment on pull request #${options.ref.pullNumber}`
    throw new Error(describeGitHubError(error, action), { cause: error })
  }
}
