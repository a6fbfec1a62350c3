/**
 * The CLI's review mode: the action's review stages in the action's order (limits, routed review of every
 * chunk with the repository guidance, placement, severity threshold, severity gate), printing instead of
 * posting. Mirrors src/main.ts from "Review" to the gate; keep the two in step.
 */
import { composeExtraInstructions } from '../config/apply-repo-config.js'
import type { RepoConfig } from '../config/repo-config.js'
import { createModelDispatcher } from '../model/responses-client.js'
import type { ModelRouting } from '../pipeline/escalated-review.js'
import type { Logger } from '../pipeline/logger.js'
import { reviewedPathsOf, type PreparedReview } from '../pipeline/prepare.js'
import { reviewAllChunks } from '../pipeline/review-all-chunks.js'
import { createReviewLimits } from '../pipeline/review-limits.js'
import { buildSummaryInput } from '../pipeline/summary-input.js'
import { placeFindings } from '../review/place-findings.js'
import { applySeverityThreshold, countBySeverity, evaluateSeverityGate } from '../review/severity-gate.js'
import type { ChunkOutcome } from '../types.js'
import { EXIT_INCOMPLETE, EXIT_OK, EXIT_SEVERITY_GATE, type CliIo } from './cli-io.js'
import type { CliSettings } from './cli-settings.js'
import type { LoadedDiff } from './diff-source.js'
import { resolvePrices } from './estimate.js'
import { buildReviewReport, type ReviewReport } from './review-report.js'
import { renderReviewMarkdown, renderReviewText } from './review-render.js'
import { describeEscalation, priceLocalRun } from './run-cost.js'
import { toTerminalText } from './terminal-text.js'

export interface LocalReview {
  readonly io: Pick<CliIo, 'stdout' | 'stderr' | 'modelTransport' | 'clock'>
  /** The settings with the repository config applied. */
  readonly settings: CliSettings
  readonly loaded: LoadedDiff
  readonly prepared: PreparedReview
  readonly apiKey: string
  readonly logger: Logger
  readonly routing: ModelRouting
  readonly repoConfig: RepoConfig
}

/** Reviews, prints the result to stdout, and resolves with the exit code. */
export async function reviewAndPrint(context: LocalReview): Promise<number> {
  const { io, settings, prepared, logger } = context
  const { review } = settings
  const outcomes = await reviewChunks(context)
  const found = placeFindings(
    outcomes.flatMap((outcome) => (outcome.ok ? outcome.review.findings : [])),
    { maxComments: review.maxComments, lineIndex: prepared.lineIndex, reviewedPaths: reviewedPathsOf(prepared.plan) }
  )
  const { placement, belowThreshold } = applySeverityThreshold(found, review.severityThreshold)
  if (belowThreshold.length > 0) {
    logger.info(`${belowThreshold.length} finding(s) below severity-threshold ${review.severityThreshold}: counted, not shown.`)
  }
  // As in the action: the gate looks at every finding, shown or held back by the threshold.
  const gate = evaluateSeverityGate([...found.inline, ...found.summaryOnly], review.failOnSeverity)
  const pricing = resolvePrices(review.model, settings.prices)
  const escalation = describeEscalation({ outcomes, escalationModel: review.escalationModel, verifySeverity: review.verifySeverity })
  const report = buildReviewReport({
    source: context.loaded.label,
    model: review.model,
    prepared,
    outcomes,
    placement,
    belowThreshold,
    severityThreshold: review.severityThreshold,
    failOnSeverity: review.failOnSeverity,
    gate,
    cost: priceLocalRun({ outcomes, model: review.model, ...(pricing.ok ? { prices: pricing.prices } : {}) }),
    ...(escalation === undefined ? {} : { escalation })
  })
  io.stdout.write(renderReport(context, { report, outcomes, placement, belowThreshold }))

  if (!report.complete) {
    logger.warning(`Review incomplete: ${report.failedChunks.length} of ${report.chunks} chunk(s) failed; their files were not reviewed.`)
  }
  if (gate.message !== undefined) io.stderr.write(toTerminalText(`error: --fail-on-severity ${review.failOnSeverity}: ${gate.message}\n`))
  if (!report.complete) return EXIT_INCOMPLETE
  return gate.failed ? EXIT_SEVERITY_GATE : EXIT_OK
}

/** The review stage proper, inside the time budget and token-rate limit, through our own closable dispatcher. */
async function reviewChunks(context: LocalReview): Promise<ChunkOutcome[]> {
  const { io, settings, logger, repoConfig } = context
  const { review } = settings
  // Our own dispatcher, closed at the end: idle keep-alive sockets would otherwise hold the process open.
  const dispatcher = createModelDispatcher(io.modelTransport?.timeouts)
  const limits = createReviewLimits({
    timeBudgetMinutes: review.timeBudgetMinutes,
    tokensPerMinute: review.tokensPerMinute,
    log: logger.debug,
    ...(io.clock === undefined ? {} : { clock: io.clock })
  })
  try {
    return await reviewAllChunks({
      limits,
      routing: context.routing,
      chunks: context.prepared.plan.chunks,
      transport: { ...io.modelTransport, dispatcher, baseUrl: review.baseUrl, apiKey: context.apiKey, log: logger.debug },
      model: review.model,
      reasoningEffort: review.reasoningEffort,
      maxOutputTokens: review.maxOutputTokens,
      concurrency: review.maxConcurrency,
      pullRequest: context.loaded.pullRequest,
      logger,
      extraInstructionsFor: (chunk) =>
        composeExtraInstructions({ repo: repoConfig, language: review.language, paths: chunk.pieces.map((piece) => piece.path) })
    })
  } finally {
    limits.stop()
    await dispatcher.close()
  }
}

function renderReport(
  context: LocalReview,
  result: {
    readonly report: ReviewReport
    readonly outcomes: readonly ChunkOutcome[]
    readonly placement: Parameters<typeof buildSummaryInput>[0]['placement']
    readonly belowThreshold: Parameters<typeof countBySeverity>[0]
  }
): string {
  const { report } = result
  const { review } = context.settings
  if (context.settings.format === 'json') return `${JSON.stringify(report, null, 2)}\n`
  if (context.settings.format === 'text') return renderReviewText(report)
  const summary = buildSummaryInput({
    model: review.model,
    pullRequest: { headSha: context.loaded.head },
    prepared: context.prepared,
    outcomes: result.outcomes,
    placement: result.placement,
    inlinePosted: result.placement.inline.length,
    source: context.loaded.source,
    notes: [],
    inlineLost: false,
    escalation: { model: review.escalationModel, verifySeverity: review.verifySeverity },
    ...(result.belowThreshold.length === 0
      ? {}
      : { belowThreshold: { threshold: review.severityThreshold, counts: countBySeverity(result.belowThreshold) } })
  })
  // The report's cost honours --price-*; the summary's own figures would use list prices only.
  const cost = {
    costSource: report.costSource,
    modelCosts: report.modelCosts,
    ...(report.costUsd === undefined ? {} : { costUsd: report.costUsd, costIsBilled: report.costIsBilled === true })
  }
  return renderReviewMarkdown({ placement: result.placement, summary: { ...summary, ...cost } })
}
