/**
 * Who gave a review comment a 👎, through GraphQL. `listReviewThreads` counts the 👎 of every comment; whether a
 * 👎 may dismiss a finding depends on who gave it (anyone who can read a public repository can react), so the few
 * comments that have one are looked up here, by node id, many per call.
 */

import type { GitHubApi } from './client.js'
import { requestGraphQL } from './graphql.js'
import type { GitHubUserRef } from './identity.js'

/** Comments looked up per call: `node` lookups are not a connection, 50 keeps the query and answer small. */
export const COMMENTS_PER_QUERY = 50
/** Reactors read per comment: who dismissed a finding is one or two people, not a crowd. */
export const REACTORS_PER_COMMENT = 20

interface ReactorNode {
  readonly __typename?: string
  readonly login?: string
  readonly databaseId?: number | null
}

interface CommentReactions {
  readonly reactionGroups?: ReadonlyArray<{
    readonly content?: string
    readonly reactors?: { readonly nodes?: ReadonlyArray<ReactorNode | null> | null } | null
  }> | null
}

/** One aliased `node` lookup per comment, ids passed as variables. */
export function buildThumbsDownQuery(count: number): string {
  const variables = Array.from({ length: count }, (_, index) => `$c${index}: ID!`).join(', ')
  const fields = Array.from({ length: count }, (_, index) => `c${index}: node(id: $c${index}) { ...Reactions }`).join(
    '\n  '
  )
  return `query ThumbsDown(${variables}) {
  ${fields}
}
fragment Reactions on PullRequestReviewComment {
  reactionGroups {
    content
    reactors(first: ${REACTORS_PER_COMMENT}) {
      nodes { __typename ... on Actor { login } ... on User { databaseId } ... on Bot { databaseId } }
    }
  }
}`
}

/** GitHub's reactor ⇒ a user reference in REST spelling (`name[bot]` for a bot). */
export function toReactor(node: ReactorNode): GitHubUserRef | undefined {
  if (typeof node.login !== 'string' || node.login === '') return undefined
  const isBot = node.__typename === 'Bot'
  const login = isBot && !node.login.endsWith('[bot]') ? `${node.login}[bot]` : node.login
  const id = typeof node.databaseId === 'number' && node.databaseId > 0 ? node.databaseId : null
  return { login, id, type: node.__typename ?? null }
}

function thumbsDownOf(comment: CommentReactions | null | undefined): GitHubUserRef[] {
  const group = (comment?.reactionGroups ?? []).find((entry) => entry.content === 'THUMBS_DOWN')
  return (group?.reactors?.nodes ?? []).flatMap((node) => {
    const reactor = node === null ? undefined : toReactor(node)
    return reactor === undefined ? [] : [reactor]
  })
}

/**
 * The people who gave each comment a 👎, by the comment's GraphQL node id (`PRRC_…`). Throws a
 * GitHubGraphQLError when GitHub refuses.
 */
export async function listThumbsDownBy(
  api: GitHubApi,
  commentIds: readonly string[]
): Promise<Map<string, GitHubUserRef[]>> {
  const reactors = new Map<string, GitHubUserRef[]>()
  const ids = [...new Set(commentIds)]
  for (let start = 0; start < ids.length; start += COMMENTS_PER_QUERY) {
    const batch = ids.slice(start, start + COMMENTS_PER_QUERY)
    const data = await requestGraphQL<Readonly<Record<string, CommentReactions | null>>>(api, {
      query: buildThumbsDownQuery(batch.length),
      variables: Object.fromEntries(batch.map((id, index) => [`c${index}`, id])),
      action: `reading who reacted 👎 to ${batch.length} review comments`
    })
    batch.forEach((id, index) => reactors.set(id, thumbsDownOf(data[`c${index}`])))
  }
  return reactors
}
