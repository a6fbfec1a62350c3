import type { SummaryInput } from '../render/summary.js'
import type { ChunkOutcome, PlacementResult, PullDiffSource, PullRequestInfo } from '../types.js'
import type { PreparedReview } from './prepare.js'
import { estimateCost, totalUsage } from './usage.js'

const MAX_OVERVIEW_ITEMS = 12

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
}): SummaryInput {
  const { prepared, outcomes } = options
  const failed = outcomes.flatMap((outcome) =>
    outcome.ok
      ? []
      : [{ id: outcome.chunk.id, paths: [...new Set(outcome.chunk.pieces.map((piece) => piece.path))], error: outcome.error }]
  )
  const cost = estimateCost(options.model, outcomes)
  const placement = options.inlineLost ? moveInlineToSummary(options.placement) : options.placement
  const notes = [...options.notes]
  if (options.source.kind === 'files') {
    notes.push(`GitHub would not return the whole diff (${options.source.fallbackReason}); files were listed one by one.`)
    if (options.source.truncated) notes.push('GitHub lists at most 3,000 files: files beyond that were not reviewed.')
  }
  return {
    headSha: options.pullRequest.headSha,
    model: options.model,
    reviewedFiles: [...new Set(prepared.plan.chunks.flatMap((chunk) => chunk.pieces.map((piece) => piece.path)))],
    skipped: prepared.filter.skipped,
    chunks: { total: outcomes.length, failed },
    placement,
    inlinePosted: options.inlineLost ? 0 : options.inlinePosted,
    usage: totalUsage(outcomes),
    ...(cost === undefined ? {} : { costUsd: cost.usd, costIsBilled: cost.billed }),
    overview: mergeOverviews(outcomes),
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

/** One line per chunk's overview, in chunk order, without repeats: no second pass over the diff. */
function mergeOverviews(outcomes: readonly ChunkOutcome[]): string {
  const seen = new Set<string>()
  const lines: string[] = []
  for (const outcome of outcomes) {
    if (!outcome.ok) continue
    const text = outcome.review.overview.trim()
    if (text === '' || seen.has(text)) continue
    seen.add(text)
    lines.push(outcomes.length > 1 ? `- ${text}` : text)
  }
  return lines.slice(0, MAX_OVERVIEW_ITEMS).join('\n')
}
