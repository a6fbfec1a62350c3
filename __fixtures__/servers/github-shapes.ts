/**
 * The fake GitHub's stored objects and the JSON it answers with: the fields of GitHub's REST shapes the
 * action reads, with GitHub's names.
 */

import type { FakeDiffFile } from './diff-hunks.js'

export interface FakePull {
  number: number
  title: string
  body: string | null
  headSha: string
  baseSha: string
  headRef: string
  baseRef: string
  draft?: boolean
  author?: string
  labels?: string[]
  /** `owner/repo` of the head; differs for forks; null for a deleted fork. Defaults to the base repo. */
  headRepo?: string | null
  /** Unified git diff of the PR. */
  diff: string
  /** Files for which listFiles omits `patch`, as GitHub does for very large diffs. */
  noPatchFor?: string[]
}

export interface GitHubUser {
  /** REST spelling: bots end in `[bot]` (`github-actions[bot]`); GraphQL's Bot.login drops the suffix. */
  login: string
  type: 'Bot' | 'User'
  /** Numeric id (REST `id`, GraphQL `databaseId`); derived from the login when not given. */
  id?: number
}

export interface StoredReviewComment {
  id: number
  reviewId: number
  pullNumber: number
  path: string
  line: number
  side: 'LEFT' | 'RIGHT'
  startLine: number | null
  startSide: 'LEFT' | 'RIGHT' | null
  body: string
  commitId: string
  /** Who wrote it; defaults to the workflow token's bot. */
  user?: GitHubUser
  /** The thread's first comment, when this is a reply (REST `in_reply_to_id`). */
  inReplyToId?: number
  createdAt?: string
}

export interface StoredReview {
  id: number
  pullNumber: number
  state: 'COMMENTED' | 'CHANGES_REQUESTED' | 'PENDING'
  body: string
  commitId: string
  user: GitHubUser
  comments: StoredReviewComment[]
}

export interface StoredComment {
  id: number
  pullNumber: number
  body: string
  user: GitHubUser
  createdAt: string
  updatedAt: string
}

/** The identity GITHUB_TOKEN acts as (its real REST id). */
export const ACTIONS_BOT: GitHubUser = { login: 'github-actions[bot]', type: 'Bot', id: 41898282 }

/** A user's numeric id: the one given, else a stable number derived from the login (distinct logins, distinct ids). */
export function userIdOf(user: GitHubUser): number {
  if (user.id !== undefined) return user.id
  if (user.login === ACTIONS_BOT.login) return 41898282
  let hash = 2166136261
  for (const char of user.login.toLowerCase()) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0
  return 1_000_000 + (hash % 90_000_000)
}

export function userJson(user: GitHubUser) {
  return { login: user.login, id: userIdOf(user), type: user.type }
}

export function pullJson(options: { owner: string; repo: string; pull: FakePull; files: readonly FakeDiffFile[] }) {
  const { owner, repo, pull, files } = options
  const headRepo = pull.headRepo === undefined ? `${owner}/${repo}` : pull.headRepo
  const branch = (ref: string, sha: string, fullName: string | null) => ({
    label: `${(fullName ?? 'unknown').split('/')[0]}:${ref}`,
    ref,
    sha,
    repo:
      fullName === null
        ? null
        : { full_name: fullName, name: fullName.split('/')[1], owner: { login: fullName.split('/')[0] } }
  })
  return {
    id: 100_000 + pull.number,
    number: pull.number,
    state: 'open',
    title: pull.title,
    body: pull.body,
    draft: pull.draft ?? false,
    user: userJson({ login: pull.author ?? 'octocat', type: 'User' }),
    labels: (pull.labels ?? []).map((name, index) => ({ id: index + 1, name, color: 'ededed' })),
    head: branch(pull.headRef, pull.headSha, headRepo),
    base: branch(pull.baseRef, pull.baseSha, `${owner}/${repo}`),
    html_url: `https://github.com/${owner}/${repo}/pull/${pull.number}`,
    changed_files: files.length,
    additions: files.reduce((sum, file) => sum + file.additions, 0),
    deletions: files.reduce((sum, file) => sum + file.deletions, 0)
  }
}

