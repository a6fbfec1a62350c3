/**
 * Drops findings that an earlier run already posted as an inline comment on this pull request, so a
 * re-run or a new push never repeats a comment. The same finding = same path, same fingerprint (path +
 * normalized title, carried in the comment's hidden marker), and lines that overlap, give or take a few
 * lines since the model moves its citations slightly between runs.
 *
 * Outdated comments (the code under them changed: GitHub lists them with `line: null`) are compared by the
 * lines they were written on (`original_line`), so a comment still about the same code still counts.
 * A comment read from REST counts resolved or not (REST has no resolution state). A comment read from its
 * review thread (GraphQL) says whether the thread is resolved, and a resolved thread no longer counts: it was
 * fixed, or its finding was dismissed, which dismissed-findings.ts handles by fingerprint (issue 13).
 */
import type { LineIndex } from '../diff/line-index.js'
import type { Category, ModelFinding, Severity } from '../types.js'
import { fingerprintFinding } from './fingerprint.js'
import { resolveFindingPath } from './resolve-path.js'

/** Lines either side of a finding that still count as "the same place". */
export const NEARBY_LINES = 3

/** An inline comment of ours already on the PR, as the GitHub adapter reads it. */
export interface PostedFinding {
  readonly commentId: number
  readonly path: string
  /** Line on the current head; null when the comment is outdated. */
  readonly line: number | null
  readonly startLine: number | null
  /** Line when the comment was written. */
  readonly originalLine: number | null
  readonly originalStartLine: number | null
  /** From the comment's hidden finding marker. */
  readonly fingerprint: string
  readonly severity: Severity
  /** From the comment's first line; absent when it was edited out of shape. */
  readonly heading?: { readonly category: Category; readonly title: string }
  readonly authorLogin: string
  /** The author's numeric id, when GitHub gave it: compared before the login (logins can be renamed). */
  readonly authorId?: number
  readonly authorIsBot: boolean
  /** Set when the comment was read from its review thread (GraphQL); REST cannot tell threads apart. */
  readonly thread?: PostedThread
}

/** What GitHub's GraphQL API says about the thread a posted finding starts. */
export interface PostedThread {
  /** GraphQL node id (`PRRT_…`), to reply and resolve. */
  readonly id: string
  readonly resolved: boolean
  /**
   * The thread was already outdated when the last run recorded the pull request's threads (or nothing was
   * recorded): its code did not change in the commits an incremental run reviews.
   */
  readonly outdatedEarlier: boolean
}

export interface DedupeExistingOptions {
  readonly posted: readonly PostedFinding[]
  /** Used to repair a cited path the same way placement does, so fingerprints match. */
  readonly lineIndex: LineIndex
  readonly reviewedPaths: ReadonlySet<string>
  /**
   * Logins whose comments are ours besides bot accounts (a personal token posts as a user). Markers in
   * anyone else's comments are ignored: copying a marker must not suppress a finding.
   */
  readonly trustedLogins?: ReadonlySet<string>
  /**
   * Decides alone which comments are ours, when the caller knows who the action posts as (identity.ts): then a
   * comment by anyone else, bot or not, never counts, however good its marker.
   */
  readonly isOurs?: (posted: PostedFinding) => boolean
}

export interface DedupeExistingResult {
  readonly kept: ModelFinding[]
  /** Findings dropped because an earlier comment already says the same thing at the same place. */
  readonly alreadyPosted: ModelFinding[]
}

export interface LineRange {
  readonly from: number
  readonly to: number
}

/** The range from `start` (or `end` alone) to `end`; undefined without an end line. */
export function rangeOf(start: number | null, end: number | null): LineRange | undefined {
  if (end === null) return undefined
  const first = start ?? end
  return { from: Math.min(first, end), to: Math.max(first, end) }
}

/** Where a posted comment points: its current lines, or, when outdated, the lines it was written on. */
export function postedRange(posted: PostedFinding): LineRange | undefined {
  return posted.line !== null
    ? rangeOf(posted.startLine, posted.line)
    : rangeOf(posted.originalStartLine, posted.originalLine)
}

/** The same place: the ranges overlap give or take NEARBY_LINES. */
export function isNear(a: LineRange, b: LineRange): boolean {
  return a.from - NEARBY_LINES <= b.to && b.from - NEARBY_LINES <= a.to
}

/**
 * The path a finding cites, repaired the way placement repairs it, and the fingerprint of the finding at that
 * path: what comments and the state record, so what dedupe, dismissals and fixed threads compare.
 */
export function citeFinding(
  finding: ModelFinding,
  options: Pick<DedupeExistingOptions, 'lineIndex' | 'reviewedPaths'>
): { readonly path: string; readonly fingerprint: string } {
  const resolved = resolveFindingPath(finding.path, options)
  const path = resolved.ok ? resolved.path : finding.path
  return { path, fingerprint: fingerprintFinding({ ...finding, path }) }
}

/** Comments that are ours: by a bot account or a trusted login. Copied markers elsewhere are ignored. */
export function trustedPosted(
  posted: readonly PostedFinding[],
  trust?: ReadonlySet<string> | ((posted: PostedFinding) => boolean)
): PostedFinding[] {
  if (typeof trust === 'function') return posted.filter(trust)
  return posted.filter((entry) => entry.authorIsBot || (trust?.has(entry.authorLogin) ?? false))
}

/** Splits the run's findings into those to place and post, and those already on the PR. Pure. */
export function dropAlreadyPosted(
  findings: readonly ModelFinding[],
  options: DedupeExistingOptions
): DedupeExistingResult {
  const trusted = trustedPosted(options.posted, options.isOurs ?? options.trustedLogins)
  const byKey = new Map<string, LineRange[]>()
  for (const posted of trusted) {
    if (posted.thread?.resolved === true) continue
    const range = postedRange(posted)
    if (range === undefined) continue
    const key = `${posted.path}\n${posted.fingerprint}`
    byKey.set(key, [...(byKey.get(key) ?? []), range])
  }
  const kept: ModelFinding[] = []
  const alreadyPosted: ModelFinding[] = []
  for (const finding of findings) {
    const { path, fingerprint } = citeFinding(finding, options)
    const cited = rangeOf(finding.startLine, finding.line)
    const ranges = byKey.get(`${path}\n${fingerprint}`) ?? []
    const duplicate = cited !== undefined && ranges.some((range) => isNear(range, cited))
    if (duplicate) alreadyPosted.push(finding)
    else kept.push(finding)
  }
  return { kept, alreadyPosted }
}
