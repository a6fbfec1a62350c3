/**
 * Fetches a pull request's changes: the unified diff when GitHub will produce it, else (406, over 300 files or
 * 20,000 lines) the paginated file list with per-file patches.
 */

import type { PullDiffSource, PullFileEntry, PullRequestRef } from '../types.js'
import type { GitHubApi } from './client.js'
import { explainPullRequestError, githubMessageOf, statusOf } from './http-errors.js'

/** GitHub's `pulls.listFiles` returns at most 3,000 files. */
export const MAX_LISTED_FILES = 3_000
/** The largest page `pulls.listFiles` serves. */
const FILES_PER_PAGE = 100
const DIFF_TOO_LARGE_STATUS = 406

export interface FetchPullDiffOptions {
  /** Stop listing files after this many (default and GitHub's own cap: 3,000). */
  readonly maxFiles?: number
  readonly log?: (message: string) => void
}

interface ListedFile {
  readonly filename: string
  readonly status: string
  readonly previous_filename?: string
  readonly additions: number
  readonly deletions: number
  readonly patch?: string
}

/** Octokit's diff-entry shape ⇒ ours; `patch` stays absent when GitHub sent none (binary, too large). */
function toPullFileEntry(file: ListedFile): PullFileEntry {
  return {
    filename: file.filename,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    ...(file.previous_filename === undefined ? {} : { previousFilename: file.previous_filename }),
    ...(typeof file.patch === 'string' ? { patch: file.patch } : {})
  }
}

async function fetchUnifiedDiff(api: GitHubApi, ref: PullRequestRef): Promise<string> {
  const response = await api.rest.pulls.get({
    owner: ref.owner,
    repo: ref.repo,
    pull_number: ref.pullNumber,
    mediaType: { format: 'diff' }
  })
  // With the diff media type Octokit hands back the body as text, whatever the declared type says.
  const text: unknown = response.data
  if (typeof text !== 'string') throw new Error('GitHub did not answer the diff request with text')
  return text
}

async function listPullFiles(api: GitHubApi, ref: PullRequestRef, maxFiles: number): Promise<PullFileEntry[]> {
  let listed = 0
  const files = await api.paginate(
    api.rest.pulls.listFiles,
    { owner: ref.owner, repo: ref.repo, pull_number: ref.pullNumber, per_page: FILES_PER_PAGE },
    (response, done) => {
      // Stop asking for pages once the cap is reached; GitHub itself stops at 3,000.
      listed += response.data.length
      if (listed >= maxFiles) done()
      return response.data
    }
  )
  return files.slice(0, maxFiles).map(toPullFileEntry)
}

/**
 * The PR's diff as GitHub gives it. Throws (naming the PR and the status) when neither the diff nor the file
 * list can be read.
 */
export async function fetchPullDiff(
  api: GitHubApi,
  ref: PullRequestRef,
  options: FetchPullDiffOptions = {}
): Promise<PullDiffSource> {
  const maxFiles = options.maxFiles ?? MAX_LISTED_FILES
  try {
    return { kind: 'unified', text: await fetchUnifiedDiff(api, ref) }
  } catch (error: unknown) {
    if (statusOf(error) !== DIFF_TOO_LARGE_STATUS) {
      throw explainPullRequestError(error, { ref, action: 'fetching the diff' })
    }
    const fallbackReason = githubMessageOf(error) ?? 'GitHub refused to produce the diff (406)'
    options.log?.(`The unified diff is too large (${fallbackReason}); listing the changed files instead`)
    try {
      const files = await listPullFiles(api, ref, maxFiles)
      options.log?.(`Listed ${files.length} changed files`)
      return { kind: 'files', files, fallbackReason, truncated: files.length >= maxFiles }
    } catch (listError: unknown) {
      throw explainPullRequestError(listError, { ref, action: 'listing the changed files' })
    }
  }
}
