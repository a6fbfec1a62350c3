/**
 * GitHub's compare API (`GET /repos/{o}/{r}/compare/{base}...{head}`) for incremental reviews: whether the
 * last reviewed head is an ancestor of the new one, and the diff between them. Three-dot semantics: the
 * diff is `merge_base...head`, which is exactly "what is new" only when the status is `ahead`.
 */
import type { PullRequestRef } from '../types.js'
import type { GitHubApi } from './client.js'
import { describeGitHubError, githubMessageOf, statusOf } from './http-errors.js'

const NOT_FOUND_STATUS = 404
const DIFF_TOO_LARGE_STATUS = 406
/** The status needs no commit list: one commit per page keeps the JSON small (files come regardless). */
const COMMITS_PER_PAGE = 1
const COMPARE_STATUSES = ['ahead', 'behind', 'diverged', 'identical'] as const

/** GitHub's answer to `compare/{from}...{head}`, as the compare adapter reports it. */
export type Comparison =
  | {
      readonly kind: 'compared'
      readonly status: 'ahead' | 'behind' | 'diverged' | 'identical'
      readonly aheadBy: number
      readonly behindBy: number
    }
  | { readonly kind: 'no-common-ancestor' | 'not-found' | 'too-large' | 'failed'; readonly message: string }

export interface CompareOptions {
  readonly ref: Pick<PullRequestRef, 'owner' | 'repo'>
  /** The last reviewed head. */
  readonly base: string
  /** The new head. */
  readonly head: string
}

function basehead(options: CompareOptions): string {
  return `${options.base}...${options.head}`
}

/**
 * How `head` relates to `base`. Never throws: a 404 says "no common ancestor" (unrelated histories) or
 * "not found" (a force-pushed commit GitHub no longer has); anything else is reported as failed.
 */
export async function compareCommits(api: GitHubApi, options: CompareOptions): Promise<Comparison> {
  try {
    const { data } = await api.rest.repos.compareCommitsWithBasehead({
      owner: options.ref.owner,
      repo: options.ref.repo,
      basehead: basehead(options),
      per_page: COMMITS_PER_PAGE
    })
    const status = COMPARE_STATUSES.find((known) => known === data.status)
    if (status === undefined)
      return { kind: 'failed', message: `GitHub answered an unknown compare status "${String(data.status)}"` }
    return { kind: 'compared', status, aheadBy: data.ahead_by, behindBy: data.behind_by }
  } catch (error: unknown) {
    return classifyCompareError(error, `comparing ${basehead(options)}`)
  }
}

export type CompareDiff =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly comparison: Comparison }

/**
 * The unified diff `base...head` (diff media type). GitHub refuses it with 406 over 300 files or 20,000
 * lines, like the pull request diff: reported as `too-large` so the caller reviews in full instead.
 */
export async function fetchCompareDiff(api: GitHubApi, options: CompareOptions): Promise<CompareDiff> {
  try {
    const response = await api.rest.repos.compareCommitsWithBasehead({
      owner: options.ref.owner,
      repo: options.ref.repo,
      basehead: basehead(options),
      mediaType: { format: 'diff' }
    })
    // With the diff media type Octokit hands back the body as text, whatever the declared type says.
    const text: unknown = response.data
    if (typeof text !== 'string')
      return { ok: false, comparison: { kind: 'failed', message: 'GitHub did not answer the compare diff with text' } }
    return { ok: true, text }
  } catch (error: unknown) {
    return { ok: false, comparison: classifyCompareError(error, `fetching the diff ${basehead(options)}`) }
  }
}

function classifyCompareError(error: unknown, action: string): Comparison {
  const status = statusOf(error)
  const message = githubMessageOf(error)
  if (status === NOT_FOUND_STATUS) {
    const text = message ?? 'Not Found'
    return { kind: /no common ancestor/i.test(text) ? 'no-common-ancestor' : 'not-found', message: text }
  }
  if (status === DIFF_TOO_LARGE_STATUS) return { kind: 'too-large', message: message ?? 'the diff is too large (406)' }
  return { kind: 'failed', message: describeGitHubError(error, action) }
}
