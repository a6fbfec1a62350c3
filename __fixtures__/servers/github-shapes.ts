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
  login: string
  type: 'Bot' | 'User'
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

/** The identity GITHUB_TOKEN acts as. */
export const ACTIONS_BOT: GitHubUser = { login: 'github-actions[bot]', type: 'Bot' }

export function userJson(user: GitHubUser) {
  return { login: user.login, id: user.type === 'Bot' ? 41898282 : 1000 + user.login.length, type: user.type }
}

export function pullJson(options: { owner: string; repo: string; pull: FakePull; files: readonly FakeDiffFile[] }) {
  const { owner, repo, pull, files } = options
  const headRepo = pull.headRepo === undefined ? `${owner}/${repo}` : pull.headRepo
  const branch = (ref: string, sha: string, fullName: string | null) => ({
    label: `${(fullName ?? 'unknown').split('/')[0]}:${ref}`,
    ref,
    sha,
    repo: fullName === null ? null : { full_name: fullName, name: fullName.split('/')[1], owner: { login: fullName.split('/')[0] } }
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

export function reviewCommentJson(comment: StoredReviewComment) {
  return {
    id: comment.id,
    pull_request_review_id: comment.reviewId,
    path: comment.path,
    line: comment.line,
    side: comment.side,
    start_line: comment.startLine,
    start_side: comment.startSide,
    body: comment.body,
    commit_id: comment.commitId,
    user: userJson(comment.user ?? ACTIONS_BOT)
  }
}

export function issueCommentJson(comment: StoredComment) {
  return { id: comment.id, body: comment.body, user: userJson(comment.user), created_at: comment.createdAt, updated_at: comment.updatedAt }
}
