/**
 * The engine's second stage, the review proper: every chunk to the model with its repository guidance, inside the
 * time budget, the token-rate limit and the cost ceiling (with escalation and verification as routed), then
 * placement, then the one run result.
 * The shells call it the same way: the action with GitHub's earlier comments, the CLI without.
 */
import type { RepoConfig } from '../config/repo-config.js'
import type { ReviewSettings } from '../config/review-settings.js'
import type { ModelPrice } from '../model/models.js'
import { createModelDispatcher, type ModelTransport } from '../model/responses-client.js'
import { NO_RULES, type RepositoryRules } from '../rules/repository-rules.js'
import { type CeilingPlan } from './ceiling-plan.js'
import { createCostGuard, type CostGuard } from './cost-guard.js'
import type { Logger } from './logger.js'
import type { ModelRouting } from './model-routing.js'
import { placeRunFindings, type EarlierComments } from './place.js'
import type { PlannedReview } from './plan-review.js'
import { planSpending, type SpendingPlan } from './plan-spending.js'
import { placementLineIndex } from './review-input.js'
import { reviewAllChunks, type ReviewProgress } from './review-chunks.js'
import { describeReviewedChange } from './reviewed-change.js'
import { createReviewLimits, type ReviewClock } from './review-limits.js'
import { buildRunResult, type RunResult } from './run-result.js'
import { formatUsd } from '../util/usd.js'

/** Transport settings a shell may tune; tests shorten waits so they run in milliseconds. */
export type TransportTuning = Pick<ModelTransport, 'sleep' | 'timeouts' | 'maxRetries' | 'random'>

export interface RunReviewOptions {
  /** The effective settings (inputs or flags, with the repository config applied). */
  readonly settings: ReviewSettings
  readonly apiKey: string
  /** The repository config file's guidance, for each chunk's extra instructions. */
  readonly guidance: RepoConfig
  /** The repository's rule files (AGENTS.md, …) read at the base commit; none when absent. */
  readonly rules?: RepositoryRules
  readonly routing: ModelRouting
  readonly logger: Logger
  readonly transport?: TransportTuning
  /** The clock of the time budget and the token-rate limiter; tests move it by hand. */
  readonly clock?: ReviewClock
  /** Comments earlier runs posted on the change; absent when there can be none (the CLI). */
  readonly earlier?: EarlierComments
  /** Prices of the review model that replace its list prices in the cost report (the CLI's --price-*). */
  readonly prices?: ModelPrice
  /** Told when each chunk starts and ends (the CLI's progress line). */
  readonly progress?: ReviewProgress
  /** Dollars earlier runs on the same pull request spent, for `max-pr-cost-usd` (the action's signed state). */
  readonly spentBeforeUsd?: number
  /** Output tokens assumed per request by the ceiling's estimates (the CLI's --output-tokens-per-request). */
  readonly outputTokensPerRequest?: number
}

/** Reviews the planned chunks, places the findings and builds the run result. */
export async function runReview(planned: PlannedReview, options: RunReviewOptions): Promise<RunResult> {
  const { settings, logger } = options
  const spending = planSpending({
    planned,
    repo: options.guidance,
    rules: options.rules ?? NO_RULES,
    settings,
    routing: options.routing,
    ...(options.spentBeforeUsd === undefined ? {} : { spentBeforeUsd: options.spentBeforeUsd }),
    ...(options.prices === undefined ? {} : { prices: options.prices }),
    ...(options.outputTokensPerRequest === undefined ? {} : { outputTokensPerRequest: options.outputTokensPerRequest })
  })
  const guard = spending.ceiling === undefined ? undefined : createGuard(spending, spending.ceiling, logger)
  const outcomes = await logger.group('Review', () => reviewPlannedChunks(planned, { ...options, spending, guard }))
  if (guard !== undefined) reportRefusals(guard, logger)
  const findings = await placeRunFindings({
    outcomes,
    lineIndex: placementLineIndex(planned.input.focus, planned.prepared.lineIndex),
    reviewedPaths: planned.prepared.reviewedPaths,
    settings,
    ...(options.earlier === undefined ? {} : { earlier: options.earlier }),
    // A partial review needs them even without findings: for the severity gate and the reports.
    needEarlier: planned.input.focus !== undefined,
    change: describeReviewedChange(planned, outcomes),
    logger
  })
  return buildRunResult({
    planned,
    outcomes,
    findings,
    settings,
    ...(options.prices === undefined ? {} : { prices: options.prices }),
    ...(spending.guidance.report === undefined ? {} : { rules: spending.guidance.report }),
    ...(guard === undefined ? {} : { ceiling: { plan: guard.plan, refusals: guard.refusals() } }),
    ...(options.spentBeforeUsd === undefined ? {} : { spentBeforeUsd: options.spentBeforeUsd })
  })
}

