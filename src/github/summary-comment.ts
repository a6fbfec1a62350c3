/**
 * The run's summary lives in ONE issue comment, found again by a hidden marker and edited in place, so
 * re-runs update it instead of piling up comments.
 */

import type { PullRequestRef } from '../types.js'
import type { GitHubApi } from './client.js'
import type { GitHubUserRef } from './identity.js'
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
  /** Whose marked comment may be edited: ours only (see {@link findSummaryComment}). */
  readonly isOurs?: (author: GitHubUserRef) => boolean
}

/** A summary comment found again, with who wrote it. */
export interface FoundSummaryComment {
  readonly id: number
  readonly body: string
  readonly authorLogin?: string
  readonly authorId?: number
}

/**
 * Without a known identity, only a bot's comment can be ours: the action posts as a bot unless given a personal
 * token, and then it knows who it is (src/github/identity.ts).
 */
const AUTHORED_BY_A_BOT = (author: GitHubUserRef): boolean => author.type === 'Bot'

/**
 * The PR's first comment carrying `marker` that is ours (`isOurs`, by default: written by a bot). A comment by
 * anyone else is never returned, whatever it carries: anyone who can comment can paste the marker, and the run
 * would otherwise edit their comment and trust what it says. Null when there is none.
 */
export async function findSummaryComment(
  api: GitHubApi,
  ref: PullRequestRef,
  marker: string,
  options: { readonly isOurs?: (author: GitHubUserRef) => boolean } = {}
): Promise<FoundSummaryComment | null> {
  const isOurs = options.isOurs ?? AUTHORED_BY_A_BOT
  const comments = await api.paginate(api.rest.issues.listComments, {
    owner: ref.owner,
    repo: ref.repo,
    issue_number: ref.pullNumber,
    per_page: COMMENTS_PER_PAGE
  })
  const chosen = comments.find((comment) => {
    const user = comment.user
    if (!(comment.body ?? '').includes(marker) || user === null || user === undefined) return false
    return isOurs({ login: user.login, id: user.id, type: user.type })
  })
  if (chosen === undefined) return null
  const user = chosen.user
  return {
    id: chosen.id,
    body: chosen.body ?? '',
    ...(user?.login === undefined ? {} : { authorLogin: user.login }),
    ...(typeof user?.id === 'number' ? { authorId: user.id } : {})
  }
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
      const stored = await findSummaryComment(api, options.ref, options.marker, ourAuthors(options))
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
    const existing = await findSummaryComment(api, options.ref, options.marker, ourAuthors(options))
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

function ourAuthors(options: UpsertSummaryCommentOptions): { isOurs?: (author: GitHubUserRef) => boolean } {
  return options.isOurs === undefined ? {} : { isOurs: options.isOurs }
}
