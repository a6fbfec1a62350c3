/**
 * The action's replies in its own review threads (issue 13): the note that settles a thread (fixed, the code
 * removed, dismissed by a 👎) and the answer to a person's reply. Each ends with a hidden marker
 * (review/thread-markers.ts) so later runs recognise it. Model text is sanitized (no mentions, no raw HTML, no
 * forged markers, bounded); a corrected suggestion is posted as a ```suggestion block only where GitHub can apply
 * it, on a thread that is not outdated.
 */
import { formatCodeSpan, sanitizeBlock, sanitizeLine } from '../markdown/sanitize.js'
import { renderAnswerMarker, renderSettledMarker } from '../review/thread-markers.js'
import { renderSuggestion } from './inline-comment.js'

/** Characters of a SHA shown to readers, as GitHub abbreviates them. */
const SHORT_SHA_CHARS = 7
/** The answer is meant to be short; this bounds what the model may make of it. */
export const MAX_ANSWER_CHARS = 3_000

/** "Fixed in `abc1234`." or "No longer applies: the code was removed.", with the settled marker. */
export function renderFixedReply(options: { readonly kind: 'fixed' | 'removed'; readonly head: string }): string {
  const text =
    options.kind === 'fixed'
      ? `Fixed in ${formatCodeSpan(sanitizeLine(options.head.slice(0, SHORT_SHA_CHARS)))}.`
      : 'No longer applies: the code was removed.'
  return `${text}\n\n${renderSettledMarker(options.kind)}`
}

/** The note on a thread whose finding a 👎 dismissed, saying what it means and how to undo it. */
export function renderDismissedNote(): string {
  return [
    'Dismissed (👎): this finding is not raised again on this pull request and no longer counts for ' +
      '`fail-on-severity`. Reopen this thread to undo that.',
    renderSettledMarker('dismissed')
  ].join('\n\n')
}

/** What an answer to a reply says, as the model wrote it and the action decided. */
export interface AnswerReply {
  /** REST id of the reply answered. */
  readonly replyId: number
  readonly answer: string
  /** Corrected code for the thread's lines, or null. */
  readonly replacement: string | null
  /** The thread points at current code: a suggestion can be applied there. */
  readonly suggestable: boolean
  /** The answer accepted the reply as a dismissal: the thread is resolved with it. */
  readonly dismissed: boolean
}

/** The body of an answer in a thread. */
export function renderAnswerReply(reply: AnswerReply): string {
  const parts = [sanitizeBlock(reply.answer, MAX_ANSWER_CHARS)]
  if (reply.replacement !== null) {
    if (reply.suggestable) {
      const suggestion = renderSuggestion(reply.replacement)
      parts.push(suggestion.ok ? suggestion.markdown : `<sub>Suggested change omitted: ${suggestion.reason}.</sub>`)
    } else {
      parts.push('<sub>Suggested change omitted: the code this thread points at has changed since.</sub>')
    }
  }
  if (reply.dismissed) {
    parts.push(
      '<sub>Dismissed: this finding is not raised again on this pull request and no longer counts for ' +
        '`fail-on-severity`. Reopen this thread to undo that.</sub>'
    )
  }
  parts.push(renderAnswerMarker({ to: reply.replyId, dismissed: reply.dismissed }))
  return parts.filter((part) => part !== '').join('\n\n')
}
