/**
 * Fetches a pull request's changes: the unified diff when GitHub will produce it, else (406, over 300 files or
 * 20,000 lines) the paginated file list with per-file patches. Neither endpoint takes a commit: both serve
 * the pull request as it is NOW. So when the caller says which head it reviews, the head is read again after
 * the diff, and a push in between is an error (PullHeadMovedError) instead of a diff of another commit.
 *
 * Why not `compare/{base}...{head}` by SHA: the pull request's `base.sha` is not kept up to date with the base
 * branch (github/docs#431), so that diff can differ from the pull request's, which is the one GitHub checks
 * review comments against; and compare lists at most 300 files, with no fallback.
 */

import type { PullDiffSource, PullFileEntry, PullRequestInfo, PullRequestRef } from '../types.js'
import type { GitHubApi } from './client.js'
import { explainPullRequestError, githubMessageOf, statusOf } from './http-errors.js'
import { fetchPullRequest } from './pull-request.js'

/** GitHub's `pulls.listFiles` returns at most 3,000 files. */
export const MAX_LISTED_FILES = 3_000
/** The largest page `pulls.listFiles` serves. */
const FILES_PER_PAGE = 100
const DIFF_TOO_LARGE_STATUS = 406
/** Reads of the pull request and its diff before giving up on a branch that keeps moving. */
const DEFAULT_MAX_ATTEMPTS = 3
const SHORT_SHA_CHARS = 12

export interface FetchPullDiffOptions {
  /** Stop listing files after this many (default and GitHub's own cap: 3,000). */
  readonly maxFiles?: number
  readonly log?: (message: string) => void
}

/**
 * The pull request whose diff is read. With `headSha` (a PullRequestInfo), the diff is pinned to that head;
 * with `changedFiles`, a truncated file list says how many files it left out.
 */
export type PullToDiff = PullRequestRef & { readonly headSha?: string; readonly changedFiles?: number }

/** The pull request's head moved (a push) between reading it and reading its diff. */
export class PullHeadMovedError extends Error {
  readonly expectedHeadSha: string
  readonly actualHeadSha: string

  constructor(options: {
    readonly ref: PullRequestRef
    readonly expectedHeadSha: string
    readonly actualHeadSha: string
  }) {
    const { ref } = options
    super(
      `pull request #${ref.pullNumber} in ${ref.owner}/${ref.repo} moved from ${options.expectedHeadSha.slice(0, SHORT_SHA_CHARS)} ` +
        `to ${options.actualHeadSha.slice(0, SHORT_SHA_CHARS)} while its diff was read`
    )
    this.name = 'PullHeadMovedError'
    this.expectedHeadSha = options.expectedHeadSha
    this.actualHeadSha = options.actualHeadSha
  }
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

/** The diff as GitHub serves it now, unified or (406) listed file by file. */
async function readCurrentDiff(
  api: GitHubApi,
  pull: PullToDiff,
  options: FetchPullDiffOptions
): Promise<PullDiffSource> {
  const maxFiles = options.maxFiles ?? MAX_LISTED_FILES
  try {
    return { kind: 'unified', text: await fetchUnifiedDiff(api, pull) }
  } catch (error: unknown) {
    if (statusOf(error) !== DIFF_TOO_LARGE_STATUS) {
      throw explainPullRequestError(error, { ref: pull, action: 'fetching the diff' })
    }
    const fallbackReason = githubMessageOf(error) ?? 'GitHub refused to produce the diff (406)'
    options.log?.(`The unified diff is too large (${fallbackReason}); listing the changed files instead`)
    try {
      const files = await listPullFiles(api, pull, maxFiles)
      options.log?.(`Listed ${files.length} changed files`)
      return { kind: 'files', files, fallbackReason, truncated: files.length >= maxFiles }
    } catch (listError: unknown) {
      throw explainPullRequestError(listError, { ref: pull, action: 'listing the changed files' })
    }
  }
}

/** Adds how many changed files the list left out, when the pull request's count is known. */
function withUnlistedCount(source: PullDiffSource, changedFiles: number | undefined): PullDiffSource {
  if (source.kind !== 'files' || changedFiles === undefined) return source
  return { ...source, unlistedFiles: Math.max(0, changedFiles - source.files.length) }
}

/**
 * The PR's diff as GitHub gives it. When `pull.headSha` is set, the head is read again afterwards and a
 * PullHeadMovedError thrown if it moved, so the diff always belongs to that head. Throws (naming the PR and
 * the status) when neither the diff nor the file list can be read.
 */
export async function fetchPullDiff(
  api: GitHubApi,
  pull: PullToDiff,
  options: FetchPullDiffOptions = {}
): Promise<PullDiffSource> {
  const source = await readCurrentDiff(api, pull, options)
  if (pull.headSha === undefined) return withUnlistedCount(source, pull.changedFiles)
  const now = await fetchPullRequest(api, pull)
  if (now.headSha !== pull.headSha) {
    throw new PullHeadMovedError({ ref: pull, expectedHeadSha: pull.headSha, actualHeadSha: now.headSha })
  }
  return withUnlistedCount(source, now.changedFiles ?? pull.changedFiles)
}

/**
 * Reads the pull request and its diff until both belong to the same head: when a push lands in between, it
 * starts again (at most `maxAttempts` reads), then fails with an error that says the branch kept moving.
 */
export async function fetchPullAtStableHead(
  api: GitHubApi,
  ref: PullRequestRef,
  options: FetchPullDiffOptions & { readonly maxAttempts?: number } = {}
): Promise<{ readonly pullRequest: PullRequestInfo; readonly source: PullDiffSource }> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS
  const heads: string[] = []
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const pullRequest = await fetchPullRequest(api, ref)
    heads.push(pullRequest.headSha.slice(0, SHORT_SHA_CHARS))
    try {
      return { pullRequest, source: await fetchPullDiff(api, pullRequest, options) }
    } catch (error: unknown) {
      if (!(error instanceof PullHeadMovedError)) throw error
      options.log?.(`The ${error.message}; reading it again`)
    }
  }
  throw new Error(
    `pull request #${ref.pullNumber} in ${ref.owner}/${ref.repo} moved ${maxAttempts} times while its diff was read ` +
      `(heads ${heads.join(', ')}); the run for the latest push reviews it, or re-run this one once pushes settle`
  )
}
