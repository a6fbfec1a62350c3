import * as core from '@actions/core'
import { appendFile } from 'node:fs/promises'
import type { Config } from '../config/config.js'
import { getErrorMessage } from '../errors.js'
import type { createGitHubClient } from '../github/client.js'
import { publishReview } from '../github/publish-review.js'
import { upsertSummaryComment } from '../github/summary-comment.js'
import type { Logger } from '../pipeline/logger.js'
import type { PreparedReview } from '../pipeline/prepare.js'
import { formatCostOutput } from '../pipeline/cost-report.js'
import { buildSummaryInput } from '../pipeline/summary-input.js'
import { toReviewComment } from '../render/inline-comment.js'
import { renderJobSummaryMarkdown, renderReviewBody, renderSummary } from '../render/summary.js'
import { SUMMARY_MARKER } from '../render/summary-input.js'
import { countBySeverity, type BelowThresholdFinding } from '../review/severity-gate.js'
import { concludeRun, type RunTracking } from '../incremental/conclude-run.js'
import { type CarriedFinding, MAX_CARRIED_TITLE } from '../incremental/review-state.js'
import { reviewedPathsOf } from '../pipeline/prepare.js'
import type { ChunkOutcome, PlacementResult, PullDiffSource, PullRequestInfo } from '../types.js'

export interface PublishInput {
  readonly github: ReturnType<typeof createGitHubClient>
  readonly config: Config
  readonly pullRequest: PullRequestInfo
  readonly prepared: PreparedReview
  readonly outcomes: readonly ChunkOutcome[]
  readonly placement: PlacementResult
  readonly source: PullDiffSource
  readonly runKey: string
  readonly logger: Logger
  /** Findings held back by `severity-threshold` (severity-gate.ts): counted in the summary, not posted. */
  readonly belowThreshold?: readonly BelowThresholdFinding[]
  /** Records this run in the summary's signed state and history (incremental/conclude-run.ts). */
  readonly tracking?: RunTracking
  /** Notes for the summary from earlier stages, e.g. why nothing was reviewed (pipeline/nothing-to-review.ts). */
  readonly notes?: readonly string[]
}

export interface PublishOutput {
  readonly reviewId: number | null
  readonly inlinePosted: number
  readonly summaryCommentId: number
  readonly reviewError?: string
}

/**
 * Posts one review (event COMMENT, pinned to the reviewed head) holding the inline comments, then creates
 * or updates the one summary comment, then writes the job summary and the step outputs.
 */
export async function publishResults(input: PublishInput): Promise<PublishOutput> {
  const { github, pullRequest, placement, logger } = input
  const posted = await postInlineReview(input)
  const notes = [...(input.notes ?? []), ...posted.notes]
  const { reviewError } = posted
  if (reviewError !== undefined) notes.push(`The review could not be posted: ${reviewError}. Its findings are listed below.`)

  const summaryInput = buildSummaryInput({
    model: input.config.model,
    pullRequest,
    prepared: input.prepared,
    outcomes: input.outcomes,
    placement,
    inlinePosted: posted.inlinePosted,
    source: input.source,
    notes,
    inlineLost: reviewError !== undefined,
    escalation: { model: input.config.escalationModel, verifySeverity: input.config.verifySeverity },
    ...(input.belowThreshold === undefined
      ? {}
      : { belowThreshold: { threshold: input.config.severityThreshold, counts: countBySeverity(input.belowThreshold) } })
  })
  // The head counts as reviewed only when every chunk was and the review reached GitHub.
  const complete = input.outcomes.every((outcome) => outcome.ok) && reviewError === undefined
  const reported = [...placement.inline, ...placement.summaryOnly, ...(input.belowThreshold ?? [])]
  const severities = reported.map((entry) => entry.finding.severity)
  const findings = placement.inline.length + placement.summaryOnly.length
  const scope =
    input.tracking &&
    concludeRun(input.tracking, {
      complete,
      findings,
      severities,
      at: new Date().toISOString(),
      summaryOnly: carriedSummaryOnly(summaryInput.placement),
      reviewedPaths: reviewedPathsOf(input.prepared.plan)
    })
  const reportInput = scope === undefined ? summaryInput : { ...summaryInput, scope }
  const upserted = await upsertSummaryComment(github, { ref: pullRequest, marker: SUMMARY_MARKER, body: renderSummary(reportInput) })
  logger.info(`Summary comment ${upserted.commentId} ${upserted.action}.`)

  await writeJobSummary(renderJobSummaryMarkdown(reportInput), logger)
  const { reviewId, inlinePosted } = posted
  setOutputs({ input, summaryInput, reviewId, inlinePosted, summaryCommentId: upserted.commentId })
  return { reviewId, inlinePosted, summaryCommentId: upserted.commentId, ...(reviewError ? { reviewError } : {}) }
}

