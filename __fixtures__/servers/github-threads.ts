/**
 * Review threads in the fake GitHub, as GitHub models them: a thread is a top-level review comment plus the
 * comments that reply to it (`in_reply_to_id`). REST lists them all as flat review comments; GraphQL also knows
 * whether a thread is resolved and by whom, and the reactions on each comment. Shared by the REST routes, the
 * GraphQL resolvers and the test helpers, so state written through one is seen through the others.
 */

import { bodyTooLong, unprocessable, MAX_BODY_CHARS, type RuleReply } from './github-review-rules.js'
import type { GitHubUser, StoredReview, StoredReviewComment } from './github-shapes.js'

export type ReactionContent =
  'THUMBS_UP' | 'THUMBS_DOWN' | 'LAUGH' | 'HOORAY' | 'CONFUSED' | 'HEART' | 'ROCKET' | 'EYES'

/** GraphQL `reactionGroups` lists every content, in this order, with zero counts included. */
export const REACTION_CONTENTS: readonly ReactionContent[] = [
  'THUMBS_UP',
  'THUMBS_DOWN',
  'LAUGH',
  'HOORAY',
  'CONFUSED',
  'HEART',
  'ROCKET',
  'EYES'
]

export interface StoredReaction {
  commentId: number
  content: ReactionContent
  user: GitHubUser
  createdAt: string
}

export interface ThreadState {
  /** Who resolved the thread; null while it is open. */
  resolvedBy: GitHubUser | null
}

/** The parts of the fake's state threads live in. */
export interface ThreadWorld {
  reviewComments: StoredReviewComment[]
  reviews: StoredReview[]
  /** Keyed by the id of the thread's first comment; a thread without an entry is open. */
  threads: Map<number, ThreadState>
  reactions: StoredReaction[]
  nextId(): number
  now(): string
}

/** GitHub's opaque node id of the thread that starts with comment `rootId` (`PRRT_…`). */
export function threadNodeId(rootId: number): string {
  return `PRRT_${Buffer.from(`thread:${rootId}`).toString('base64url')}`
}

/** The comment id a `PRRT_` or `PRRC_` node id stands for, or undefined for anything else. */
export function parseNodeId(nodeId: string): { kind: 'thread' | 'comment'; id: number } | undefined {
  const match = /^(PRRT|PRRC)_([A-Za-z0-9_-]+)$/.exec(nodeId)
  if (match === null) return undefined
  const decoded = /^(thread|comment):(\d+)$/.exec(Buffer.from(match[2] ?? '', 'base64url').toString('utf8'))
  if (decoded === null || (decoded[1] === 'thread') !== (match[1] === 'PRRT')) return undefined
  return { kind: decoded[1] === 'thread' ? 'thread' : 'comment', id: Number(decoded[2]) }
}

/** The first comment of the thread `commentId` belongs to. */
export function rootOf(world: ThreadWorld, commentId: number): StoredReviewComment | undefined {
  let comment = world.reviewComments.find((candidate) => candidate.id === commentId)
  while (comment?.inReplyToId !== undefined) {
    const parent: number = comment.inReplyToId
    comment = world.reviewComments.find((candidate) => candidate.id === parent)
  }
  return comment
}

/** The thread a `PRRT_` node id names, by its first comment. */
export function threadByNodeId(world: ThreadWorld, nodeId: string): StoredReviewComment | undefined {
  const parsed = parseNodeId(nodeId)
  if (parsed?.kind !== 'thread') return undefined
  const root = world.reviewComments.find((candidate) => candidate.id === parsed.id)
  return root?.inReplyToId === undefined ? root : undefined
}

/** A pull request's threads (their first comments), oldest first. Pending reviews' comments are not stored. */
export function threadRoots(world: ThreadWorld, pullNumber: number): StoredReviewComment[] {
  return world.reviewComments.filter(
    (comment) => comment.pullNumber === pullNumber && comment.inReplyToId === undefined
  )
}

/** A thread's comments, first comment first. */
export function threadComments(world: ThreadWorld, root: StoredReviewComment): StoredReviewComment[] {
  return world.reviewComments.filter((comment) => comment.id === root.id || rootOf(world, comment.id)?.id === root.id)
}

export function resolvedByOf(world: ThreadWorld, root: StoredReviewComment): GitHubUser | null {
  return world.threads.get(root.id)?.resolvedBy ?? null
}

/** Resolves (`by` set) or reopens (`by` null) a thread. */
export function setThreadResolved(world: ThreadWorld, root: StoredReviewComment, by: GitHubUser | null): void {
  world.threads.set(root.id, { resolvedBy: by })
}

/**
 * Stores a reply in `root`'s thread, on the same path and lines. Like a reply on github.com outside a pending
 * review, it comes with its own submitted review (state COMMENTED, empty body).
 */
export function addThreadReply(
  world: ThreadWorld,
  options: { root: StoredReviewComment; body: string; user: GitHubUser }
): StoredReviewComment {
  const { root } = options
  const reviewId = world.nextId()
  const reply: StoredReviewComment = {
    ...root,
    id: world.nextId(),
    reviewId,
    body: options.body,
    user: options.user,
    inReplyToId: root.id,
    createdAt: world.now()
  }
  const review = {
    id: reviewId,
    pullNumber: root.pullNumber,
    state: 'COMMENTED' as const,
    body: '',
    commitId: root.commitId
  }
  world.reviews.push({ ...review, user: options.user, comments: [reply] })
  world.reviewComments.push(reply)
  return reply
}

/** Why GitHub would refuse `body` for a review comment, or undefined when it is acceptable. */
export function refuseReplyBody(body: unknown): RuleReply | undefined {
  const text = typeof body === 'object' && body !== null && 'body' in body ? body.body : undefined
  if (typeof text !== 'string' || text === '') {
    return unprocessable(
      [{ resource: 'PullRequestReviewComment', code: 'missing_field', field: 'body' }],
      'Validation Failed'
    )
  }
  return text.length > MAX_BODY_CHARS ? bodyTooLong('PullRequestReviewComment') : undefined
}
