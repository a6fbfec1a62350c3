/**
 * A pull request's review threads through GraphQL, which (unlike REST) knows whether a thread is resolved and by
 * whom, and counts reactions: what resolving fixed findings, answering replies and remembering dismissals need.
 * GitHub's shapes are turned into plain ones here: numeric ids, REST spelling of logins, 👎 counts.
 */

import type { PullRequestRef } from '../types.js'
import type { GitHubApi } from './client.js'
import { requestGraphQL } from './graphql.js'
import { fitBody } from './publish-review.js'

/** Connections allow at most 100 per page; a page of threads costs one point whatever its size. */
const THREADS_PER_PAGE = 100
/**
 * Most threads hold a handful of comments; 50 per thread keeps a page of 100 threads at 5,100 nodes (GitHub's limit
 * is 500,000) and its response small. Longer threads are read on with further pages of 100.
 */
const COMMENTS_PER_THREAD = 50
const MORE_COMMENTS_PER_PAGE = 100
const WRITE_HINT = 'the token needs `pull-requests: write`; add it to the workflow’s `permissions`'
/**
 * GitHub gates resolving on `contents`, not only `pull-requests`: an installation token (GITHUB_TOKEN, an app's)
 * with `pull-requests: write` and `contents: read` may reply in a thread but not resolve it (community discussion
 * 44650; github/gh-aw#35726 measured both grants).
 */
const RESOLVE_HINT =
  'resolving review threads needs `pull-requests: write` and `contents: write` (GitHub requires both for ' +
  'GITHUB_TOKEN and app tokens); add them to the workflow’s `permissions`'
/** GitHub shows a deleted account as this user. */
const GHOST_LOGIN = 'ghost'

export interface ReviewThreadComment {
  /** GraphQL node id (`PRRC_…`). */
  readonly id: string
  /** REST id of the comment (`in_reply_to_id`, `/pulls/comments/{id}`). */
  readonly databaseId: number
  readonly body: string
  /** REST spelling: `github-actions[bot]` for a bot; `ghost` when the account was deleted. */
  readonly authorLogin: string
  readonly authorId?: number
  readonly authorIsBot: boolean
  readonly createdAt: string
  /** 👎 reactions on the comment. */
  readonly thumbsDown: number
}

export interface ReviewThread {
  /** GraphQL node id (`PRRT_…`), for resolveThread and replyToThread. */
  readonly id: string
  readonly isResolved: boolean
  /** The code the thread points at changed since it was written. */
  readonly isOutdated: boolean
  readonly path: string
  readonly side: 'LEFT' | 'RIGHT'
  /** Line on the current head; null when outdated. */
  readonly line: number | null
  readonly startLine: number | null
  readonly originalLine: number | null
  readonly resolvedBy?: { readonly login: string; readonly id?: number }
  /** Oldest first: the first comment started the thread. */
  readonly comments: readonly ReviewThreadComment[]
}

const COMMENT_FIELDS = `fragment ThreadComment on PullRequestReviewComment {
  id
  fullDatabaseId
  body
  createdAt
  author { __typename login ... on Bot { databaseId } ... on User { databaseId } }
  reactionGroups { content reactors { totalCount } }
}`

const THREADS_QUERY = `query ReviewThreads($owner: String!, $name: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviewThreads(first: ${THREADS_PER_PAGE}, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id isResolved isOutdated path line startLine originalLine diffSide
          resolvedBy { login databaseId }
          comments(first: ${COMMENTS_PER_THREAD}) { pageInfo { hasNextPage endCursor } nodes { ...ThreadComment } }
        }
      }
    }
  }
}
${COMMENT_FIELDS}`

const MORE_COMMENTS_QUERY = `query ThreadComments($id: ID!, $after: String) {
  node(id: $id) {
    ... on PullRequestReviewThread {
      comments(first: ${MORE_COMMENTS_PER_PAGE}, after: $after) { pageInfo { hasNextPage endCursor } nodes { ...ThreadComment } }
    }
  }
}
${COMMENT_FIELDS}`

