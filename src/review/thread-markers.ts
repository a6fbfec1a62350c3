/**
 * The hidden markers that end the action's replies in its own review threads: an answer to a person's reply
 * (naming the reply it answers, so a re-run never answers it twice, and whether it accepted a dismissal), and
 * the note that settles a thread (fixed, the code removed, or dismissed by a 👎). Later runs read them to count
 * answers, find dismissals and tell a thread the action resolved as fixed. Rendering and reading live together
 * so the two cannot drift apart. Only comments by the action's own identity are read: a marker copied into
 * someone else's comment means nothing, and model text cannot carry one (the sanitizer breaks `<!--`).
 */

/** How the action settled a thread: the code was fixed, the code was removed, or a person dismissed the finding. */
export const SETTLED_KINDS = ['fixed', 'removed', 'dismissed'] as const
export type SettledKind = (typeof SETTLED_KINDS)[number]

const ANSWER_PATTERN = /<!-- codex-pr-review:answer to=(\d{1,16}) dismissed=(yes|no) -->/
const SETTLED_PATTERN = /<!-- codex-pr-review:settled as=([a-z]+) -->/

/** What an answer of ours says about itself. */
export interface AnswerMarker {
  /** REST id of the reply it answers. */
  readonly to: number
  /** The answer accepted the reply as a dismissal of the finding. */
  readonly dismissed: boolean
}

/** `<!-- codex-pr-review:answer to=<reply id> dismissed=<yes|no> -->` */
export function renderAnswerMarker(marker: AnswerMarker): string {
  return `<!-- codex-pr-review:answer to=${marker.to} dismissed=${marker.dismissed ? 'yes' : 'no'} -->`
}

/** The answer marker of a comment body; undefined when there is none. */
export function parseAnswerMarker(body: string): AnswerMarker | undefined {
  const match = ANSWER_PATTERN.exec(body)
  const to = Number(match?.[1])
  if (match === null || !Number.isSafeInteger(to) || to < 1) return undefined
  return { to, dismissed: match[2] === 'yes' }
}

/** `<!-- codex-pr-review:settled as=<kind> -->` */
export function renderSettledMarker(kind: SettledKind): string {
  return `<!-- codex-pr-review:settled as=${kind} -->`
}

/** How a comment body says the action settled its thread; undefined when it does not. */
export function parseSettledMarker(body: string): SettledKind | undefined {
  const kind = SETTLED_PATTERN.exec(body)?.[1]
  return SETTLED_KINDS.find((known) => known === kind)
}
