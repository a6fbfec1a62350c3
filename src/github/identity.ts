/**
 * Who the action posts as, so it only ever edits and trusts its own comments. REST `GET /user` does not work
 * for GITHUB_TOKEN or a GitHub App's installation token (403 "Resource not accessible by integration"), but GraphQL
 * `viewer { login databaseId }` answers for all three kinds of token: `github-actions[bot]` with id 41898282, an
 * app's `<slug>[bot]`, or the person behind a personal token.
 *
 * GitHub spells a bot's login two ways: REST `user.login` is `github-actions[bot]`, while GraphQL's `Bot.login`
 * (a comment's `author`) is `github-actions`. The numeric id is the same everywhere, so comparisons use it.
 */

import type { GitHubApi } from './client.js'
import { requestGraphQL } from './graphql.js'
import { describeGitHubError } from './http-errors.js'

/** The account a token acts as. */
export interface GitHubIdentity {
  /** GraphQL's spelling of an author's login: `github-actions`, `my-app`, `octocat`. */
  readonly login: string
  /** REST's spelling: `github-actions[bot]`, `my-app[bot]`, `octocat`. */
  readonly restLogin: string
  /** The account's numeric id: REST `user.id`, GraphQL `databaseId`. */
  readonly id: number
  readonly isBot: boolean
}

export type IdentityLookup =
  | { readonly known: true; readonly identity: GitHubIdentity; readonly source: 'graphql' | 'rest' }
  /** Neither GraphQL nor REST could say; `reason` says why (for the log). */
  | { readonly known: false; readonly reason: string }

/** A comment author, a thread's resolver, a REST `user`: what isAuthoredBy can compare. */
export interface GitHubUserRef {
  readonly login: string
  readonly id?: number | null
  /** REST `type` or GraphQL `__typename`: `Bot`, `User`, `Organization`, `Mannequin`. */
  readonly type?: string | null
}

const BOT_SUFFIX = '[bot]'
const VIEWER_QUERY = 'query Viewer { viewer { login databaseId } }'

interface ViewerData {
  readonly viewer?: { readonly login?: unknown; readonly databaseId?: unknown } | null
}

function isBotLogin(login: string): boolean {
  return login.toLowerCase().endsWith(BOT_SUFFIX)
}

/** Builds an identity from an account as REST or GraphQL shows it; a `Bot` without the suffix gets it added. */
export function identityFromUser(user: {
  readonly login: string
  readonly id: number
  readonly type?: string | null
}): GitHubIdentity {
  const isBot = isBotLogin(user.login) || user.type === 'Bot'
  const login = isBotLogin(user.login) ? user.login.slice(0, -BOT_SUFFIX.length) : user.login
  return { login, restLogin: isBot ? `${login}${BOT_SUFFIX}` : login, id: user.id, isBot }
}

function isAccountId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0
}

async function viewerIdentity(api: GitHubApi): Promise<GitHubIdentity> {
  const data = await requestGraphQL<ViewerData>(api, {
    query: VIEWER_QUERY,
    action: 'reading the token’s identity (viewer)'
  })
  const login = data.viewer?.login
  const id = data.viewer?.databaseId
  if (typeof login !== 'string' || login === '' || !isAccountId(id)) {
    throw new Error('GitHub’s GraphQL API answered viewer without a login and id')
  }
  // `viewer` is typed User, so a bot is recognisable only by the REST-style suffix GitHub gives its login there.
  return identityFromUser({ login, id })
}

async function restIdentity(api: GitHubApi): Promise<GitHubIdentity> {
  try {
    const { data } = await api.rest.users.getAuthenticated()
    if (typeof data.login !== 'string' || !isAccountId(data.id))
      throw new Error('GET /user answered without a login and id')
    return identityFromUser({ login: data.login, id: data.id, type: data.type })
  } catch (error: unknown) {
    throw new Error(describeGitHubError(error, 'reading the token’s user (GET /user)'), { cause: error })
  }
}

/**
 * Who the token posts as: GraphQL `viewer` first (every kind of token), then REST `GET /user` (personal tokens,
 * e.g. on a GitHub Enterprise Server without GraphQL). Never throws: when neither answers, the result says why,
 * and the caller can fall back to the author of the first comment it creates.
 */
export async function findPostingIdentity(
  api: GitHubApi,
  options: { readonly log?: (message: string) => void } = {}
): Promise<IdentityLookup> {
  const log = options.log ?? (() => undefined)
  const reasons: string[] = []
  for (const [source, lookup] of [
    ['graphql', viewerIdentity],
    ['rest', restIdentity]
  ] as const) {
    try {
      const identity = await lookup(api)
      const from = source === 'graphql' ? 'GraphQL viewer' : 'REST GET /user'
      log(`Posting as ${identity.restLogin} (id ${identity.id}, from ${from})`)
      return { known: true, identity, source }
    } catch (error: unknown) {
      reasons.push(error instanceof Error ? error.message : String(error))
    }
  }
  const reason = `could not tell which account the token posts as: ${reasons.join('; ')}`
  log(reason)
  return { known: false, reason }
}

/**
 * Whether `user` is `identity`: by numeric id when both are known (robust to renames and to the two bot
 * spellings), else by login without `[bot]`, case-insensitively, and a bot never matches a person of the same name.
 */
export function isAuthoredBy(identity: GitHubIdentity, user: GitHubUserRef | null | undefined): boolean {
  if (user === null || user === undefined) return false
  if (isAccountId(user.id)) return user.id === identity.id
  const login = user.login.toLowerCase()
  const bare = isBotLogin(login) ? login.slice(0, -BOT_SUFFIX.length) : login
  if (bare === '' || bare !== identity.login.toLowerCase()) return false
  const isBot = botnessOf(user)
  return isBot === undefined || isBot === identity.isBot
}

/** True for a bot, false for anything else GitHub names by type, undefined when nothing says which. */
function botnessOf(user: GitHubUserRef): boolean | undefined {
  if (isBotLogin(user.login) || user.type === 'Bot') return true
  return typeof user.type === 'string' && user.type !== '' ? false : undefined
}