const RESOLVE_MUTATION = `mutation ResolveThread($threadId: ID!) {
  resolveReviewThread(input: {threadId: $threadId}) { thread { id isResolved } }
}`

const REPLY_MUTATION = `mutation ReplyToThread($threadId: ID!, $body: String!) {
  addPullRequestReviewThreadReply(input: {pullRequestReviewThreadId: $threadId, body: $body}) { comment { id fullDatabaseId } }
}`

interface PageInfo {
  readonly hasNextPage?: boolean
  readonly endCursor?: string | null
}

interface ReactionGroupNode {
  readonly content?: string
  readonly reactors?: { readonly totalCount?: number } | null
}

/** One review comment node as GitHub sends it. */
export interface CommentNode {
  readonly id?: string
  readonly fullDatabaseId?: string | number | null
  readonly body?: string
  readonly createdAt?: string
  readonly author?: {
    readonly __typename?: string
    readonly login?: string
    readonly databaseId?: number | null
  } | null
  readonly reactionGroups?: ReadonlyArray<ReactionGroupNode> | null
}

interface CommentConnection {
  readonly pageInfo?: PageInfo
  readonly nodes?: ReadonlyArray<CommentNode | null> | null
}

/** One `reviewThreads` node as GitHub sends it. */
export interface ThreadNode {
  readonly id?: string
  readonly isResolved?: boolean
  readonly isOutdated?: boolean
  readonly path?: string
  readonly line?: number | null
  readonly startLine?: number | null
  readonly originalLine?: number | null
  readonly diffSide?: string
  readonly resolvedBy?: { readonly login?: string; readonly databaseId?: number | null } | null
  readonly comments?: CommentConnection | null
}

interface ThreadsData {
  readonly repository?: {
    readonly pullRequest?: {
      readonly reviewThreads?: {
        readonly pageInfo?: PageInfo
        readonly nodes?: ReadonlyArray<ThreadNode | null> | null
      }
    } | null
  } | null
}

interface MoreCommentsData {
  readonly node?: { readonly comments?: CommentConnection | null } | null
}

const positive = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined
const lineOrNull = (value: unknown): number | null => positive(value) ?? null

/** A BigInt id arrives as a string (`fullDatabaseId`: review comment ids no longer fit GraphQL's 32-bit Int). */
function databaseIdOf(value: unknown): number {
  const id = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  return positive(id) ?? 0
}

/** GitHub's review comment node ⇒ ours. */
export function toThreadComment(node: CommentNode): ReviewThreadComment {
  const author = node.author ?? undefined
  const isBot = author?.__typename === 'Bot'
  const bare = author?.login ?? GHOST_LOGIN
  const authorId = positive(author?.databaseId)
  const thumbsDown =
    (node.reactionGroups ?? []).find((group) => group.content === 'THUMBS_DOWN')?.reactors?.totalCount ?? 0
  return {
    id: node.id ?? '',
    databaseId: databaseIdOf(node.fullDatabaseId),
    body: node.body ?? '',
    // GraphQL's Bot.login has no `[bot]`; the rest of the action speaks REST.
    authorLogin: isBot && !bare.endsWith('[bot]') ? `${bare}[bot]` : bare,
    ...(authorId === undefined ? {} : { authorId }),
    authorIsBot: isBot,
    createdAt: node.createdAt ?? '',
    thumbsDown
  }
}

/** GitHub's thread node ⇒ ours, with the comments given (all pages). */
export function toReviewThread(node: ThreadNode, comments: readonly ReviewThreadComment[]): ReviewThread {
  const resolverId = positive(node.resolvedBy?.databaseId)
  const resolverLogin = node.resolvedBy?.login
  const resolvedBy =
    resolverLogin === undefined
      ? undefined
      : { login: resolverLogin, ...(resolverId === undefined ? {} : { id: resolverId }) }
  return {
    id: node.id ?? '',
    isResolved: node.isResolved === true,
    isOutdated: node.isOutdated === true,
    path: node.path ?? '',
    side: node.diffSide === 'LEFT' ? 'LEFT' : 'RIGHT',
    line: lineOrNull(node.line),
    startLine: lineOrNull(node.startLine),
    originalLine: lineOrNull(node.originalLine),
    ...(resolvedBy === undefined ? {} : { resolvedBy }),
    comments
  }
}

