/**
 * Earlier runs, as the action sees them on GitHub: the signed state in the summary comment, what this run
 * reviews because of it (nothing, only the new commits, or everything and why), the earlier inline comments
 * the engine dedupes against, and what this run records for the next one.
 */
import { buildLineIndex, type LineIndex } from '../diff/line-index.js'
import { parseFilePatches } from '../diff/file-patches.js'
import { parseUnifiedDiff } from '../diff/parse.js'
import type { Logger } from '../engine/logger.js'
import type { EarlierComments } from '../engine/place.js'
import type { ReviewFocus } from '../engine/review-input.js'
import type { RunResult } from '../engine/run-result.js'
import { getErrorMessage } from '../errors.js'
import type { GitHubApi } from '../github/client.js'
import { isAuthoredBy } from '../github/identity.js'
import { compareCommits, fetchCompareDiff } from '../github/compare.js'
import { listPostedFindings } from '../github/existing-comments.js'
import { findSummaryComment } from '../github/summary-comment.js'
import { SUMMARY_MARKER } from '../render/summary-input.js'
import { summaryPlacement, type Publication } from '../report/summary-view.js'
import { meetsMinConfidence } from '../review/confidence-gate.js'
import { meetsSeverity, type SeverityLevel } from '../review/severity-gate.js'
import { concludeRun, type ConcludedRun, type RunTracking } from '../state/conclude-run.js'
import { fingerprintConfig, type FingerprintedSettings } from '../state/config-fingerprint.js'
import { decideAfterCompare, planScope, type FullScope, type IncrementalScope } from '../state/plan-scope.js'
import { decodeStateMarker, MAX_CARRIED_TITLE, type StateLookup, type StateSeal } from '../state/review-state.js'
import type { PostedFinding } from '../review/dedupe-existing.js'
import type { ThreadTracking } from '../state/thread-status.js'
import type { DiffFile, ModelFinding, PullDiffSource, PullRequestInfo, Severity } from '../types.js'
import type { PostingIdentity } from './posting-identity.js'

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
  options: {
    readonly seal: StateSeal
    readonly log: (message: string) => void
    /** Whose comment can be the summary: the action's own only (posting-identity.ts). */
    readonly isOurs: PostingIdentity['isOurs']
  }
): Promise<PreviousReview> {
  try {
    const comment = await findSummaryComment(api, options.seal.ref, SUMMARY_MARKER, { isOurs: options.isOurs })
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
    current: {
      headSha: pullRequest.headSha,
      baseRef: pullRequest.baseRef,
      baseSha: pullRequest.baseSha,
      config: options.config
    },
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

/** What the run knows about earlier runs and what it will review. */
export interface IncrementalPlan {
  readonly scope: ResolvedScope
  readonly previous: PreviousReview
  readonly config: Readonly<Record<string, string>>
  readonly seal: StateSeal
  readonly pullRequest: PullRequestInfo
  /** Who the action posts as: which comments it may edit and trust. */
  readonly poster: PostingIdentity
}

const SHORT_SHA = 12

/** Reads the summary's state and decides: already reviewed, incremental since a head, or full (and why). */
export async function planIncrementalReview(
  github: GitHubApi,
  options: {
    readonly pullRequest: PullRequestInfo
    readonly settings: FingerprintedSettings & { readonly fullReview: boolean; readonly apiKey: string }
    /** Other things that shape the review (e.g. the repository config), by kebab-case name. */
    readonly extra?: Readonly<Record<string, string>>
    readonly poster: PostingIdentity
    readonly logger: Logger
  }
): Promise<IncrementalPlan> {
  const { pullRequest, settings, logger, poster } = options
  const seal = {
    ref: pullRequest,
    secret: settings.apiKey,
    ...(poster.sealAuthor === undefined ? {} : { author: poster.sealAuthor })
  }
  const previous = await readPreviousReview(github, { seal, log: logger.warning, isOurs: poster.isOurs })
  const config = fingerprintConfig({ settings, ...(options.extra === undefined ? {} : { extra: options.extra }) })
  const scope = await resolveReviewScope(github, { pullRequest, previous, config, forceFull: settings.fullReview })
  logger.info(describeForLog(scope, previous))
  return { scope, previous, config, seal, pullRequest, poster }
}

function describeForLog(scope: ResolvedScope, previous: PreviousReview): string {
  const lookup = previous.lookup
  const note = !lookup.found && lookup.reason !== 'missing' ? `Earlier state ${lookup.reason}, not trusted. ` : ''
  switch (scope.kind) {
    case 'already-reviewed':
      return `${note}Head ${scope.head.slice(0, SHORT_SHA)} was already reviewed with the same settings: no model request.`
    case 'incremental':
      return `${note}Incremental review: ${scope.commits} new commit(s) since ${scope.from.slice(0, SHORT_SHA)}.`
    case 'full':
      return `${note}Full review (${scope.reason}${scope.settings === undefined ? '' : `: ${scope.settings.join(', ')}`}).`
  }
}

function parseSource(source: PullDiffSource): DiffFile[] {
  return source.kind === 'unified' ? parseUnifiedDiff(source.text) : parseFilePatches(source.files)
}

/** What this run sends to the model, and how it relates to the pull request's own diff. */
export interface FocusedSource {
  /** The diff to plan chunks from: the compare diff for an incremental review, else the pull request's. */
  readonly source: PullDiffSource
  /** Files of the compare diff the pull request does not change (e.g. merged in from the base branch). */
  readonly outsidePull: number
  /** Review only these paths (the files the pull request changes); undefined = all. */
  readonly onlyPaths?: ReadonlySet<string>
  /** Commentable lines of the pull request's own diff, for an incremental review. */
  readonly pullIndex?: LineIndex
}

/**
 * For an incremental review, the compare diff of the new commits narrowed to files the pull request changes
 * (with the pull request's own lines for placement); for a full review, the pull request's diff as it is.
 */
export function focusReview(
  scope: Exclude<ResolvedScope, { kind: 'already-reviewed' }>,
  pullSource: PullDiffSource
): FocusedSource {
  if (scope.kind === 'full') return { source: pullSource, outsidePull: 0 }
  const pullFiles = parseSource(pullSource)
  const onlyPaths = new Set(pullFiles.map((file) => file.path))
  const outsidePull = parseSource(scope.diff).filter((file) => !onlyPaths.has(file.path)).length
  return { source: scope.diff, onlyPaths, outsidePull, pullIndex: buildLineIndex(pullFiles) }
}

/** The engine's focus for a focused source: set only for an incremental review. */
export function toReviewFocus(focused: FocusedSource): ReviewFocus | undefined {
  const { onlyPaths, pullIndex } = focused
  if (onlyPaths === undefined || pullIndex === undefined) return undefined
  return { onlyPaths, pullIndex, outsidePull: focused.outsidePull }
}

/**
 * The pull request's earlier inline comments for the engine's dedupe: comments by a bot, or by the account
 * that wrote the verified summary (a personal token posts as a user).
 */
export function earlierCommentsOf(github: GitHubApi, plan: IncrementalPlan): EarlierComments {
  const { identity } = plan.poster
  const trustedLogin = plan.previous.trustedLogin
  return {
    list: async () => ({
      posted: await listPostedFindings(github, plan.pullRequest),
      // With the identity known, only its comments count; else bots and the verified summary's author.
      ...(identity === undefined
        ? trustedLogin === undefined
          ? {}
          : { trustedLogins: new Set([trustedLogin]) }
        : {
            isOurs: (posted: PostedFinding) =>
              isAuthoredBy(identity, {
                login: posted.authorLogin,
                ...(posted.authorId === undefined ? {} : { id: posted.authorId }),
                type: posted.authorIsBot ? 'Bot' : 'User'
              })
          })
    })
  }
}

/** What publishing needs to record this run in the summary's state and history. */
export function trackRun(
  plan: IncrementalPlan,
  counts: {
    readonly alreadyPosted: readonly ModelFinding[]
    readonly outsidePull: number
    /** The review threads after the run, when they could be read. */
    readonly threads?: ThreadTracking
  }
): RunTracking {
  const { scope } = plan
  return {
    ...(counts.threads === undefined ? {} : { threads: counts.threads }),
    scope: scope.kind === 'incremental' ? { kind: 'incremental', from: scope.from, commits: scope.commits } : scope,
    previous: plan.previous.lookup.found ? plan.previous.lookup.state : null,
    config: plan.config,
    seal: plan.seal,
    pullRequest: plan.pullRequest,
    alreadyPosted: counts.alreadyPosted,
    outsidePull: counts.outsidePull
  }
}

/** The most severe finding of the last run that reviewed this head, when one recorded it. */
export function recordedMaxSeverity(plan: IncrementalPlan): Severity | undefined {
  const lookup = plan.previous.lookup
  if (!lookup.found) return undefined
  const runs = lookup.state.history.filter(
    (entry) => entry.head === plan.pullRequest.headSha && entry.kind !== 'skipped'
  )
  return runs[runs.length - 1]?.maxSeverity
}

/**
 * `fail-on-severity` for a run that reviewed nothing: the verdict of the run that reviewed this head, so
 * re-running a job that failed the gate does not turn it green without a change. Undefined = pass. With the
 * threads (issue 13), a verdict whose findings were all dismissed since (or whose threads a writer resolved)
 * passes: a dismissal counts on a re-run too, not only on the next push.
 */
export function replayRecordedGate(
  plan: IncrementalPlan,
  failOn: SeverityLevel,
  threads?: StandingFindings
): string | undefined {
  const severity = recordedMaxSeverity(plan)
  if (failOn === 'off' || severity === undefined || !meetsSeverity(severity, failOn)) return undefined
  if (threads !== undefined && !standsAtGate(plan, failOn, threads)) return undefined
  return (
    `A finding of severity ${severity} reaches fail-on-severity ${failOn}: it was reported by the review of ` +
    `${plan.pullRequest.headSha.slice(0, SHORT_SHA)}, which this re-run did not repeat (see the review comments).`
  )
}

/** What the threads say about the findings of earlier runs (issue 13), for replaying the gate. */
export interface StandingFindings {
  /** Severities of the open threads of ours (not resolved, not dismissed). */
  readonly open: readonly Severity[]
  /** Fingerprints people dismissed. */
  readonly dismissed: ReadonlySet<string>
  /** `severity-threshold`: only findings at or above it have a thread (or a line in the summary) to dismiss. */
  readonly threshold: Severity
}

/**
 * Whether a finding that reaches the gate still stands after dismissals: an open thread of ours, or a summary-only
 * finding not dismissed, at the gate. When the gate is below the severity threshold, a finding reaching it may
 * have been held back (no thread, nothing to dismiss), so the recorded verdict stands.
 */
function standsAtGate(plan: IncrementalPlan, failOn: Severity, threads: StandingFindings): boolean {
  if (!meetsSeverity(failOn, threads.threshold)) return true
  const lookup = plan.previous.lookup
  const carried = lookup.found ? (lookup.state.summaryOnly ?? []) : []
  return [
    ...threads.open,
    ...carried.filter((finding) => !threads.dismissed.has(finding.fingerprint)).map((finding) => finding.severity)
  ].some((severity) => meetsSeverity(severity, failOn))
}

/**
 * This run's entry in the signed state, once the review is published: the head counts as reviewed only when
 * every chunk was reviewed AND the review reached GitHub; findings that could not go inline (including those of
 * a review that could not be posted) ride along in the state, so nothing is lost on the next push.
 */
export function concludeTracking(options: {
  readonly plan: IncrementalPlan
  readonly result: RunResult
  readonly publication: Publication
  /** ISO 8601 UTC. */
  readonly at: string
  /** The review threads after the run; the inline comments it posted are counted here as open threads. */
  readonly threads?: ThreadTracking
}): ConcludedRun {
  const { plan, result, publication, threads } = options
  const tracking = trackRun(plan, {
    alreadyPosted: result.findings.alreadyPosted,
    outsidePull: result.planned.input.focus?.outsidePull ?? 0,
    ...(threads === undefined
      ? {}
      : {
          threads: { ...threads, counts: { ...threads.counts, open: threads.counts.open + publication.inlinePosted } }
        })
  })
  const reviewPosted = publication.reviewError === undefined
  const listed = summaryPlacement(result, !reviewPosted)
  const shown = result.findings.shown
  // What fail-on-severity judged (below the severity threshold included, doubted findings not): a re-run of
  // this head replays the gate from the most severe of these.
  const { placement } = result.findings
  const judged = [...placement.inline, ...placement.summaryOnly].filter((entry) =>
    meetsMinConfidence(entry.finding, result.settings.minConfidence)
  )
  return concludeRun(tracking, {
    complete: result.coverage.complete && reviewPosted,
    findings: shown.inline.length + shown.summaryOnly.length,
    severities: judged.map((entry) => entry.finding.severity),
    at: options.at,
    summaryOnly: listed.summaryOnly.map(({ finding, fingerprint }) => ({
      path: finding.path,
      line: finding.line,
      severity: finding.severity,
      title: finding.title.slice(0, MAX_CARRIED_TITLE),
      fingerprint
    })),
    reviewedPaths: result.coverage.reviewedPaths,
    ...(result.cost.usd === undefined ? {} : { spentUsd: result.cost.usd })
  })
}

/** Dollars earlier runs on the pull request spent, from the verified state (0 when there is none). */
export function spentBefore(plan: IncrementalPlan): number {
  return plan.previous.lookup.found ? (plan.previous.lookup.state.spentUsd ?? 0) : 0
}
