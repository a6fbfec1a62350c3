/** Reads a user's access to the repository, for on-demand reviews. */

import type { GitHubApi } from './client.js'
import { describeGitHubError, statusOf } from './http-errors.js'

/** Base permissions that may request a review (`maintain` is reported as `write` by `permission`). */
const WRITE_PERMISSIONS = ['admin', 'write']
/** Role names with write access; custom roles report their base in `permission`. */
const WRITE_ROLES = ['admin', 'maintain', 'write']

export interface RepoAccess {
  /** Legacy base role: admin, write, read or none. */
  readonly permission: string
  /** The assigned role, custom roles included, when GitHub says. */
  readonly roleName?: string
}

/**
 * GET /repos/{owner}/{repo}/collaborators/{username}/permission. A user GitHub does not know (404) has no
 * access. Other failures throw with GitHub's status and message.
 */
export async function fetchRepoAccess(
  api: GitHubApi,
  request: { readonly owner: string; readonly repo: string; readonly username: string }
): Promise<RepoAccess> {
  try {
    const { data } = await api.rest.repos.getCollaboratorPermissionLevel({
      owner: request.owner,
      repo: request.repo,
      username: request.username
    })
    const roleName = (data as { role_name?: unknown }).role_name
    return { permission: data.permission, ...(typeof roleName === 'string' ? { roleName } : {}) }
  } catch (error: unknown) {
    if (statusOf(error) === 404) return { permission: 'none' }
    throw new Error(describeGitHubError(error, `checking the repository permission of ${request.username}`), {
      cause: error
    })
  }
}

/** True for admin, maintain and write (and custom roles built on write). */
export function hasWriteAccess(access: RepoAccess): boolean {
  return (
    WRITE_PERMISSIONS.includes(access.permission) ||
    (access.roleName !== undefined && WRITE_ROLES.includes(access.roleName))
  )
}
