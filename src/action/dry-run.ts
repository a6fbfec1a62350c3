/**
 * The action's dry run (`dry-run: true`): the plan of the review, as the CLI's dry run shows it, written to the
 * job summary, with no model request and nothing posted on the pull request. It needs no key, so it runs on
 * forks and on this repository's own pull requests as a safe self-test of the action.
 */
import type { Config } from '../config/config.js'
import type { Logger } from '../engine/logger.js'
import type { PlannedReview } from '../engine/plan-review.js'
import { planSpending } from '../engine/plan-spending.js'
import { ACTION_WORDING, renderPlanMarkdown } from '../report/plan-markdown.js'
import { buildPlanReport, type PlanReport } from '../report/plan-report.js'
import { writeJobSummary } from './publish.js'
import type { ReviewContext } from './review-context.js'
import { formatUsd } from '../util/usd.js'

/** Plans, estimates and writes the job summary; returns the plan report for the outputs. */
export async function publishDryRun(options: {
  readonly planned: PlannedReview
  readonly context: Pick<ReviewContext, 'config' | 'repoConfig' | 'rules' | 'routing'>
  /** Dollars earlier runs on the pull request spent (`max-pr-cost-usd`). */
  readonly spentBeforeUsd: number
  readonly logger: Logger
}): Promise<PlanReport> {
  const { planned, context, logger } = options
  const config: Config = context.config
  // The same spending plan the review would make: guidance per chunk and, under a ceiling, what fits.
  const spending = planSpending({
    planned,
    repo: context.repoConfig,
    rules: context.rules,
    settings: config,
    routing: context.routing,
    spentBeforeUsd: options.spentBeforeUsd
  })
  const report = buildPlanReport(planned, { settings: config, spending, routing: context.routing })
  const cost = report.estimate.usd === undefined ? 'cost unknown' : `estimated ${formatUsd(report.estimate.usd)}`
  logger.info(
    `Dry run: would review ${report.reviewed.length} file(s) in ${report.requests} request(s), ${cost}; ` +
      'nothing was sent to the model and nothing was posted.'
  )
  const banner =
    '> [!NOTE]\n> Dry run (`dry-run: true`): nothing was sent to the model and nothing was posted on the pull request.'
  await writeJobSummary(`${banner}\n\n${renderPlanMarkdown(report, ACTION_WORDING)}`, logger)
  return report
}
