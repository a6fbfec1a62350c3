/**
 * The engine's placement stage: drops findings an earlier run already posted (when the shell can say which),
 * anchors the rest on lines GitHub accepts or moves them to the summary, then holds back those below
 * `severity-threshold`. Nothing the model said is lost: every finding ends up in exactly one list.
 */
import type { LineIndex } from '../diff/line-index.js'
import { getErrorMessage } from '../errors.js'
import { citeFinding, dropAlreadyPosted, trustedPosted, type PostedFinding } from '../review/dedupe-existing.js'
import { dropDismissed } from '../review/dismissed-findings.js'
import { findFixedThreads, type FixedThread, type RaisedFinding, type ReviewedChange } from '../review/fixed-threads.js'
import { placeFindings } from '../review/place-findings.js'
import { applyConfidenceThreshold, type LowConfidenceFinding } from '../review/confidence-gate.js'
import { applySeverityThreshold, type BelowThresholdFinding } from '../review/severity-gate.js'
import type { ChunkOutcome, ModelFinding, PlacementResult, Severity } from '../types.js'
import type { Logger } from './logger.js'

/**
 * The inline comments earlier runs left on the change, as the shell reads them (the action: GitHub's review
 * comments; the CLI has none). `trustedLogins` are the logins whose comments count as ours besides bots.
 * `dismissed` are the fingerprints of findings people dismissed on the change (issue 13).
 */
export interface EarlierComments {
  list(): Promise<{
    readonly posted: readonly PostedFinding[]
    readonly trustedLogins?: ReadonlySet<string>
    /** When the shell knows who it posts as: decides alone which comments are ours. */
    readonly isOurs?: (posted: PostedFinding) => boolean
    readonly dismissed?: ReadonlySet<string>
  }>
  /**
   * The shell settles threads the run fixed (`resolve-fixed`): the comments are read even when the run finds
   * nothing, and the placement says which threads are fixed.
   */
  readonly settlesThreads?: boolean
}

/** Where every finding of the run went. */
export interface RunPlacement {
  /** Every finding placed, before the severity threshold: what the gate judges. */
  readonly placement: PlacementResult
  /** What is shown: at or above the severity threshold and `min-confidence` (or without a confidence). */
  readonly shown: PlacementResult
  readonly belowThreshold: readonly BelowThresholdFinding[]
  /** At or above the severity threshold but below `min-confidence`: listed, collapsed, in the summary only. */
  readonly lowConfidence: readonly LowConfidenceFinding[]
  /** Shown findings whose answer gave no confidence (unknown is not low). */
  readonly unrated: number
  /** Findings found again that an earlier comment already holds: not posted twice, still reported. */
  readonly alreadyPosted: readonly ModelFinding[]
  /**
   * Our earlier inline comments (trusted authors only) still standing, for the reports and gate of a partial
   * review: threads resolved, fixed by this run or dismissed are left out.
   */
  readonly earlier: readonly PostedFinding[]
  /** Found again, dismissed on the change earlier: not posted, not counted for the gate, not reported. */
  readonly dismissed?: readonly ModelFinding[]
  /** Open threads of ours this run settles (their code changed, the finding is gone), for the shell to resolve. */
  readonly fixed?: readonly FixedThread[]
}

export interface PlaceRunOptions {
  readonly outcomes: readonly ChunkOutcome[]
  /** Lines findings may be placed on (review-input.ts `placementLineIndex`). */
  readonly lineIndex: LineIndex
  /** Paths that were in the reviewed chunks: the model saw no others. */
  readonly reviewedPaths: ReadonlySet<string>
  readonly settings: {
    readonly maxComments: number
    readonly severityThreshold: Severity
    readonly minConfidence: number
  }
  readonly earlier?: EarlierComments
  /** Read the earlier comments even without findings: a partial review's gate and reports need them. */
  readonly needEarlier: boolean
  /** What the review covered, to tell which threads it fixed; without it none is. */
  readonly change?: ReviewedChange
  readonly logger: Logger
}

