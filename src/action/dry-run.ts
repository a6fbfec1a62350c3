/**
 * The action's dry run (`dry-run: true`): the plan of the review, as the CLI's dry run shows it, written to the
 * job summary, with no model request and nothing posted on the pull request. It needs no key, so it runs on
 * forks and on this repository's own pull requests as a safe self-test of the action.
 */
import type { Config } from '../config/config.js'
import { estimatePlan } from '../engine/estimate.js'
import type { Logger } from '../engine/logger.js'
import type { PlannedReview } from '../engine/plan-review.js'
import { formatUsd } from '../render/format.js'
import { renderPlanMarkdown } from '../report/plan-markdown.js'
import { toPlanReport, type PlanReport } from '../report/plan-report.js'
import { writeJobSummary } from './publish.js'

/** Plans, estimates and writes the job summary; returns the plan report for the outputs. */
export async function publishDryRun(options: {
  readonly planned: PlannedReview
  readonly config: Config
  readonly logger: Logger
}): Promise<PlanReport> {
  const { planned, config, logger } = options
  const estimate = estimatePlan({
    chunkTokens: planned.prepared.plan.chunks.map((chunk) => chunk.tokens),
    pullRequest: planned.input.pullRequest,
    settings: config
  })
  const report = toPlanReport(planned, { model: config.model, maxChunkTokens: config.maxChunkTokens, estimate })
  const cost = report.estimate.usd === undefined ? 'cost unknown' : `estimated ${formatUsd(report.estimate.usd)}`
  logger.info(
    `Dry run: would review ${report.reviewed.length} file(s) in ${report.requests} request(s), ${cost}; ` +
      'nothing was sent to the model and nothing was posted.'
  )
  const banner =
    '> [!NOTE]\n> Dry run (`dry-run: true`): nothing was sent to the model and nothing was posted on the pull request.'
  await writeJobSummary(`${banner}\n\n${renderPlanMarkdown(report)}`, logger)
  return report
}
