/** Reads a pull request's metadata and translates GitHub's shape into ours. */

import type { PullRequestInfo, PullRequestRef } from '../types.js'
import type { GitHubApi } from './client.js'
import { explainPullRequestError } from './http-errors.js'

/** A label is an object with a name, or (in some payloads) a bare string. */
function labelNameOf(label: string | { readonly name?: string | null }): string {
  return typeof label === 'string' ? label : (label.name ?? '')
}

/**
 * GET /repos/{owner}/{repo}/pulls/{n}, as a `PullRequestInfo`. A fork deleted after the PR was opened leaves
 * `head.repo` null: its full name becomes ''. Throws with a message naming the PR on failure.
 */
export async function fetchPullRequest(api: GitHubApi, ref: PullRequestRef): Promise<PullRequestInfo> {
  try {
    const { data } = await api.rest.pulls.get({ owner: ref.owner, repo: ref.repo, pull_number: ref.pullNumber })
    return {
      owner: ref.owner,
      repo: ref.repo,
      pullNumber: ref.pullNumber,
      title: data.title,
      body: data.body ?? '',
      headSha: data.head.sha,
      headRef: data.head.ref,
      baseSha: data.base.sha,
      baseRef: data.base.ref,
      draft: data.draft ?? false,
      authorLogin: data.user?.login ?? '',
      labels: data.labels.map(labelNameOf).filter((name) => name !== ''),
      headRepoFullName: data.head.repo?.full_name ?? '',
      changedFiles: data.changed_files
    }
  } catch (error: unknown) {
    throw explainPullRequestError(error, { ref, action: 'reading the pull request' })
  }
}