/** Dedupes against earlier comments, places, ranks, caps and applies the severity threshold. */
export async function placeRunFindings(options: PlaceRunOptions): Promise<RunPlacement> {
  const { logger, settings } = options
  const findings = options.outcomes.flatMap((outcome) => (outcome.ok ? outcome.review.findings : []))
  const earlier = await logger.group('Earlier comments', () => dropPostedFindings(findings, options))
  const placement = await logger.group('Place findings', async () => {
    const result = placeFindings(earlier.kept, {
      maxComments: settings.maxComments,
      lineIndex: options.lineIndex,
      reviewedPaths: options.reviewedPaths,
      minConfidence: settings.minConfidence
    })
    logger.info(
      `${earlier.kept.length} finding(s): ${result.inline.length} inline, ${result.summaryOnly.length} in the summary only, ` +
        `${result.duplicates} duplicate(s) dropped.`
    )
    return result
  })
  // Severity first: a finding below the severity threshold stays counted-only, whatever its confidence.
  const bySeverity = applySeverityThreshold(placement, settings.severityThreshold)
  const { belowThreshold } = bySeverity
  if (belowThreshold.length > 0) {
    logger.info(
      `${belowThreshold.length} finding(s) below severity-threshold ${settings.severityThreshold}: counted, not shown.`
    )
  }
  const byConfidence = applyConfidenceThreshold(bySeverity.placement, settings.minConfidence)
  if (byConfidence.lowConfidence.length > 0) {
    logger.info(
      `${byConfidence.lowConfidence.length} finding(s) below min-confidence ${settings.minConfidence}: listed in the summary only.`
    )
  }
  const fixed = settleThreads(options, { placement, earlier })
  const fixedIds = new Set(fixed.map((entry) => entry.posted.commentId))
  return {
    placement,
    shown: byConfidence.placement,
    belowThreshold,
    lowConfidence: byConfidence.lowConfidence,
    unrated: byConfidence.unrated,
    alreadyPosted: earlier.alreadyPosted,
    earlier: earlier.ours.filter((posted) => !fixedIds.has(posted.commentId)),
    ...(earlier.dismissed.length === 0 ? {} : { dismissed: earlier.dismissed }),
    ...(fixed.length === 0 ? {} : { fixed })
  }
}

/** Threads this run fixed, when the shell settles threads; every finding of the run counts as raised. */
function settleThreads(
  options: PlaceRunOptions,
  found: { readonly placement: PlacementResult; readonly earlier: EarlierResult }
): FixedThread[] {
  if (options.earlier?.settlesThreads !== true || options.change === undefined) return []
  const { placement, earlier } = found
  const cited = (finding: ModelFinding, fingerprint?: string): RaisedFinding => {
    const at = citeFinding(finding, options)
    return {
      path: at.path,
      fingerprint: fingerprint ?? at.fingerprint,
      startLine: finding.startLine,
      line: finding.line
    }
  }
  const raised: RaisedFinding[] = [
    ...placement.inline.map((placed) => ({
      path: placed.path,
      fingerprint: placed.fingerprint,
      startLine: placed.startLine ?? null,
      line: placed.line
    })),
    ...placement.summaryOnly.map((entry) => cited(entry.finding, entry.fingerprint)),
    ...earlier.alreadyPosted.map((finding) => cited(finding))
  ]
  const fixed = findFixedThreads({ earlier: earlier.ours, raised, change: options.change })
  if (fixed.length > 0) options.logger.info(`${fixed.length} open thread(s) of ours fixed by the reviewed changes.`)
  return fixed
}

interface EarlierResult {
  readonly kept: readonly ModelFinding[]
  readonly alreadyPosted: readonly ModelFinding[]
  readonly ours: readonly PostedFinding[]
  readonly dismissed: readonly ModelFinding[]
}

/**
 * Drops findings an earlier run already posted inline. Reading the comments may fail: then nothing is dropped
 * (a duplicate is better than a lost finding) and the run says so.
 */
async function dropPostedFindings(findings: readonly ModelFinding[], options: PlaceRunOptions): Promise<EarlierResult> {
  const { logger } = options
  const wanted = findings.length > 0 || options.needEarlier || options.earlier?.settlesThreads === true
  if (options.earlier === undefined || !wanted) {
    return { kept: findings, alreadyPosted: [], ours: [], dismissed: [] }
  }
  try {
    const { posted, trustedLogins, isOurs, dismissed = new Set<string>() } = await options.earlier.list()
    const split = dropDismissed(findings, {
      dismissed,
      lineIndex: options.lineIndex,
      reviewedPaths: options.reviewedPaths
    })
    const result = dropAlreadyPosted(split.kept, {
      posted,
      lineIndex: options.lineIndex,
      reviewedPaths: options.reviewedPaths,
      ...(trustedLogins === undefined ? {} : { trustedLogins }),
      ...(isOurs === undefined ? {} : { isOurs })
    })
    logger.info(
      `${posted.length} earlier comment(s) of ours; ${result.alreadyPosted.length} finding(s) already posted, not repeated.`
    )
    if (split.dismissed.length > 0) {
      logger.info(
        `${split.dismissed.length} finding(s) dismissed earlier on this pull request: not posted, not counted.`
      )
    }
    // Resolved threads and dismissed findings no longer stand: not for the gate, not for the reports.
    const ours = trustedPosted(posted, isOurs ?? trustedLogins).filter(
      (entry) => entry.thread?.resolved !== true && !dismissed.has(entry.fingerprint)
    )
    return { ...result, ours, dismissed: split.dismissed }
  } catch (error: unknown) {
    logger.warning(`Could not read earlier review comments, so none are deduplicated: ${getErrorMessage(error)}`)
    return { kept: findings, alreadyPosted: [], ours: [], dismissed: [] }
  }
}
