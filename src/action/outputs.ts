/**
 * The step's outputs, set in one place: every `core.setOutput` of the action is here, so the outputs
 * action.yml declares, the README documents and the code sets cannot drift apart.
 */
import * as core from '@actions/core'
import { formatCostOutput } from '../engine/cost.js'
import type { RunResult } from '../engine/run-result.js'
import type { PlanReport } from '../report/plan-report.js'
import type { Severity, TokenUsage } from '../types.js'
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
  'threads-resolved',
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
  /** Threads of the action this run resolved because the new commits fixed them (issue 13). */
  readonly threadsResolved?: number
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
  core.setOutput('threads-resolved', options.threadsResolved ?? 0)
  core.setOutput(
    'cost-usd',
    formatCostOutput({
      costSource: result.cost.source,
      ...(result.cost.usd === undefined ? {} : { costUsd: result.cost.usd })
    })
  )
  core.setOutput('review-id', published.reviewId ?? '')
  core.setOutput('summary-comment-id', published.summaryCommentId)
  core.setOutput('verdict', result.verdict.verdict)
  core.setOutput('verdict-confidence', result.verdict.confidence === undefined ? '' : String(result.verdict.confidence))
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
  /** Fixed threads an earlier run could not resolve, resolved by this one (issue 13). */
  readonly threadsResolved?: number
  /** Dollars the pull request's runs have spent (the signed state). */
  readonly pullSpentUsd: number
}): void {
  for (const name of COUNT_OUTPUTS) core.setOutput(name, 0)
  core.setOutput('threads-resolved', options.threadsResolved ?? 0)
  core.setOutput('cost-usd', '0')
  core.setOutput('cost-ceiling-usd', '')
  core.setOutput('pr-cost-usd', formatDollarsOutput(options.pullSpentUsd))
  core.setOutput('max-severity', options.maxSeverity ?? 'none')
  core.setOutput('review-id', '')
  core.setOutput('summary-comment-id', options.summaryCommentId)
  core.setOutput('verdict', 'none')
  core.setOutput('verdict-confidence', '')
}

/** A dry run: what would be reviewed; nothing was found, spent or posted. */
export function setDryRunOutputs(report: PlanReport): void {
  for (const name of COUNT_OUTPUTS) core.setOutput(name, 0)
  core.setOutput('files-reviewed', report.reviewed.length)
  core.setOutput('files-skipped', report.skipped.length)
  core.setOutput('chunks', report.requests)
  core.setOutput('cost-usd', '0')
  core.setOutput('max-severity', 'none')
  core.setOutput('review-id', '')
  core.setOutput('summary-comment-id', '')
  core.setOutput('verdict', 'none')
  core.setOutput('verdict-confidence', '')
}

/**
 * A run that answered a reply in a review thread (issue 13): the tokens and cost of the answer, and whether it
 * resolved the thread (an accepted dismissal); the review's counts are zero, its ids empty.
 */
export function setReplyOutputs(options: {
  readonly usage: TokenUsage
  /** As `formatCostOutput` writes it. */
  readonly cost: string
  readonly threadsResolved: number
}): void {
  for (const name of COUNT_OUTPUTS) core.setOutput(name, 0)
  core.setOutput('input-tokens', options.usage.inputTokens)
  core.setOutput('output-tokens', options.usage.outputTokens)
  core.setOutput('threads-resolved', options.threadsResolved)
  core.setOutput('cost-usd', options.cost)
  core.setOutput('max-severity', 'none')
  core.setOutput('review-id', '')
  core.setOutput('summary-comment-id', '')
  core.setOutput('verdict', 'none')
  core.setOutput('verdict-confidence', '')
}
