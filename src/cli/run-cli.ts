/**
 * The CLI: the action's stages (prepare, review, place) on a local diff, printing instead of posting.
 * Everything it touches comes in through `CliIo`, so tests run it in-process against a temp repository and
 * the loopback Responses server.
 */
import { DEFAULTS } from '../config/review-settings.js'
import { ConfigError, getErrorMessage } from '../errors.js'
import { createModelDispatcher, type ModelTransport } from '../model/responses-client.js'
import type { Logger } from '../pipeline/logger.js'
import { prepareReview, reviewedPathsOf, type PreparedReview } from '../pipeline/prepare.js'
import { reviewAllChunks } from '../pipeline/review-all-chunks.js'
import { buildSummaryInput } from '../pipeline/summary-input.js'
import { placeFindings } from '../review/place-findings.js'
import type { ChunkOutcome } from '../types.js'
import { readCliSettings, type CliSettings } from './cli-settings.js'
import { loadDiff, type LoadedDiff } from './diff-source.js'
import { ASSUMED_OUTPUT_TOKENS, estimateCost, measureRequestOverhead, resolvePrices } from './estimate.js'
import { API_KEY_VARIABLES, parseCommandLine, readFlag, renderHelp, type FlagValues } from './flags.js'
import { createGitRunner } from './git.js'
import { buildPlanReport } from './plan-report.js'
import { renderPlanMarkdown, renderPlanText } from './plan-render.js'
import { buildReviewReport } from './review-report.js'
import { renderReviewMarkdown, renderReviewText } from './review-render.js'
import { createStreamLogger, type TextSink } from './stream-logger.js'
import { toFlagWording } from './usage-error.js'
import { CLI_VERSION } from './version.js'

export const EXIT_OK = 0
/** The review is incomplete (a chunk failed) or something failed at run time. */
export const EXIT_INCOMPLETE = 1
export const EXIT_USAGE = 2

/** What the CLI reads and writes; `process` in production. */
export interface CliIo {
  readonly argv: readonly string[]
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
  readonly stdout: TextSink
  readonly stderr: TextSink
  readonly readStdin: () => Promise<string>
  /** Tests shorten retry waits; the CLI uses the defaults. */
  readonly modelTransport?: Pick<ModelTransport, 'sleep' | 'timeouts' | 'maxRetries' | 'random'>
}

/** Runs the CLI and resolves with its exit code; never throws. */
export async function runCli(io: CliIo): Promise<number> {
  try {
    const command = parseCommandLine(io.argv)
    if (command.kind === 'help') {
      io.stdout.write(renderHelp())
      return EXIT_OK
    }
    if (command.kind === 'version') {
      io.stdout.write(`codex-pr-review ${CLI_VERSION}\n`)
      return EXIT_OK
    }
    return await runCommand(io, command.values)
  } catch (error: unknown) {
    io.stderr.write(`codex-pr-review: ${toFlagWording(getErrorMessage(error))}\n`)
    return error instanceof ConfigError ? EXIT_USAGE : EXIT_INCOMPLETE
  }
}

/** The key from the environment, first variable set wins; undefined when none is. */
export function readApiKey(env: CliIo['env']): string | undefined {
  for (const name of API_KEY_VARIABLES) {
    const value = env[name]?.trim()
    if (value !== undefined && value !== '') return value
  }
  return undefined
}

async function runCommand(io: CliIo, values: FlagValues): Promise<number> {
  const settings = readCliSettings(values)
  const logger = createStreamLogger(io.stderr, { verbose: settings.verbose })
  const flag = (name: 'base' | 'head' | 'diff'): string | undefined => (values[name] === undefined ? undefined : readFlag(values, name))
  const loaded = await loadDiff({
    base: flag('base'),
    head: flag('head'),
    diff: flag('diff'),
    title: settings.title,
    description: settings.description,
    cwd: io.cwd,
    git: createGitRunner(io.cwd, io.env),
    readStdin: io.readStdin
  })
  const { review } = settings
  const prepared = prepareReview(loaded.source, {
    include: review.include,
    exclude: review.exclude,
    maxChunkTokens: review.maxChunkTokens,
    maxFiles: DEFAULTS.maxFiles,
    maxFileChangedLines: DEFAULTS.maxFileChangedLines
  })
  logger.info(
    `${loaded.label}: ${prepared.files.length} file(s) changed, ${prepared.filter.reviewable.length} to review, ` +
      `${prepared.filter.skipped.length} skipped; ${prepared.plan.chunks.length} chunk(s), ${prepared.plan.totalTokens} diff tokens.`
  )
  for (const skipped of prepared.filter.skipped) logger.debug(`skip ${skipped.path}: ${skipped.detail}`)

  const apiKey = readApiKey(io.env)
  if (settings.dryRun || apiKey === undefined || prepared.plan.chunks.length === 0) {
    if (!settings.dryRun && apiKey === undefined) {
      logger.notice(`No API key in ${API_KEY_VARIABLES.join(' or ')}: dry run, nothing is sent.`)
    }
    if (prepared.plan.chunks.length === 0) logger.notice('Nothing to review: no changed line in a reviewable file.')
    io.stdout.write(renderPlan(settings, loaded, prepared))
    return EXIT_OK
  }
  return reviewAndPrint({ io, settings, loaded, prepared, apiKey, logger })
}

