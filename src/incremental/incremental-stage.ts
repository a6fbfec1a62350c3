/**
 * The calls main.ts makes for re-runs, each one line there: decide the scope from earlier runs, drop
 * findings already posted, and hand publishing what it needs to record this run.
 */
import type { LineIndex } from '../diff/line-index.js'
import { getErrorMessage } from '../errors.js'
import type { GitHubApi } from '../github/client.js'
import { listPostedFindings } from '../github/existing-comments.js'
import type { Logger } from '../pipeline/logger.js'
import { dropAlreadyPosted, trustedPosted, type DedupeExistingResult, type PostedFinding } from '../review/dedupe-existing.js'
import { meetsSeverity, type SeverityLevel } from '../review/severity-gate.js'
import type { ModelFinding, PullRequestInfo, Severity } from '../types.js'
import type { RunTracking } from './conclude-run.js'
import { fingerprintConfig, type FingerprintedSettings } from './config-fingerprint.js'
import { readPreviousReview, resolveReviewScope, type PreviousReview, type ResolvedScope } from './review-scope.js'
import type { StateSeal } from './review-state.js'

/** What the run knows about earlier runs and what it will review. */
export interface IncrementalPlan {
  readonly scope: ResolvedScope
  readonly previous: PreviousReview
  readonly config: Readonly<Record<string, string>>
  readonly seal: StateSeal
  readonly pullRequest: PullRequestInfo
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
    readonly logger: Logger
  }
): Promise<IncrementalPlan> {
  const { pullRequest, settings, logger } = options
  const seal = { ref: pullRequest, secret: settings.apiKey }
  const previous = await readPreviousReview(github, { seal, log: logger.warning })
  const config = fingerprintConfig({ settings, ...(options.extra === undefined ? {} : { extra: options.extra }) })
  const scope = await resolveReviewScope(github, { pullRequest, previous, config, forceFull: settings.fullReview })
  logger.info(describeForLog(scope, previous))
  return { scope, previous, config, seal, pullRequest }
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

export interface EarlierComments extends DedupeExistingResult {
  /** Our earlier inline comments (trusted authors only), for the severity gate of an incremental run. */
  readonly ours: readonly PostedFinding[]
}

/**
 * Drops findings an earlier run already posted inline, and returns our earlier comments. Reading the
 * comments may fail: then nothing is dropped (a duplicate is better than a lost finding) and the run says so.
 * They are read when there are findings to check, or when `needComments` (an incremental run gated by
 * fail-on-severity must see the earlier findings it did not review again).
 */
export async function dropPostedFindings(
  github: GitHubApi,
  options: {
    readonly plan: IncrementalPlan
    readonly findings: readonly ModelFinding[]
    readonly lineIndex: LineIndex
    readonly reviewedPaths: ReadonlySet<string>
    readonly needComments?: boolean
    readonly logger: Logger
  }
): Promise<EarlierComments> {
  const { plan, logger } = options
  if (options.findings.length === 0 && options.needComments !== true) return { kept: [], alreadyPosted: [], ours: [] }
  try {
    const posted = await listPostedFindings(github, plan.pullRequest)
    const trustedLogin = plan.previous.trustedLogin
    const trustedLogins = trustedLogin === undefined ? undefined : new Set([trustedLogin])
    const result = dropAlreadyPosted(options.findings, {
      posted,
      lineIndex: options.lineIndex,
      reviewedPaths: options.reviewedPaths,
      ...(trustedLogins === undefined ? {} : { trustedLogins })
    })
    logger.info(`${posted.length} earlier comment(s) of ours; ${result.alreadyPosted.length} finding(s) already posted, not repeated.`)
    return { ...result, ours: trustedPosted(posted, trustedLogins) }
  } catch (error: unknown) {
    logger.warning(`Could not read earlier review comments, so none are deduplicated: ${getErrorMessage(error)}`)
    return { kept: [...options.findings], alreadyPosted: [], ours: [] }
  }
}

/** What publishing needs to record this run in the summary's state and history. */
export function trackRun(
  plan: IncrementalPlan,
  counts: { readonly alreadyPosted: readonly ModelFinding[]; readonly outsidePull: number }
): RunTracking {
  const { scope } = plan
  return {
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
  const runs = lookup.state.history.filter((entry) => entry.head === plan.pullRequest.headSha && entry.kind !== 'skipped')
  return runs[runs.length - 1]?.maxSeverity
}

/**
 * `fail-on-severity` for a run that reviewed nothing: the verdict of the run that reviewed this head, so
 * re-running a job that failed the gate does not turn it green without a change. Undefined = pass.
 */
export function replayRecordedGate(plan: IncrementalPlan, failOn: SeverityLevel): string | undefined {
  const severity = recordedMaxSeverity(plan)
  if (failOn === 'off' || severity === undefined || !meetsSeverity(severity, failOn)) return undefined
  return (
    `A finding of severity ${severity} reaches fail-on-severity ${failOn}: it was reported by the review of ` +
    `${plan.pullRequest.headSha.slice(0, SHORT_SHA)}, which this re-run did not repeat (see the review comments).`
  )
}
