/**
 * Who the action posts as, and so which comments on the pull request are its own: only those are ever
 * edited or trusted (the summary and its signed state, the earlier findings it dedupes against and gates on).
 * Anyone who can comment can paste our hidden markers; the author is what they cannot fake.
 */
import type { Logger } from '../engine/logger.js'
import type { GitHubApi } from '../github/client.js'
import { findPostingIdentity, isAuthoredBy, type GitHubIdentity, type GitHubUserRef } from '../github/identity.js'

export interface PostingIdentity {
  /** Who the token posts as; undefined when GitHub would not say (e.g. GHES without GraphQL, with an app token). */
  readonly identity?: GitHubIdentity
  /**
   * True for a comment the action wrote: by its identity when known; otherwise only a bot can be the action (it
   * posts as a bot unless given a personal token, and a personal token's user can always be read).
   */
  isOurs(author: GitHubUserRef): boolean
  /** What the signed state is bound to (review-state.ts `StateSeal.author`); undefined when unknown. */
  readonly sealAuthor?: string
}

/** Reads the token's identity once per run (GraphQL `viewer`, else REST `GET /user`). Never throws. */
export async function resolvePostingIdentity(
  github: GitHubApi,
  logger: Pick<Logger, 'info' | 'warning'>
): Promise<PostingIdentity> {
  const lookup = await findPostingIdentity(github)
  if (lookup.known) {
    const { identity } = lookup
    logger.info(`Posting as ${identity.restLogin} (id ${identity.id}): only its comments are edited or trusted.`)
    return { identity, isOurs: (author) => isAuthoredBy(identity, author), sealAuthor: `id:${identity.id}` }
  }
  logger.warning(
    `Could not tell which account the token posts as (${lookup.reason}); only comments written by a bot are ` +
      'treated as this action’s.'
  )
  return { isOurs: (author) => author.type === 'Bot' }
}
