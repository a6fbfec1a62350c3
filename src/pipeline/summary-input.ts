import type { SummaryInput } from '../render/summary-input.js'
import type { ChunkOutcome, PlacementResult, PullDiffSource, PullRequestInfo, Severity } from '../types.js'
import type { PreparedReview } from './prepare.js'
import { mergeOverviews } from './merge-overview.js'
import { summariseCost } from './cost-report.js'
import { totalUsage } from './usage.js'

/** Gathers what the summary reports from the run's stages. Pure. */
export function buildSummaryInput(options: {
  readonly model: string
  readonly pullRequest: Pick<PullRequestInfo, 'headSha'>
  readonly prepared: PreparedReview
  readonly outcomes: readonly ChunkOutcome[]
  readonly placement: PlacementResult
  readonly inlinePosted: number
  readonly source: PullDiffSource
  readonly notes: readonly string[]
  /** The review failed to post: its inline findings must be shown in the summary instead. */
  readonly inlineLost: boolean
  /** Findings held back by `severity-threshold`, counted per severity. */
  readonly belowThreshold?: SummaryInput['belowThreshold']
  /** The escalation model and the verify gate, to report what escalation did and cost. */
  readonly escalation?: { readonly model: string; readonly verifySeverity: Severity | 'off' }
}): SummaryInput {
  const { prepared, outcomes } = options
  const failed = outcomes.flatMap((outcome) =>
    outcome.ok
      ? []
      : [{ id: outcome.chunk.id, paths: [...new Set(outcome.chunk.pieces.map((piece) => piece.path))], error: outcome.error }]
  )
  const cost = summariseCost({ outcomes, model: options.model, ...(options.escalation ? { escalation: options.escalation } : {}) })
  const placement = options.inlineLost ? moveInlineToSummary(options.placement) : options.placement
  const notes = [...options.notes]
  if (options.source.kind === 'files') {
    notes.push(`GitHub would not return the whole diff (${options.source.fallbackReason}); files were listed one by one.`)
    if (options.source.truncated) notes.push('GitHub lists at most 3,000 files: files beyond that were not reviewed.')
  }
  const overview = mergeOverviews(outcomes)
  return {
    headSha: options.pullRequest.headSha,
    model: options.model,
    reviewedFiles: [...new Set(prepared.plan.chunks.flatMap((chunk) => chunk.pieces.map((piece) => piece.path)))],
    skipped: prepared.filter.skipped,
    chunks: { total: outcomes.length, failed },
    placement,
    inlinePosted: options.inlineLost ? 0 : options.inlinePosted,
    usage: totalUsage(outcomes),
    ...cost,
    overview: overview.text,
    ...(overview.risk === undefined ? {} : { risk: overview.risk }),
    ...(options.belowThreshold === undefined ? {} : { belowThreshold: options.belowThreshold }),
    notes,
    diffSource: options.source.kind === 'unified' ? 'unified diff' : 'per-file patches (listFiles)'
  }
}

function moveInlineToSummary(placement: PlacementResult): PlacementResult {
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
