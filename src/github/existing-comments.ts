/**
 * The inline review comments earlier runs posted on a pull request, recognised by the hidden finding
 * marker every one of them ends with. Outdated comments are included: GitHub lists them with `line: null`
 * and keeps `original_line`. Resolved threads are included too (REST has no resolution state).
 */
import { parseFindingMarker, parseInlineCommentHeading } from '../review/finding-marker.js'
import type { PostedFinding } from '../review/dedupe-existing.js'
import type { PullRequestRef } from '../types.js'
import type { GitHubApi } from './client.js'
import { describeGitHubError } from './http-errors.js'

const COMMENTS_PER_PAGE = 100

interface ListedReviewComment {
  readonly id: number
  readonly path: string
  readonly body: string
  readonly line?: number | null
  readonly start_line?: number | null
  readonly original_line?: number | null
  readonly original_start_line?: number | null
  readonly user?: { readonly login?: string; readonly id?: number; readonly type?: string } | null
}

function lineOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null
}

/** GitHub's review comment ⇒ ours; undefined when it carries no finding marker. */
export function toPostedFinding(comment: ListedReviewComment): PostedFinding | undefined {
  const marker = parseFindingMarker(comment.body)
  if (marker === undefined) return undefined
  const heading = parseInlineCommentHeading(comment.body)
  return {
    ...(heading === undefined ? {} : { heading }),
    commentId: comment.id,
    path: comment.path,
    line: lineOrNull(comment.line),
    startLine: lineOrNull(comment.start_line),
    originalLine: lineOrNull(comment.original_line),
    originalStartLine: lineOrNull(comment.original_start_line),
    fingerprint: marker.fingerprint,
    severity: marker.severity,
    authorLogin: comment.user?.login ?? '',
    ...(typeof comment.user?.id === 'number' ? { authorId: comment.user.id } : {}),
    authorIsBot: comment.user?.type === 'Bot'
  }
}

/**
 * Every review comment on the PR that carries a finding marker (all pages). Throws with GitHub's reason
 * when the list cannot be read.
 */
export async function listPostedFindings(api: GitHubApi, ref: PullRequestRef): Promise<PostedFinding[]> {
  try {
    const comments = await api.paginate(api.rest.pulls.listReviewComments, {
      owner: ref.owner,
      repo: ref.repo,
      pull_number: ref.pullNumber,
      per_page: COMMENTS_PER_PAGE
    })
    return comments.flatMap((comment) => {
      const posted = toPostedFinding(comment)
      return posted === undefined ? [] : [posted]
    })
  } catch (error: unknown) {
    throw new Error(describeGitHubError(error, `listing the review comments of pull request #${ref.pullNumber}`), {
      cause: error
    })
  }
}
