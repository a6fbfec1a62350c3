/** The permission check of on-demand (`/review`) reviews. */

import type { ReviewTarget } from './event.js'
import type { GitHubApi } from '../github/client.js'
import { fetchRepoAccess, hasWriteAccess } from '../github/permission.js'
import type { Logger } from '../engine/logger.js'

/**
 * True when the run may go on: not an on-demand request, or one by someone with write, maintain or admin
 * access. Anyone else is ignored with a notice (exit 0): on a public repository anybody can comment, and a
 * review spends the repository's model credits.
 */
export async function authorizeReviewRequest(
  github: GitHubApi,
  options: { readonly target: Extract<ReviewTarget, { kind: 'review' }>; readonly logger: Logger }
): Promise<boolean> {
  const { target, logger } = options
  if (target.requestedBy === undefined) return true
  const access = await fetchRepoAccess(github, {
    owner: target.ref.owner,
    repo: target.ref.repo,
    username: target.requestedBy
  })
  const role = access.roleName ?? access.permission
  if (hasWriteAccess(access)) {
    logger.info(
      `/review${target.fullReview === true ? ' full' : ''} requested by ${target.requestedBy} (${role} access).`
    )
    return true
  }
  logger.notice(
    `Ignored: /review by ${target.requestedBy}, who has "${role}" access. Only collaborators with write, maintain ` +
      'or admin access can request a review. Nothing was posted.'
  )
  return false
}
