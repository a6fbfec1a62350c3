/**
 * Posts the run's findings as ONE review with event COMMENT. GitHub rejects a whole review for one bad
 * comment (422), and a review POST that failed on the wire may still have been stored: both are handled
 * here so a review is neither lost nor posted twice.
 */

import { MAX_PATH_CHARS } from '../markdown/limits.js'
import { formatCodeSpan, sanitizeLine } from '../markdown/sanitize.js'
import type { PullRequestRef, ReviewComment } from '../types.js'
import type { GitHubApi } from './client.js'
import { describeGitHubError, isTransientGitHubError, statusOf, waitAfterFailedWriteMs } from './http-errors.js'

/** GitHub's maximum for a review, comment or review-comment body (422 "Body is too long"). */
export const MAX_BODY_CHARS = 65_536
const TRUNCATION_NOTE = "\n\n… (truncated to fit GitHub's 65,536-character limit)"

/** Start of the hidden marker that identifies a review posted by this action. */
export const REVIEW_MARKER_PREFIX = '<!-- codex-pr-review:review'

/** Tries of one payload when GitHub fails transiently (5xx, network, secondary limit). */
const MAX_CREATE_ATTEMPTS = 3
const UNPROCESSABLE = 422

/**
 * `text` (plus `marker` at the end, when given) in fewer than MAX_BODY_CHARS characters: cut with a note when
 * longer, keeping the marker so the body can still be found.
 */
export function fitBody(options: { readonly text: string; readonly marker?: string }): string {
  const suffix = options.marker === undefined ? '' : `\n\n${options.marker}`
  const limit = MAX_BODY_CHARS - 1 - suffix.length
  if (options.text.length <= limit) return `${options.text}${suffix}`
  return `${options.text.slice(0, limit - TRUNCATION_NOTE.length)}${TRUNCATION_NOTE}${suffix}`
}

/** The marker for one run: an HTML comment GitHub does not render. `runId` is reduced to safe characters. */
export function createRunMarker(runId: string): string {
  return `${REVIEW_MARKER_PREFIX} run=${runId.replace(/[^A-Za-z0-9._:-]/g, '_')} -->`
}

export interface PublishReviewOptions {
  readonly ref: PullRequestRef
  /** The head SHA that was reviewed: comments anchor to this commit's diff. */
  readonly commitId: string
  readonly body: string
  readonly comments: readonly ReviewComment[]
  /** Hidden HTML comment unique to this run; put in the body so a stored review can be recognised. */
  readonly runMarker: string
  readonly log?: (message: string) => void
  /** Waits between attempts; injectable so tests do not sleep. */
  readonly sleep?: (ms: number) => Promise<void>
}

export interface PublishReviewResult {
  readonly reviewId: number | null
  readonly postedInline: number
  /** The inline comments were refused (422) and the review was posted with them listed in its body. */
  readonly fallback?: 'without-inline'
  /** What went wrong, when something did (also set when the fallback succeeded). */
  readonly error?: string
  /** Comments that ended up in the review body instead of inline. */
  readonly movedToBody: readonly ReviewComment[]
}

interface ReviewPayload {
  readonly body: string
  readonly comments: readonly ReviewComment[]
}

type PostOutcome = { readonly ok: true; readonly reviewId: number } | { readonly ok: false; readonly error: unknown }

function toApiComment(comment: ReviewComment) {
  const range =
    comment.startLine !== undefined && comment.startLine !== comment.line
      ? { start_line: comment.startLine, start_side: comment.startSide ?? comment.side }
      : {}
  return { path: comment.path, line: comment.line, side: comment.side, ...range, body: fitBody({ text: comment.body }) }
}

/**
 * `path:line` as a code span. The path comes from the diff, so anyone who can push may choose it: it is
 * sanitised like every path in the summary (no mention, no HTML comment, one line) and fenced by a
 * delimiter no backtick run in it can close.
 */
function describeRange(comment: ReviewComment): string {
  const ranged = comment.startLine !== undefined && comment.startLine !== comment.line
  const lines = ranged ? `${comment.startLine}-${comment.line}` : `${comment.line}`
  return formatCodeSpan(`${sanitizeLine(comment.path, MAX_PATH_CHARS)}:${lines}`)
}

/** One list item per comment; continuation lines indented so code fences stay inside the item. */
function renderMovedComment(comment: ReviewComment): string {
  const [first = '', ...rest] = comment.body.split('\n')
  const continuation = rest.map((line) => (line === '' ? '' : `  ${line}`))
  return [`- **${describeRange(comment)}** — ${first}`, ...continuation].join('\n')
}

