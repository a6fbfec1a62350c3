/**
 * The incremental-review stage of the action: reads what earlier runs recorded in the summary comment,
 * decides what this run reviews (plan-scope.ts), asks GitHub's compare API when that decision depends on
 * it, and narrows the review to the new changes while keeping findings on lines of the PR's own diff.
 */
import { buildLineIndex, type FileLines, type LineIndex } from '../diff/line-index.js'
import { parseFilePatches } from '../diff/file-patches.js'
import { parseUnifiedDiff } from '../diff/parse.js'
import { getErrorMessage } from '../errors.js'
import type { GitHubApi } from '../github/client.js'
import { compareCommits, fetchCompareDiff } from '../github/compare.js'
import { findSummaryComment } from '../github/summary-comment.js'
import { SUMMARY_MARKER } from '../render/summary-input.js'
import type { DiffFile, PullDiffSource, PullRequestInfo } from '../types.js'
import { decideAfterCompare, planScope, type FullScope, type IncrementalScope } from './plan-scope.js'
import { decodeStateMarker, type StateLookup, type StateSeal } from './review-state.js'

/** The summary comment as the last run left it, and the state it carries. */
export interface PreviousReview {
  readonly lookup: StateLookup
  /** The summary comment's body, when there is one. */
  readonly body?: string
  /** Who wrote the summary; set only when its state verified, so their comments can be trusted as ours. */
  readonly trustedLogin?: string
}

/**
 * Finds the summary comment and reads its signed state. A failure to list comments is not fatal here:
 * the run reviews in full (and writing the summary later reports the real problem).
 */
export async function readPreviousReview(
  api: GitHubApi,
  options: { readonly seal: StateSeal; readonly log: (message: string) => void }
): Promise<PreviousReview> {
  try {
    const comment = await findSummaryComment(api, options.seal.ref, SUMMARY_MARKER)
    if (comment === null) return { lookup: { found: false, reason: 'missing' } }
    const lookup = decodeStateMarker(comment.body, options.seal)
    const login = comment.authorLogin
    return { lookup, body: comment.body, ...(lookup.found && login !== undefined ? { trustedLogin: login } : {}) }
  } catch (error: unknown) {
    options.log(`Could not read the summary comment (${getErrorMessage(error)}); reviewing in full.`)
    return { lookup: { found: false, reason: 'missing' } }
  }
}

export type ResolvedScope =
  | { readonly kind: 'already-reviewed'; readonly head: string }
  | FullScope
  | (IncrementalScope & { readonly diff: PullDiffSource })

/**
 * What this run reviews. Only an `ahead` compare of the last reviewed head with the new one is trusted
 * for an incremental review; every other answer (diverged, 404 after a force-push, 406, an error) means a
 * full review, with the reason.
 */
export async function resolveReviewScope(
  api: GitHubApi,
  options: {
    readonly pullRequest: PullRequestInfo
    readonly previous: PreviousReview
    readonly config: Readonly<Record<string, string>>
    readonly forceFull: boolean
  }
): Promise<ResolvedScope> {
  const { pullRequest } = options
  const first = planScope({
    previous: options.previous.lookup,
    current: { headSha: pullRequest.headSha, baseRef: pullRequest.baseRef, baseSha: pullRequest.baseSha, config: options.config },
    forceFull: options.forceFull
  })
  if (first.kind !== 'compare') return first
  const range = { ref: pullRequest, base: first.from, head: pullRequest.headSha }
  const decided = decideAfterCompare({ from: first.from, comparison: await compareCommits(api, range) })
  if (decided.kind === 'full') return decided
  const diff = await fetchCompareDiff(api, range)
  if (!diff.ok) return decideAfterCompare({ from: first.from, comparison: diff.comparison }) as FullScope
  return { ...decided, diff: { kind: 'unified', text: diff.text } }
}

/** What the model is sent and which lines findings may be placed on. */
export interface ReviewFocus {
  /** The diff to plan chunks from: the compare diff for an incremental review, else the PR's. */
  readonly source: PullDiffSource
  /** Review only these paths (the files the PR changes); undefined = all. */
  readonly onlyPaths?: ReadonlySet<string>
  /** Files of the compare diff the PR does not change (e.g. merged in from the base branch). */
  readonly outsidePull: number
  /** Commentable lines of the PR's own diff, for an incremental review. */
  readonly pullIndex?: LineIndex
}

function parseSource(source: PullDiffSource): DiffFile[] {
  return source.kind === 'unified' ? parseUnifiedDiff(source.text) : parseFilePatches(source.files)
}

/** Narrows an incremental review to files the PR changes; a full review is the PR diff as it is. */
export function focusReview(scope: Exclude<ResolvedScope, { kind: 'already-reviewed' }>, pullSource: PullDiffSource): ReviewFocus {
  if (scope.kind === 'full') return { source: pullSource, outsidePull: 0 }
  const pullFiles = parseSource(pullSource)
  const onlyPaths = new Set(pullFiles.map((file) => file.path))
  const outsidePull = parseSource(scope.diff).filter((file) => !onlyPaths.has(file.path)).length
  return { source: scope.diff, onlyPaths, outsidePull, pullIndex: buildLineIndex(pullFiles) }
}

function intersectLines(pull: ReadonlyMap<number, number>, reviewed: ReadonlyMap<number, number> | undefined) {
  return new Map([...pull].filter(([line]) => reviewed?.has(line) ?? false))
}

/**
 * Lines a finding may be placed on: for an incremental review, lines the model saw (the compare diff)
 * that are also commentable in the PR's diff, keeping the PR diff's hunk numbers (GitHub's same-hunk rule
 * is about the PR diff). The head is the same on both sides, so new-file (RIGHT) numbers agree.
 */
export function placementLineIndex(focus: ReviewFocus, reviewed: LineIndex): LineIndex {
  if (focus.pullIndex === undefined) return reviewed
  const index = new Map<string, FileLines>()
  for (const [path, lines] of focus.pullIndex) {
    const seen = reviewed.get(path)
    if (seen === undefined) continue
    // LEFT numbers differ (the compare's old side is the last reviewed head, the PR's is the base): no LEFT lines.
    index.set(path, { right: intersectLines(lines.right, seen.right), left: new Map() })
  }
  return index
}

/**
 * The note for an incremental review with nothing left to send: every file the new commits touched is
 * one the pull request itself does not change (typically a merge from the base branch). Undefined otherwise.
 */
export function describeEmptyIncrement(focus: ReviewFocus, prepared: { readonly files: readonly unknown[] }): string | undefined {
  if (focus.pullIndex === undefined || prepared.files.length > 0 || focus.outsidePull === 0) return undefined
  const files = focus.outsidePull === 1 ? '1 file' : `${focus.outsidePull} files`
  return (
    `Nothing to review: the new commits only change files this pull request does not change (${files}, e.g. merged ` +
    'from the base branch); no model request was made.'
  )
}