function commentsOf(connection: CommentConnection | null | undefined): ReviewThreadComment[] {
  return (connection?.nodes ?? []).flatMap((node) => (node === null ? [] : [toThreadComment(node)]))
}

async function readRemainingComments(
  api: GitHubApi,
  thread: { readonly id: string; readonly after: string },
  calls: { count: number }
): Promise<ReviewThreadComment[]> {
  const threadId = thread.id
  const comments: ReviewThreadComment[] = []
  let cursor: string | null = thread.after
  while (cursor !== null) {
    calls.count++
    const data: MoreCommentsData = await requestGraphQL<MoreCommentsData>(api, {
      query: MORE_COMMENTS_QUERY,
      variables: { id: threadId, after: cursor },
      action: `reading the comments of review thread ${threadId}`
    })
    const connection = data.node?.comments
    comments.push(...commentsOf(connection))
    cursor = connection?.pageInfo?.hasNextPage === true ? (connection.pageInfo.endCursor ?? null) : null
  }
  return comments
}

/**
 * Every review thread of the pull request with all its comments (threads and long threads paged through).
 * Throws a GitHubGraphQLError naming the pull request when GitHub refuses.
 */
export async function listReviewThreads(
  api: GitHubApi,
  ref: PullRequestRef,
  options: { readonly log?: (message: string) => void } = {}
): Promise<ReviewThread[]> {
  const threads: ReviewThread[] = []
  const calls = { count: 0 }
  let after: string | null = null
  do {
    calls.count++
    const data: ThreadsData = await requestGraphQL<ThreadsData>(api, {
      query: THREADS_QUERY,
      variables: { owner: ref.owner, name: ref.repo, number: ref.pullNumber, after },
      action: `listing the review threads of pull request #${ref.pullNumber}`
    })
    const connection = data.repository?.pullRequest?.reviewThreads
    for (const node of connection?.nodes ?? []) {
      if (node === null) continue
      const comments = commentsOf(node.comments)
      const more = node.comments?.pageInfo
      if (more?.hasNextPage === true && typeof more.endCursor === 'string' && typeof node.id === 'string') {
        comments.push(...(await readRemainingComments(api, { id: node.id, after: more.endCursor }, calls)))
      }
      threads.push(toReviewThread(node, comments))
    }
    after = connection?.pageInfo?.hasNextPage === true ? (connection.pageInfo.endCursor ?? null) : null
  } while (after !== null)
  options.log?.(
    `Read ${threads.length} review threads of pull request #${ref.pullNumber} in ${calls.count} GraphQL calls`
  )
  return threads
}

/** Resolves a review thread. Throws a GitHubGraphQLError saying which permissions are needed when refused. */
export async function resolveThread(api: GitHubApi, threadId: string): Promise<void> {
  await requestGraphQL(api, {
    query: RESOLVE_MUTATION,
    variables: { threadId },
    action: `resolving review thread ${threadId}`,
    forbiddenHint: RESOLVE_HINT
  })
}

interface ReplyData {
  readonly addPullRequestReviewThreadReply?: { readonly comment?: CommentNode | null } | null
}

/** Replies in a review thread (the body cut to GitHub's limit); returns the new comment's ids. */
export async function replyToThread(
  api: GitHubApi,
  reply: { readonly threadId: string; readonly body: string }
): Promise<{ readonly id: string; readonly databaseId: number }> {
  const data = await requestGraphQL<ReplyData>(api, {
    query: REPLY_MUTATION,
    variables: { threadId: reply.threadId, body: fitBody({ text: reply.body }) },
    action: `replying in review thread ${reply.threadId}`,
    forbiddenHint: WRITE_HINT
  })
  const comment = data.addPullRequestReviewThreadReply?.comment
  if (typeof comment?.id !== 'string') {
    throw new Error(`GitHub answered the reply in review thread ${reply.threadId} without the comment`)
  }
  return { id: comment.id, databaseId: databaseIdOf(comment.fullDatabaseId) }
}