/** What the state carries of each summary-only finding (the summary's placement: inline ones lost to a failed post included). */
function carriedSummaryOnly(placement: PlacementResult): CarriedFinding[] {
  return placement.summaryOnly.map(({ finding, fingerprint }) => ({
    path: finding.path,
    line: finding.line,
    severity: finding.severity,
    title: finding.title.slice(0, MAX_CARRIED_TITLE),
    fingerprint
  }))
}

interface InlineReviewResult {
  readonly reviewId: number | null
  readonly inlinePosted: number
  readonly reviewError?: string
  /** For the summary: what happened to the inline comments when it was not the plan. */
  readonly notes: readonly string[]
}

/** The one review with the inline comments; none when there is nothing to say inline. Never throws. */
async function postInlineReview(input: PublishInput): Promise<InlineReviewResult> {
  const { github, pullRequest, logger } = input
  const comments = input.placement.inline.map(toReviewComment)
  if (comments.length === 0) {
    logger.info('No inline comments to post: skipping the review, the summary comment says the rest.')
    return { reviewId: null, inlinePosted: 0, notes: [] }
  }
  const runMarker = `<!-- codex-pr-review:review run=${input.runKey} -->`
  try {
    const posted = await publishReview(github, {
      ref: pullRequest,
      commitId: pullRequest.headSha,
      body: renderReviewBody({ headSha: pullRequest.headSha, inlineCount: comments.length, runMarker }),
      comments,
      runMarker,
      log: logger.info
    })
    const notes: string[] = []
    if (posted.fallback === 'without-inline') {
      notes.push(`GitHub rejected the inline comments (${posted.error ?? '422'}); they were posted in the review body instead.`)
      logger.warning(`Review posted without inline comments: ${posted.error ?? 'GitHub answered 422'}.`)
    }
    logger.info(`Review ${posted.reviewId ?? '(none)'} posted with ${posted.postedInline} inline comment(s).`)
    const failed = posted.reviewId === null && posted.error !== undefined
    return { reviewId: posted.reviewId, inlinePosted: posted.postedInline, notes, ...(failed ? { reviewError: posted.error } : {}) }
  } catch (error: unknown) {
    const reviewError = getErrorMessage(error)
    logger.warning(`Could not post the review: ${reviewError}`)
    return { reviewId: null, inlinePosted: 0, reviewError, notes: [] }
  }
}

/**
 * Appends to the file GITHUB_STEP_SUMMARY names, read at each call: `core.summary` caches the path for
 * the life of the process, which is one step on the runner but many runs in a test process.
 */
async function writeJobSummary(markdown: string, logger: Logger): Promise<void> {
  const path = process.env.GITHUB_STEP_SUMMARY ?? ''
  if (path === '') return
  try {
    await appendFile(path, `${markdown}\n`, 'utf8')
  } catch (error: unknown) {
    logger.warning(`Could not write the job summary: ${getErrorMessage(error)}`)
  }
}

function setOutputs(values: {
  readonly input: PublishInput
  readonly summaryInput: ReturnType<typeof buildSummaryInput>
  readonly reviewId: number | null
  readonly inlinePosted: number
  readonly summaryCommentId: number
}): void {
  const { input, summaryInput } = values
  const findings =
    input.placement.inline.length + input.placement.summaryOnly.length + (input.belowThreshold?.length ?? 0)
  core.setOutput('findings', findings)
  core.setOutput('comments-posted', values.inlinePosted)
  core.setOutput('files-reviewed', summaryInput.reviewedFiles.length)
  core.setOutput('files-skipped', summaryInput.skipped.length)
  core.setOutput('chunks', input.outcomes.length)
  core.setOutput('chunks-failed', summaryInput.chunks.failed.length)
  core.setOutput('input-tokens', summaryInput.usage.inputTokens)
  core.setOutput('output-tokens', summaryInput.usage.outputTokens)
  core.setOutput('cost-usd', formatCostOutput(summaryInput))
  core.setOutput('review-id', values.reviewId ?? '')
  core.setOutput('summary-comment-id', values.summaryCommentId)
}
