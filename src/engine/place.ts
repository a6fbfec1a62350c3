/**
 * The engine's placement stage: drops findings an earlier run already posted (when the shell can say which),
 * anchors the rest on lines GitHub accepts or moves them to the summary, then holds back those below
 * `severity-threshold`. Nothing the model said is lost: every finding ends up in exactly one list.
 */
import type { LineIndex } from '../diff/line-index.js'
import { getErrorMessage } from '../errors.js'
import { dropAlreadyPosted, trustedPosted, type PostedFinding } from '../review/dedupe-existing.js'
import { placeFindings } from '../review/place-findings.js'
import { applyConfidenceThreshold, type LowConfidenceFinding } from '../review/confidence-gate.js'
import { applySeverityThreshold, type BelowThresholdFinding } from '../review/severity-gate.js'
import type { ChunkOutcome, ModelFinding, PlacementResult, Severity } from '../types.js'
import type { Logger } from './logger.js'

/**
 * The inline comments earlier runs left on the change, as the shell reads them (the action: GitHub's review
 * comments; the CLI has none). `trustedLogins` are the logins whose comments count as ours besides bots.
 */
export interface EarlierComments {
  list(): Promise<{
    readonly posted: readonly PostedFinding[]
    readonly trustedLogins?: ReadonlySet<string>
    /** When the shell knows who it posts as: decides alone which comments are ours. */
    readonly isOurs?: (posted: PostedFinding) => boolean
  }>
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
  /** Our earlier inline comments (trusted authors only), for the reports and gate of a partial review. */
  readonly earlier: readonly PostedFinding[]
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
  return {
    placement,
    shown: byConfidence.placement,
    belowThreshold,
    lowConfidence: byConfidence.lowConfidence,
    unrated: byConfidence.unrated,
    alreadyPosted: earlier.alreadyPosted,
    earlier: earlier.ours
  }
}

interface EarlierResult {
  readonly kept: readonly ModelFinding[]
  readonly alreadyPosted: readonly ModelFinding[]
  readonly ours: readonly PostedFinding[]
}

/**
 * Drops findings an earlier run already posted inline. Reading the comments may fail: then nothing is dropped
 * (a duplicate is better than a lost finding) and the run says so.
 */
async function dropPostedFindings(findings: readonly ModelFinding[], options: PlaceRunOptions): Promise<EarlierResult> {
  const { logger } = options
  if (options.earlier === undefined || (findings.length === 0 && !options.needEarlier)) {
    return { kept: findings, alreadyPosted: [], ours: [] }
  }
  try {
    const { posted, trustedLogins, isOurs } = await options.earlier.list()
    const result = dropAlreadyPosted(findings, {
      posted,
      lineIndex: options.lineIndex,
      reviewedPaths: options.reviewedPaths,
      ...(trustedLogins === undefined ? {} : { trustedLogins }),
      ...(isOurs === undefined ? {} : { isOurs })
    })
    logger.info(
      `${posted.length} earlier comment(s) of ours; ${result.alreadyPosted.length} finding(s) already posted, not repeated.`
    )
    return { ...result, ours: trustedPosted(posted, isOurs ?? trustedLogins) }
  } catch (error: unknown) {
    logger.warning(`Could not read earlier review comments, so none are deduplicated: ${getErrorMessage(error)}`)
    return { kept: findings, alreadyPosted: [], ours: [] }
  }
}
