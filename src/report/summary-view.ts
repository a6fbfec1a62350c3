/**
 * The summary comment's and the job summary's view of a run result: which findings the reader must find in
 * the summary (and, after a failed post, the inline ones too), with the publishing notes and the re-run
 * parts. A projection of the run result; nothing is computed again here.
 */
import type { RunResult } from '../engine/run-result.js'
import type { ScopeSummaryParts, SummaryInput } from '../render/summary-input.js'
import { countBySeverity } from '../review/severity-gate.js'
import type { PlacementResult } from '../types.js'

/** What publishing did, as far as the summary tells it. */
export interface Publication {
  /** Inline comments GitHub accepted (the review's, or the count the CLI would post). */
  readonly inlinePosted: number
  /** Set when the review could not be posted at all: its inline findings are listed in the summary instead. */
  readonly reviewError?: string
  /** Notes from publishing, e.g. GitHub rejecting the inline comments (422). */
  readonly notes?: readonly string[]
}

/** The summary of a run: findings, files, chunks, usage and cost, overview, notes and the re-run parts. */
export function toSummaryInput(
  result: RunResult,
  options: { readonly publication: Publication; readonly head: string; readonly scope?: ScopeSummaryParts }
): SummaryInput {
  const { publication } = options
  const inlineLost = publication.reviewError !== undefined
  const { cost } = result
  return {
    headSha: options.head,
    model: result.model,
    reviewedFiles: result.coverage.reviewedFiles,
    skipped: result.coverage.skipped,
    chunks: { total: result.coverage.chunks, failed: result.coverage.failedChunks },
    placement: summaryPlacement(result, inlineLost),
    inlinePosted: inlineLost ? 0 : publication.inlinePosted,
    usage: result.usage,
    ...(cost.usd === undefined ? {} : { costUsd: cost.usd, costIsBilled: cost.source === 'billed' }),
    costSource: cost.source,
    modelCosts: cost.rows,
    ...(result.escalation === undefined ? {} : { escalation: result.escalation }),
    overview: result.overview.text,
    ...(result.overview.risk === undefined ? {} : { risk: result.overview.risk }),
    belowThreshold: {
      threshold: result.settings.severityThreshold,
      counts: countBySeverity(result.findings.belowThreshold)
    },
    verdict: result.verdict,
    ...(result.coverage.nothingReviewed === undefined
      ? {}
      : { nothingReviewed: result.coverage.nothingReviewed.message }),
    lowConfidence: { minConfidence: result.settings.minConfidence, findings: result.findings.lowConfidence },
    notes: [...summaryNotes(result), ...(publication.notes ?? []), ...lostNote(publication), ...result.notes],
    diffSource: result.diffSource,
    ...(options.scope === undefined ? {} : { scope: options.scope }),
    ...(result.rules === undefined ? {} : { rules: result.rules }),
    ...(result.costCeiling === undefined ? {} : { costCeiling: result.costCeiling }),
    ...(result.context === undefined ? {} : { context: result.context })
  }
}

/** The shown placement; when the review was not posted, its inline findings move to the summary's list. */
export function summaryPlacement(result: RunResult, inlineLost: boolean): PlacementResult {
  const placement = result.findings.shown
  if (!inlineLost) return placement
  return {
    inline: [],
    summaryOnly: [
      ...placement.inline.map((placed) => ({
        finding: placed.finding,
        fingerprint: placed.fingerprint,
        reason: 'the review could not be posted'
      })),
      ...placement.summaryOnly
    ],
    duplicates: placement.duplicates
  }
}

function summaryNotes(result: RunResult): string[] {
  return result.planned.nothingToReview === undefined ? [] : [result.planned.nothingToReview]
}

function lostNote(publication: Publication): string[] {
  return publication.reviewError === undefined
    ? []
    : [`The review could not be posted: ${publication.reviewError}. Its findings are listed below.`]
}
