/**
 * How the fake GitHub judges `POST /pulls/{n}/reviews`: the same all-or-nothing rules and 422 messages users
 * report from the real API (one bad comment rejects the whole review; nothing is stored).
 */

import { findHunk, type FakeDiffFile } from './diff-hunks.js'

export interface ReviewCommentRequest {
  path: string
  body: string
  line?: number
  side?: 'LEFT' | 'RIGHT'
  start_line?: number
  start_side?: 'LEFT' | 'RIGHT'
  position?: number
}

export interface ReviewRequest {
  commit_id?: string
  body?: string
  event?: 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT'
  comments?: ReviewCommentRequest[]
}

export interface RuleReply {
  status: number
  json: unknown
}

/** GitHub's limit for review, comment and review-comment bodies. */
export const MAX_BODY_CHARS = 65_536
const DOCS = 'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request'

/** A 422 shaped like GitHub's: `{message, errors, documentation_url, status}`. */
export function unprocessable(errors: unknown[], message = 'Unprocessable Entity'): RuleReply {
  return { status: 422, json: { message, errors, documentation_url: DOCS, status: '422' } }
}

/** GitHub's 422 for a body over 65,536 characters. */
export function bodyTooLong(resource: string): RuleReply {
  return unprocessable(
    [
      { resource, code: 'custom', field: 'body', message: `Body is too long (maximum is ${MAX_BODY_CHARS} characters)` }
    ],
    'Validation Failed'
  )
}

/** The message GitHub gives for one inline comment, or undefined when it would accept it. */
function judgeComment(comment: ReviewCommentRequest, files: readonly FakeDiffFile[]): string | undefined {
  const file = files.find((candidate) => candidate.filename === comment.path)
  if (file === undefined) return 'Pull request review thread path is invalid'
  if (file.hunks.length === 0) return "Pull request review thread diff hunk can't be blank"
  // The fake speaks only the line/side API; the legacy `position` is not modelled.
  if (typeof comment.line !== 'number') return 'Pull request review thread line must be part of the diff'
  const side = comment.side ?? 'RIGHT'
  const hunk = findHunk(file, side, comment.line)
  if (hunk === -1) return 'Pull request review thread line must be part of the diff'
  if (comment.start_line === undefined) return undefined
  const startSide = comment.start_side ?? side
  if (startSide === side && comment.start_line >= comment.line) {
    return 'pull_request_review_thread.start_line must precede the end line.'
  }
  if (findHunk(file, startSide, comment.start_line) !== hunk) {
    return 'Pull request review thread start line must be part of the same hunk as the line.'
  }
  return undefined
}

/**
 * The 422 GitHub would answer `request` with, or undefined when it would create the review. `reviews` are
 * the PR's stored reviews (for the one-pending-review rule).
 */
export function validateReview(options: {
  request: ReviewRequest
  files: readonly FakeDiffFile[]
  headSha: string
  reviews: readonly { state: string }[]
}): RuleReply | undefined {
  const { request } = options
  if (request.event === 'APPROVE') return unprocessable(['GitHub Actions is not permitted to approve pull requests.'])
  if (request.commit_id !== undefined && request.commit_id !== options.headSha) {
    return unprocessable([`No commit found for SHA: ${request.commit_id}`])
  }
  const body = request.body ?? ''
  if ((request.event === 'COMMENT' || request.event === 'REQUEST_CHANGES') && body === '') {
    // Documented requirement; the exact wording GitHub uses here is an approximation.
    return unprocessable([`Body is required for ${request.event} events`])
  }
  if (body.length > MAX_BODY_CHARS) return bodyTooLong('PullRequestReview')
  if (request.event === undefined && options.reviews.some((review) => review.state === 'PENDING')) {
    return unprocessable(['User can only have one pending review per pull request'])
  }
  for (const comment of request.comments ?? []) {
    if (comment.body.length > MAX_BODY_CHARS) return bodyTooLong('PullRequestReviewComment')
    const problem = judgeComment(comment, options.files)
    if (problem !== undefined) return unprocessable([problem])
  }
  return undefined
}
