import * as core from '@actions/core'
import { createCoreLogger } from './action/core-logger.js'
import { readActionEnvironment } from './action/environment.js'
import { authorizeReviewRequest } from './action/on-demand.js'
import { publishResults } from './action/publish-results.js'
import { loadReviewConfig } from './action/review-config.js'
import { decideSkip } from './action/skip-rules.js'
import { writeReports } from './action/write-reports.js'
import { composeExtraInstructions } from './config/apply-repo-config.js'
import { DEFAULTS, readConfig } from './config/config.js'
import { getErrorMessage } from './errors.js'
import { resolveReviewTarget } from './event.js'
import { createGitHubClient, type GitHubClientOptions } from './github/client.js'
import { fetchPullDiff } from './github/pull-diff.js'
import { fetchPullRequest } from './github/pull-request.js'
import { placeFindings } from './review/place-findings.js'
import { dropPostedFindings, planIncrementalReview, replayRecordedGate, trackRun } from './incremental/incremental-stage.js'
import { publishAlreadyReviewed } from './incremental/publish-already-reviewed.js'
import { describeEmptyIncrement, focusReview, placementLineIndex } from './incremental/review-scope.js'
import { applySeverityThreshold, evaluateSeverityGate } from './review/severity-gate.js'
import { prepareReview, reviewedPathsOf } from './pipeline/prepare.js'
import { reviewAllChunks } from './pipeline/review-all-chunks.js'
import { planModelRouting } from './pipeline/escalated-review.js'
import type { Logger } from './pipeline/logger.js'
import { createReviewLimits, type ReviewClock } from './pipeline/review-limits.js'
import { describeNothingToReview } from './pipeline/nothing-to-review.js'
import type { ModelTransport } from './model/responses-client.js'

const DEPENDABOT_LOGIN = 'dependabot[bot]'

/**
 * Transport settings a caller may tune. The runner uses the defaults; tests shorten waits (GitHub's
 * write spacing, retry back-off) so they run in milliseconds against the loopback servers.
 */
export interface RunOptions {
  readonly githubThrottle?: GitHubClientOptions['throttle']
  readonly modelTransport?: Pick<ModelTransport, 'sleep' | 'timeouts' | 'maxRetries' | 'random'>
  /** The clock of the time budget and the token-rate limiter; tests move it by hand. */
  readonly clock?: ReviewClock
}

/** The action's entry point: reads the event and inputs, reviews the pull request, posts one review. */
export async function run(options: RunOptions = {}): Promise<void> {
  const logger = createCoreLogger()
  try {
    await reviewFromEnvironment(logger, options)
  } catch (error: unknown) {
    core.setFailed(getErrorMessage(error))
  }
}

