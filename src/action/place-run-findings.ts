import type { GitHubApi } from '../github/client.js'
import { dropPostedFindings, type EarlierComments } from '../incremental/incremental-stage.js'
import { placementLineIndex } from '../incremental/review-scope.js'
import type { Logger } from '../pipeline/logger.js'
import { reviewedPathsOf } from '../pipeline/prepare.js'
import { placeFindings } from '../review/place-findings.js'
import { applySeverityThreshold, type BelowThresholdFinding } from '../review/severity-gate.js'
import type { PlacementResult } from '../types.js'
import type { ReviewContext } from './review-context.js'
import type { DiffReview } from './review-diff.js'

export interface RunPlacement {
  /** Every finding placed, before the severity threshold: what the gate judges. */
  readonly placement: PlacementResult
  /** What is shown: at or above the severity threshold. */
  readonly shown: PlacementResult
  readonly belowThreshold: readonly BelowThresholdFinding[]
  readonly earlier: EarlierComments
}

/**
 * Drops findings earlier runs already posted, anchors the rest on lines GitHub accepts (or moves them to
 * the summary), then holds back those below `severity-threshold`.
 */
export async function placeRunFindings(
  github: GitHubApi,
  options: { readonly context: ReviewContext; readonly review: DiffReview; readonly logger: Logger }
): Promise<RunPlacement> {
  const { context, review, logger } = options
  const { config } = context
  const lineIndex = placementLineIndex(review.focus, review.prepared.lineIndex)
  const reviewedPaths = reviewedPathsOf(review.prepared.plan)
  const earlier = await logger.group('Earlier comments', () =>
    dropPostedFindings(github, {
      plan: context.incremental,
      findings: review.outcomes.flatMap((outcome) => (outcome.ok ? outcome.review.findings : [])),
      lineIndex,
      reviewedPaths,
      // An incremental run needs them even without findings: for the severity gate and the reports.
      needComments: context.incremental.scope.kind === 'incremental',
      logger
    })
  )
  const placement = await logger.group('Place findings', async () => {
    const result = placeFindings(earlier.kept, { maxComments: config.maxComments, lineIndex, reviewedPaths })
    logger.info(
      `${earlier.kept.length} finding(s): ${result.inline.length} inline, ${result.summaryOnly.length} in the summary only, ` +
        `${result.duplicates} duplicate(s) dropped.`
    )
    return result
  })
  const { placement: shown, belowThreshold } = applySeverityThreshold(placement, config.severityThreshold)
  if (belowThreshold.length > 0) {
    logger.info(`${belowThreshold.length} finding(s) below severity-threshold ${config.severityThreshold}: counted, not posted.`)
  }
  return { placement, shown, belowThreshold, earlier }
}