function renderPlan(settings: CliSettings, loaded: LoadedDiff, prepared: PreparedReview): string {
  const { review } = settings
  const overhead = measureRequestOverhead(loaded.pullRequest)
  const pricing = resolvePrices(review.model, settings.prices)
  const outputTokensPerRequest = settings.outputTokensPerRequest ?? ASSUMED_OUTPUT_TOKENS[review.reasoningEffort]
  const estimate = estimateCost({
    chunkTokens: prepared.plan.chunks.map((chunk) => chunk.tokens),
    overhead,
    concurrency: review.maxConcurrency,
    outputTokensPerRequest,
    maxOutputTokens: review.maxOutputTokens,
    ...(pricing.ok ? { prices: pricing.prices } : {})
  })
  const report = buildPlanReport({
    source: loaded.label,
    model: review.model,
    maxChunkTokens: review.maxChunkTokens,
    prepared,
    overhead,
    estimate,
    outputTokensPerRequest,
    outputAssumption:
      settings.outputTokensPerRequest === undefined
        ? `assumed for effort ${review.reasoningEffort}; set --output-tokens-per-request`
        : 'from --output-tokens-per-request',
    pricing
  })
  if (settings.format === 'json') return `${JSON.stringify(report, null, 2)}\n`
  return settings.format === 'markdown' ? renderPlanMarkdown(report) : renderPlanText(report)
}

interface ReviewContext {
  readonly io: CliIo
  readonly settings: CliSettings
  readonly loaded: LoadedDiff
  readonly prepared: PreparedReview
  readonly apiKey: string
  readonly logger: Logger
}

async function reviewAndPrint(context: ReviewContext): Promise<number> {
  const { io, settings, loaded, prepared, logger } = context
  const { review } = settings
  // Our own dispatcher, closed at the end: idle keep-alive sockets would otherwise hold the process open.
  const dispatcher = createModelDispatcher(io.modelTransport?.timeouts)
  let outcomes: ChunkOutcome[]
  try {
    outcomes = await reviewAllChunks({
      chunks: prepared.plan.chunks,
      transport: { ...io.modelTransport, dispatcher, baseUrl: review.baseUrl, apiKey: context.apiKey, log: logger.debug },
      model: review.model,
      reasoningEffort: review.reasoningEffort,
      maxOutputTokens: review.maxOutputTokens,
      concurrency: review.maxConcurrency,
      pullRequest: loaded.pullRequest,
      logger
    })
  } finally {
    await dispatcher.close()
  }
  const findings = outcomes.flatMap((outcome) => (outcome.ok ? outcome.review.findings : []))
  const placement = placeFindings(findings, {
    maxComments: review.maxComments,
    lineIndex: prepared.lineIndex,
    reviewedPaths: reviewedPathsOf(prepared.plan)
  })
  const pricing = resolvePrices(review.model, settings.prices)
  const report = buildReviewReport({
    source: loaded.label,
    model: review.model,
    prepared,
    outcomes,
    placement,
    ...(pricing.ok ? { prices: pricing.prices } : {})
  })
  if (settings.format === 'json') io.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
  else if (settings.format === 'text') io.stdout.write(renderReviewText(report))
  else {
    const summary = buildSummaryInput({
      model: review.model,
      pullRequest: { headSha: loaded.head },
      prepared,
      outcomes,
      placement,
      inlinePosted: placement.inline.length,
      source: loaded.source,
      notes: [],
      inlineLost: false
    })
    const cost = report.costUsd === undefined ? {} : { costUsd: report.costUsd, costIsBilled: report.costIsBilled === true }
    io.stdout.write(renderReviewMarkdown({ placement, summary: { ...summary, ...cost } }))
  }
  if (report.complete) return EXIT_OK
  logger.warning(`Review incomplete: ${report.failedChunks.length} of ${report.chunks} chunk(s) failed; their files were not reviewed.`)
  return EXIT_INCOMPLETE
}