async function reviewFromEnvironment(logger: Logger, options: RunOptions): Promise<void> {
  const environment = readActionEnvironment()
  const apiKey = core.getInput('api-key')
  if (apiKey !== '') core.setSecret(apiKey)

  const pullNumberInput = core.getInput('pull-number').trim()
  const target = resolveReviewTarget({
    eventName: environment.eventName,
    payload: environment.payload,
    repository: environment.repository,
    ...(/^\d+$/.test(pullNumberInput) ? { pullNumberInput: Number(pullNumberInput) } : {})
  })
  if (target.kind === 'skip') {
    logger.notice(target.reason)
    return
  }
  if (apiKey.trim() === '' && target.fromFork) {
    logger.notice(
      'Skipped: this pull request comes from a fork, so GitHub gives the workflow a read-only token and no secrets ' +
        '(no api-key). Nothing was posted. To review fork PRs safely, have a maintainer run the workflow with ' +
        'workflow_dispatch and a pull-number, or use pull_request_target without checking out the PR code (see README).'
    )
    return
  }
  if (apiKey.trim() === '' && target.author === DEPENDABOT_LOGIN) {
    logger.notice(
      'Skipped: Dependabot pull requests only receive Dependabot secrets. Add the API key as a Dependabot secret ' +
        'with the same name to review them.'
    )
    return
  }

  const inputs = readConfig((name) => core.getInput(name))
  const github = createGitHubClient({
    token: inputs.githubToken,
    baseUrl: environment.apiUrl,
    log: logger.info,
    ...(options.githubThrottle === undefined ? {} : { throttle: options.githubThrottle })
  })
  if (!(await authorizeReviewRequest(github, { target, logger }))) return

  const pullRequest = await logger.group('Pull request', async () => {
    const info = await fetchPullRequest(github, target.ref)
    logger.info(`#${info.pullNumber} "${info.title.slice(0, 80)}" at ${info.headSha.slice(0, 12)} by ${info.authorLogin}`)
    return info
  })
  const skip = decideSkip(pullRequest, inputs, { onDemand: target.requestedBy !== undefined })
  if (skip !== undefined) {
    logger.notice(skip)
    return
  }
  const { config, repoConfig } = await logger.group('Repository config', () =>
    loadReviewConfig(github, { inputs, pullRequest, fullReviewRequested: target.fullReview === true, logger })
  )
  const routing = planModelRouting(config, logger)
  const incremental = await logger.group('Earlier reviews', () =>
    planIncrementalReview(github, { pullRequest, settings: config, extra: { 'repository-config': JSON.stringify(repoConfig) }, logger })
  )
  if (incremental.scope.kind === 'already-reviewed') {
    await logger.group('Publish', () => publishAlreadyReviewed(github, { plan: incremental, logger }))
    const replayed = replayRecordedGate(incremental, config.failOnSeverity)
    if (replayed !== undefined) core.setFailed(replayed)
    return
  }

  const source = await logger.group('Diff', async () => {
    const diff = await fetchPullDiff(github, target.ref, { maxFiles: DEFAULTS.maxFiles, log: logger.info })
    logger.info(
      diff.kind === 'unified'
        ? `Unified diff: ${diff.text.length} characters.`
        : `Diff too large for one request (${diff.fallbackReason}); listed ${diff.files.length} file(s) instead.`
    )
    return diff
  })

  const focus = focusReview(incremental.scope, source)
  const prepared = await logger.group('Plan', async () => {
    const result = prepareReview(focus.source, {
      ...(focus.onlyPaths === undefined ? {} : { onlyPaths: focus.onlyPaths }),
      include: config.include,
      exclude: config.exclude,
      maxChunkTokens: config.maxChunkTokens,
      maxFiles: DEFAULTS.maxFiles,
      maxFileChangedLines: DEFAULTS.maxFileChangedLines
    })
    logger.info(
      `${result.files.length} file(s) changed: ${result.filter.reviewable.length} to review, ` +
        `${result.filter.skipped.length} skipped; ${result.plan.chunks.length} chunk(s), ${result.plan.totalTokens} diff tokens ` +
        `(budget ${config.maxChunkTokens} per chunk).`
    )
    for (const skipped of result.filter.skipped) logger.debug(`skip ${skipped.path}: ${skipped.detail}`)
    return result
  })
  const nothingToReview = describeEmptyIncrement(focus, prepared) ?? describeNothingToReview(focus.source, prepared)
  if (nothingToReview !== undefined) logger.notice(nothingToReview)

  const limits = createReviewLimits({
    timeBudgetMinutes: config.timeBudgetMinutes,
    tokensPerMinute: config.tokensPerMinute,
    log: logger.debug,
    ...(options.clock === undefined ? {} : { clock: options.clock })
  })
  const outcomes = await logger.group('Review', () =>
    reviewAllChunks({
      limits,
      routing,
      chunks: prepared.plan.chunks,
      transport: { ...options.modelTransport, baseUrl: config.baseUrl, apiKey: config.apiKey, log: logger.debug },
      model: config.model,
      reasoningEffort: config.reasoningEffort,
      maxOutputTokens: config.maxOutputTokens,
      concurrency: config.maxConcurrency,
      pullRequest: { title: pullRequest.title, body: pullRequest.body },
      logger,
      extraInstructionsFor: (chunk) =>
        composeExtraInstructions({ repo: repoConfig, language: config.language, paths: chunk.pieces.map((piece) => piece.path) })
    })
  )
  limits.stop()

  const placementIndex = placementLineIndex(focus, prepared.lineIndex)
  const earlier = await logger.group('Earlier comments', () =>
    dropPostedFindings(github, {
      plan: incremental,
      findings: outcomes.flatMap((outcome) => (outcome.ok ? outcome.review.findings : [])),
      lineIndex: placementIndex,
      reviewedPaths: reviewedPathsOf(prepared.plan),
      logger
    })
  )
  const placement = await logger.group('Place findings', async () => {
    const findings = earlier.kept
    const result = placeFindings(findings, {
      maxComments: config.maxComments,
      lineIndex: placementIndex,
      reviewedPaths: reviewedPathsOf(prepared.plan)
    })
    logger.info(
      `${findings.length} finding(s): ${result.inline.length} inline, ${result.summaryOnly.length} in the summary only, ` +
        `${result.duplicates} duplicate(s) dropped.`
    )
    return result
  })

  const { placement: shown, belowThreshold } = applySeverityThreshold(placement, config.severityThreshold)
  if (belowThreshold.length > 0) {
    logger.info(`${belowThreshold.length} finding(s) below severity-threshold ${config.severityThreshold}: counted, not posted.`)
  }
  await logger.group('Reports', () =>
    writeReports({ pullRequest, config, prepared, outcomes, placement: shown, belowThreshold, source, logger })
  )

  const published = await logger.group('Publish', () =>
    publishResults({
      github,
      config,
      pullRequest,
      prepared,
      outcomes,
      placement: shown,
      belowThreshold,
      source,
      runKey: environment.runKey,
      logger,
      ...(nothingToReview === undefined ? {} : { notes: [nothingToReview] }),
      tracking: trackRun(incremental, { alreadyPosted: earlier.alreadyPosted, outsidePull: focus.outsidePull })
    })
  )

  const failedChunks = outcomes.filter((outcome) => !outcome.ok).length
  const problems = [
    ...(failedChunks > 0 ? [`${failedChunks} of ${outcomes.length} chunk(s) could not be reviewed`] : []),
    ...(published.reviewError === undefined ? [] : [`the review could not be posted: ${published.reviewError}`])
  ]
  if (problems.length > 0) {
    const message = `Review incomplete: ${problems.join('; ')}. See the summary comment.`
    if (config.failOnError) core.setFailed(message)
    else logger.warning(`${message} (fail-on-error is off, so the step passes.)`)
  }
  // Findings already posted by an earlier run still count: a re-run must not turn a failing gate green.
  const stillFound = earlier.alreadyPosted.map((finding) => ({ finding }))
  const gate = evaluateSeverityGate([...placement.inline, ...placement.summaryOnly, ...stillFound], config.failOnSeverity)
  if (gate.message !== undefined) core.setFailed(gate.message)
}