/** The review body with the refused comments appended as a list, as many as fit under the limit. */
export function buildFallbackBody(options: {
  readonly body: string
  readonly comments: readonly ReviewComment[]
  readonly runMarker: string
}): string {
  const heading =
    '\n\n### Comments that could not be placed inline\n\nGitHub refused them as inline comments, so they are listed here.\n'
  const budget = MAX_BODY_CHARS - 1 - options.runMarker.length - 200
  let text = `${options.body.split(options.runMarker).join('')}${heading}`
  let listed = 0
  for (const comment of options.comments) {
    const item = `\n${renderMovedComment(comment)}\n`
    if (text.length + item.length > budget) break
    text += item
    listed++
  }
  const omitted = options.comments.length - listed
  if (omitted > 0) text += `\n… and ${omitted} more (the review body limit was reached).\n`
  return fitBody({ text, marker: options.runMarker })
}

/** The id of a review on the PR whose body carries `marker`, or null. */
async function findReviewByMarker(api: GitHubApi, ref: PullRequestRef, marker: string): Promise<number | null> {
  const reviews = await api.paginate(api.rest.pulls.listReviews, {
    owner: ref.owner,
    repo: ref.repo,
    pull_number: ref.pullNumber,
    per_page: 100
  })
  return reviews.find((review) => (review.body ?? '').includes(marker))?.id ?? null
}

/**
 * Creates the review, retrying transient failures. After a failure (a 422 too, which some reports say can
 * leave a review behind) it waits, THEN looks for the run marker, and posts again only when the review is
 * not there: GitHub often lists a review it stored while answering 5xx only a moment later.
 */
async function postReview(api: GitHubApi, options: PublishReviewOptions, payload: ReviewPayload): Promise<PostOutcome> {
  const { ref, log } = options
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  for (let attempt = 1; ; attempt++) {
    try {
      const { data } = await api.rest.pulls.createReview({
        owner: ref.owner,
        repo: ref.repo,
        pull_number: ref.pullNumber,
        commit_id: options.commitId,
        // Hard-coded: the review is advice, never an approval or a block, whatever the findings say.
        event: 'COMMENT',
        body: payload.body,
        comments: payload.comments.map(toApiComment),
        // Never let the retry plugin repeat this POST: a 5xx may come after GitHub stored the review.
        request: { retries: 0 }
      })
      return { ok: true, reviewId: data.id }
    } catch (error: unknown) {
      const transient = isTransientGitHubError(error)
      if (!transient && statusOf(error) !== UNPROCESSABLE) return { ok: false, error }
      log?.(describeGitHubError(error, 'creating the review'))
      await sleep(waitAfterFailedWriteMs(error, attempt))
      let found: number | null
      try {
        found = await findReviewByMarker(api, ref, options.runMarker)
      } catch (listError: unknown) {
        // Unknown whether it was stored: a missing review beats a duplicate one here.
        log?.(describeGitHubError(listError, 'checking whether the review was stored'))
        return { ok: false, error }
      }
      if (found !== null) {
        log?.(`The review was stored despite the error (review ${found}); not posting it again`)
        return { ok: true, reviewId: found }
      }
      if (!transient || attempt >= MAX_CREATE_ATTEMPTS) return { ok: false, error }
    }
  }
}

/**
 * Posts ONE review (event COMMENT) pinned to `commitId`. On a 422 with inline comments, posts once more without
 * them, listed in the body. Never throws for GitHub failures: `reviewId` null and `error` say what happened.
 */
export async function publishReview(api: GitHubApi, options: PublishReviewOptions): Promise<PublishReviewResult> {
  const body = fitBody({ text: options.body.split(options.runMarker).join(''), marker: options.runMarker })
  const first = await postReview(api, options, { body, comments: options.comments })
  if (first.ok) return { reviewId: first.reviewId, postedInline: options.comments.length, movedToBody: [] }

  const firstError = describeGitHubError(first.error, 'creating the review')
  if (statusOf(first.error) !== UNPROCESSABLE || options.comments.length === 0) {
    return { reviewId: null, postedInline: 0, error: firstError, movedToBody: [] }
  }
  options.log?.(`Retrying the review without its ${options.comments.length} inline comments, listed in the body`)
  const fallbackBody = buildFallbackBody({
    body: options.body,
    comments: options.comments,
    runMarker: options.runMarker
  })
  const second = await postReview(api, options, { body: fallbackBody, comments: [] })
  const fallback = 'without-inline'
  if (second.ok) {
    return { reviewId: second.reviewId, postedInline: 0, fallback, error: firstError, movedToBody: options.comments }
  }
  const secondError = describeGitHubError(second.error, 'creating the review without inline comments')
  return { reviewId: null, postedInline: 0, fallback, error: `${firstError}; then ${secondError}`, movedToBody: [] }
}