export function fileJson(pull: FakePull, file: FakeDiffFile, index: number) {
  const withPatch = !file.binary && file.patch !== '' && !(pull.noPatchFor ?? []).includes(file.filename)
  return {
    sha: (index + 1).toString(16).padStart(40, '0'),
    filename: file.filename,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    changes: file.additions + file.deletions,
    ...(file.previousFilename === undefined ? {} : { previous_filename: file.previousFilename }),
    ...(withPatch ? { patch: file.patch } : {})
  }
}

export function reviewJson(review: StoredReview) {
  return {
    id: review.id,
    user: userJson(review.user),
    body: review.body,
    state: review.state,
    commit_id: review.commitId,
    ...(review.state === 'PENDING' ? {} : { submitted_at: '2026-01-01T00:00:00Z' })
  }
}

/** GitHub's opaque node id of a review comment (`PRRC_…`); the thread's is `PRRT_…` (github-threads.ts). */
export function reviewCommentNodeId(id: number): string {
  return `PRRC_${Buffer.from(`comment:${id}`).toString('base64url')}`
}

export function reviewCommentJson(comment: StoredReviewComment) {
  return {
    id: comment.id,
    node_id: reviewCommentNodeId(comment.id),
    ...(comment.inReplyToId === undefined ? {} : { in_reply_to_id: comment.inReplyToId }),
    pull_request_review_id: comment.reviewId,
    path: comment.path,
    line: comment.line,
    side: comment.side,
    start_line: comment.startLine,
    start_side: comment.startSide,
    body: comment.body,
    commit_id: comment.commitId,
    user: userJson(comment.user ?? ACTIONS_BOT),
    created_at: comment.createdAt ?? '2026-01-01T00:00:00Z'
  }
}

export function issueCommentJson(comment: StoredComment) {
  return {
    id: comment.id,
    body: comment.body,
    user: userJson(comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt
  }
}

/** Who a token acts as and what it may do. */
export interface FakeTokenGrant {
  /** REST spelling of the identity: `github-actions[bot]`, `my-app[bot]`, `octocat`. */
  user: GitHubUser
  /**
   * `installation`: GITHUB_TOKEN or a GitHub App's installation token (REST `GET /user` answers 403 "Resource not
   * accessible by integration"); `personal`: a personal access token.
   */
  kind: 'installation' | 'personal'
  /** `read` refuses writes to pull requests and their comments: REST 403, GraphQL FORBIDDEN. */
  pullRequests: 'read' | 'write'
  /**
   * The `contents` permission; absent means `write`. GitHub gates `resolveReviewThread` and `unresolveReviewThread`
   * on it, not on `pull-requests` (community discussion 44650, github/gh-aw#35726): with `read` they answer
   * FORBIDDEN while replying in the same thread works.
   */
  contents?: 'read' | 'write'
}

/** The workflow's GITHUB_TOKEN with `pull-requests: write`. */
export const GITHUB_TOKEN_GRANT: FakeTokenGrant = { user: ACTIONS_BOT, kind: 'installation', pullRequests: 'write' }

/** A GitHub App's installation token: it posts as `<slug>[bot]`. */
export function appTokenGrant(
  slug: string,
  options: { id?: number; pullRequests?: 'read' | 'write' } = {}
): FakeTokenGrant {
  const user: GitHubUser = {
    login: `${slug}[bot]`,
    type: 'Bot',
    ...(options.id === undefined ? {} : { id: options.id })
  }
  return { user, kind: 'installation', pullRequests: options.pullRequests ?? 'write' }
}

/** A personal access token of `login`. */
export function personalTokenGrant(
  login: string,
  options: { id?: number; pullRequests?: 'read' | 'write' } = {}
): FakeTokenGrant {
  const user: GitHubUser = { login, type: 'User', ...(options.id === undefined ? {} : { id: options.id }) }
  return { user, kind: 'personal', pullRequests: options.pullRequests ?? 'write' }
}

/** GitHub's words when a token lacks a permission (REST 403 message, GraphQL FORBIDDEN message). */
export function notAccessibleMessage(grant: FakeTokenGrant): string {
  return grant.kind === 'installation'
    ? 'Resource not accessible by integration'
    : 'Resource not accessible by personal access token'
}
