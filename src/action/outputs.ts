/**
 * The step's outputs, set in one place: every `core.setOutput` of the action is here, so the outputs
 * action.yml declares, the README documents and the code sets cannot drift apart.
 */
import * as core from '@actions/core'
import { formatCostOutput } from '../engine/cost.js'
import type { RunResult } from '../engine/run-result.js'
import type { Severity } from '../types.js'
import type { PublishedRun } from './publish.js'
import type { WrittenReports } from './write-reports.js'

/** Counts that are zero when a run reviews nothing. */
const COUNT_OUTPUTS = [
  'findings',
  'comments-posted',
  'files-reviewed',
  'files-skipped',
  'chunks',
  'chunks-failed',
  'input-tokens',
  'output-tokens',
  'chunks-over-ceiling'
] as const

/** Dollars as the outputs give them: a plain decimal to a millionth (`cost-usd`'s format). */
function formatDollarsOutput(usd: number): string {
  return formatCostOutput({ costUsd: usd, costSource: 'estimated' })
}

/** The outputs of a run that reviewed: counts, tokens, cost, the review and summary ids, the reports. */
export function setRunOutputs(options: {
  readonly result: RunResult
  readonly published: PublishedRun
  readonly reports: WrittenReports
}): void {
  const { result, published } = options
  const { findings, coverage, usage } = result
  const found = findings.shown.inline.length + findings.shown.summaryOnly.length + findings.belowThreshold.length
  core.setOutput('findings', found)
  core.setOutput('comments-posted', published.inlinePosted)
  core.setOutput('files-reviewed', coverage.reviewedFiles.length)
  core.setOutput('files-skipped', coverage.skipped.length)
  core.setOutput('chunks', coverage.chunks)
  core.setOutput('chunks-failed', coverage.failedChunks.length)
  core.setOutput('input-tokens', usage.inputTokens)
  core.setOutput('output-tokens', usage.outputTokens)
  core.setOutput(
    'cost-usd',
    formatCostOutput({
      costSource: result.cost.source,
      ...(result.cost.usd === undefined ? {} : { costUsd: result.cost.usd })
    })
  )
  core.setOutput('review-id', published.reviewId ?? '')
  core.setOutput('summary-comment-id', published.summaryCommentId)
  setSpendingOutputs(result)
  setReportOutputs(options.reports)
}

/** `cost-ceiling-usd`, `chunks-over-ceiling` and `pr-cost-usd`: spent against the ceilings. */
function setSpendingOutputs(result: RunResult): void {
  const ceiling = result.costCeiling
  core.setOutput('cost-ceiling-usd', ceiling === undefined ? '' : formatDollarsOutput(ceiling.ceilingUsd))
  core.setOutput('chunks-over-ceiling', ceiling?.notReviewed.length ?? 0)
  core.setOutput('pr-cost-usd', result.pullSpentUsd === undefined ? '' : formatDollarsOutput(result.pullSpentUsd))
}

/** `max-severity`, `report-path` and `sarif-path`: empty paths when a file could not be written. */
export function setReportOutputs(reports: WrittenReports): void {
  core.setOutput('max-severity', reports.maxSeverity)
  core.setOutput('report-path', reports.reportPath ?? '')
  core.setOutput('sarif-path', reports.sarifPath ?? '')
}

/** A re-run of a head already reviewed: nothing sent, nothing found anew; the recorded severity stands. */
export function setAlreadyReviewedOutputs(options: {
  readonly maxSeverity: Severity | undefined
  readonly summaryCommentId: number
  /** Dollars the pull request's runs have spent (the signed state). */
  readonly pullSpentUsd: number
}): void {
  for (const name of COUNT_OUTPUTS) core.setOutput(name, 0)
  core.setOutput('cost-usd', '0')
  core.setOutput('cost-ceiling-usd', '')
  core.setOutput('pr-cost-usd', formatDollarsOutput(options.pullSpentUsd))
  core.setOutput('max-severity', options.maxSeverity ?? 'none')
  core.setOutput('review-id', '')
  core.setOutput('summary-comment-id', options.summaryCommentId)
}