/** The run's cost guard, after logging what the plan decided. */
function createGuard(spending: SpendingPlan, plan: CeilingPlan, logger: Logger): CostGuard {
  const { ceiling } = plan
  const chunks = plan.order.length
  const fits = plan.excluded.length === 0
  logger.info(
    `Cost ceiling ${formatUsd(ceiling.usd)} (${ceiling.source}): the review is estimated at ${formatUsd(plan.totalUsd)}` +
      (fits
        ? '; it fits.'
        : `; ${plan.selected.size} of ${chunks} chunk(s) fit (${formatUsd(plan.plannedUsd)}), the ${plan.excluded.length} ` +
          'least important are not reviewed.')
  )
  return createCostGuard({ plan, specs: spending.specs, outputTokensPerRequest: spending.outputTokensPerRequest })
}

function reportRefusals(guard: CostGuard, logger: Logger): void {
  const refusals = guard.refusals()
  const excluded = guard.plan.excluded.length
  if (excluded + refusals.length === 0) return
  const during = refusals.filter((refusal) => refusal.kind === 'review').length
  const followUps = refusals.length - during
  logger.warning(
    `The cost ceiling of ${formatUsd(guard.plan.ceiling.usd)} (${guard.plan.ceiling.source}) kept ` +
      `${excluded + during} chunk(s) from being reviewed (${excluded} by the plan, ${during} when the real spending ` +
      `left too little) and ${followUps} further request(s) from being sent; the summary lists them.`
  )
}

/** Every chunk through the routed model requests, through a dispatcher of our own that is closed afterwards. */
async function reviewPlannedChunks(
  planned: PlannedReview,
  options: RunReviewOptions & { readonly spending: SpendingPlan; readonly guard: CostGuard | undefined }
): ReturnType<typeof reviewAllChunks> {
  const { settings, logger } = options
  // Our own dispatcher, closed at the end: idle keep-alive sockets would otherwise hold the process open.
  const dispatcher = createModelDispatcher(options.transport?.timeouts)
  const limits = createReviewLimits({
    timeBudgetMinutes: settings.timeBudgetMinutes,
    tokensPerMinute: settings.tokensPerMinute,
    log: logger.debug,
    ...(options.clock === undefined ? {} : { clock: options.clock })
  })
  try {
    const outcomes = await reviewAllChunks({
      limits,
      routing: options.routing,
      chunks: planned.prepared.plan.chunks,
      transport: {
        ...options.transport,
        dispatcher,
        baseUrl: settings.baseUrl,
        apiKey: options.apiKey,
        log: logger.debug
      },
      model: settings.model,
      reasoningEffort: settings.reasoningEffort,
      maxOutputTokens: settings.maxOutputTokens,
      concurrency: settings.maxConcurrency,
      pullRequest: planned.input.pullRequest,
      logger,
      ...(options.progress === undefined ? {} : { progress: options.progress }),
      extraInstructionsFor: (chunk) => options.spending.guidance.byChunk.get(chunk.id)?.extraInstructions,
      ...(options.guard === undefined ? {} : { ceiling: options.guard })
    })
    await dispatcher.close()
    return outcomes
  } catch (error: unknown) {
    // A fatal error (a rejected key) ends the run at once: do not wait for the requests still in flight.
    await dispatcher.destroy()
    throw error
  } finally {
    limits.stop()
  }
}
