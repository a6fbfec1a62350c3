/**
 * What an answer request shows of a thread (issue 13): the conversation up to the reply being answered, with the
 * action's own comments marked as the reviewer's and stripped of hidden markers, and the code the thread points
 * at with its context. Pure.
 */
import { isAuthoredBy, type GitHubIdentity } from '../github/identity.js'
import type { ReviewThread } from '../github/review-threads.js'
import type { ConversationEntry, ThreadCode } from '../model/thread-answer.js'

/** Lines shown above and below the thread's lines: enough for the enclosing statement or a short function. */
export const CONTEXT_LINES = 20
/** The author name the request gives the action's own comments. */
export const REVIEWER = 'reviewer'

const HIDDEN_MARKER = /<!-- codex-pr-review:[^>]*-->/g

/** A comment body without our hidden markers (the model needs the words, not the bookkeeping). */
export function stripHiddenMarkers(body: string): string {
  return body.replace(HIDDEN_MARKER, '').trim()
}

/**
 * The thread's comments up to and including the reply (by REST id), oldest first. When GitHub does not list the
 * reply yet (a read right after the webhook), it is added from the event.
 */
export function conversationOf(options: {
  readonly thread: ReviewThread
  readonly identity: GitHubIdentity
  readonly reply: { readonly id: number; readonly body: string; readonly login: string }
}): ConversationEntry[] {
  const { thread, identity, reply } = options
  const index = thread.comments.findIndex((comment) => comment.databaseId === reply.id)
  const before = index === -1 ? thread.comments : thread.comments.slice(0, index + 1)
  const entries = before.map((comment) => {
    const ours = isAuthoredBy(identity, {
      login: comment.authorLogin,
      id: comment.authorId ?? null,
      type: comment.authorIsBot ? 'Bot' : 'User'
    })
    return {
      author: ours ? REVIEWER : comment.authorLogin,
      text: ours ? stripHiddenMarkers(comment.body) : comment.body
    }
  })
  return index === -1 ? [...entries, { author: reply.login, text: reply.body }] : entries
}

/** Lines `from`..`to` of `text` (1-based, clamped), each prefixed with its number. */
export function numberedExcerpt(text: string, range: { readonly from: number; readonly to: number }): string {
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  const first = Math.max(1, range.from)
  const last = Math.min(lines.length, range.to)
  const width = String(last).length
  return lines
    .slice(first - 1, last)
    .map((line, offset) => `${String(first + offset).padStart(width)} ${line}`)
    .join('\n')
}

/**
 * The code the thread points at: the head's file around the thread's lines when the thread is current and the
 * file could be read, else the diff hunk the comment was written on (marked outdated when it is).
 */
export function threadCode(options: {
  readonly thread: Pick<ReviewThread, 'path' | 'line' | 'startLine' | 'isOutdated'>
  /** The file at the head, when it could be read. */
  readonly fileText?: string
  readonly diffHunk: string
}): ThreadCode {
  const { thread } = options
  if (!thread.isOutdated && thread.line !== null && options.fileText !== undefined) {
    const from = (thread.startLine ?? thread.line) - CONTEXT_LINES
    const text = numberedExcerpt(options.fileText, { from, to: thread.line + CONTEXT_LINES })
    if (text !== '') return { path: thread.path, form: 'lines', text, outdated: false }
  }
  return { path: thread.path, form: 'diff-hunk', text: options.diffHunk, outdated: thread.isOutdated }
}
