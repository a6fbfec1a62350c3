/**
 * Replies in review threads (issue 13): a `pull_request_review_comment` event (action `created`) whose comment
 * answers another (`in_reply_to_id`). Pure: the payload is untrusted JSON, read defensively. Whether the thread is
 * the action's, whether the person may ask and whether the reply was answered already are checked through the API
 * afterwards (action/answer-reply.ts), never from the payload.
 */
import { asRecord, type EventContext } from './event-payload.js'
import type { PullRequestRef } from '../types.js'

/** The event that carries replies in review threads. */
export const REVIEW_COMMENT_EVENT = 'pull_request_review_comment'

/** A reply to answer, as the payload describes it. */
export interface ReplyTarget {
  readonly kind: 'reply'
  readonly ref: PullRequestRef
  /** The pull request comes from a fork: the workflow has a read-only token and no secrets. */
  readonly fromFork: boolean
  readonly reply: {
    /** REST id of the reply. */
    readonly id: number
    /** REST id of the comment it replies to: the thread's first comment. */
    readonly inReplyToId: number
    readonly body: string
    readonly path: string
    /** The diff hunk GitHub shows above the thread ('' when absent). */
    readonly diffHunk: string
    readonly author: { readonly login: string; readonly id: number | null; readonly type: string | null }
  }
}

const positiveInteger = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined

/** Decides whether the event is a new reply in a review thread; otherwise why it is ignored. */
export function resolveReplyEvent(
  context: EventContext
): ReplyTarget | { readonly kind: 'skip'; readonly reason: string } {
  const [owner, repo] = context.repository.split('/')
  if (owner === undefined || repo === undefined || owner === '' || repo === '') {
    return { kind: 'skip', reason: `GITHUB_REPOSITORY is "${context.repository}", expected "owner/repo".` }
  }
  const payload = asRecord(context.payload)
  if (payload.action !== 'created') {
    return {
      kind: 'skip',
      reason: `Review comment action "${String(payload.action)}" is ignored: only new replies are answered.`
    }
  }
  const comment = asRecord(payload.comment)
  const pull = asRecord(payload.pull_request)
  const id = positiveInteger(comment.id)
  const inReplyToId = positiveInteger(comment.in_reply_to_id)
  const pullNumber = positiveInteger(pull.number)
  const user = asRecord(comment.user)
  const login = typeof user.login === 'string' ? user.login : ''
  if (id === undefined || pullNumber === undefined || login === '') {
    return { kind: 'skip', reason: 'The pull_request_review_comment payload has no comment, pull request or author.' }
  }
  if (inReplyToId === undefined) {
    return { kind: 'skip', reason: 'Ignored: the comment starts a new thread; only replies in threads are answered.' }
  }
  const headRepo = asRecord(asRecord(pull.head).repo).full_name
  const baseRepo = asRecord(asRecord(pull.base).repo).full_name
  return {
    kind: 'reply',
    ref: { owner, repo, pullNumber },
    // A deleted fork leaves head.repo null: treat it as a fork, its token is read-only all the same.
    fromFork: typeof headRepo !== 'string' || (typeof baseRepo === 'string' && headRepo !== baseRepo),
    reply: {
      id,
      inReplyToId,
      body: typeof comment.body === 'string' ? comment.body : '',
      path: typeof comment.path === 'string' ? comment.path : '',
      diffHunk: typeof comment.diff_hunk === 'string' ? comment.diff_hunk : '',
      author: {
        login,
        id: positiveInteger(user.id) ?? null,
        type: typeof user.type === 'string' ? user.type : null
      }
    }
  }
}
