/**
 * On-demand reviews: an `issue_comment` on a pull request whose body starts with `/review` (or
 * `/review full`). Pure: the payload is untrusted JSON, read defensively. Whether the commenter may ask
 * is checked through the API afterwards (action/on-demand.ts), never from the payload.
 */
import { asRecord, type EventContext, type ReviewTarget } from './event-payload.js'

/** The command word; `/review full` asks for a full review instead of an incremental one. */
export const REVIEW_COMMAND = '/review'

/** `{ full }` when the comment is a review command, undefined otherwise. Only the first line counts. */
export function parseReviewCommand(body: string): { readonly full: boolean } | undefined {
  const firstLine = body.trimStart().split(/\r?\n/, 1)[0] ?? ''
  const [command, argument] = firstLine.trim().split(/\s+/)
  if (command !== REVIEW_COMMAND) return undefined
  return { full: argument?.toLowerCase() === 'full' }
}

/** Decides whether an `issue_comment` event asks for a review, and by whom. */
export function resolveIssueCommentEvent(
  context: EventContext,
  repository: { readonly owner: string; readonly repo: string }
): ReviewTarget {
  const payload = asRecord(context.payload)
  const issue = asRecord(payload.issue)
  const comment = asRecord(payload.comment)
  if (payload.action !== 'created') {
    return {
      kind: 'skip',
      reason: `Comment action "${String(payload.action)}" is ignored: only new comments can ask for a review.`
    }
  }
  if (typeof issue.pull_request !== 'object' || issue.pull_request === null) {
    return { kind: 'skip', reason: 'Ignored: the comment is on an issue, not on a pull request.' }
  }
  const command = parseReviewCommand(typeof comment.body === 'string' ? comment.body : '')
  if (command === undefined) {
    return { kind: 'skip', reason: `Ignored: the comment does not start with ${REVIEW_COMMAND}.` }
  }
  const pullNumber = typeof issue.number === 'number' ? issue.number : Number.NaN
  const requestedBy = asRecord(comment.user).login
  if (!Number.isSafeInteger(pullNumber) || pullNumber < 1 || typeof requestedBy !== 'string' || requestedBy === '') {
    return { kind: 'skip', reason: 'The issue_comment payload has no pull request number or no commenter.' }
  }
  const author = asRecord(issue.user).login
  return {
    kind: 'review',
    ref: { ...repository, pullNumber },
    // issue_comment runs in the base repository with its token and secrets, whoever opened the PR.
    fromFork: false,
    requestedBy,
    fullReview: command.full,
    ...(typeof author === 'string' ? { author } : {})
  }
}
