/**
 * The CLI: the action's stages (config file, model check, prepare, review, place, severity controls) on a
 * local diff, printing instead of posting.
 * Everything it touches comes in through `CliIo`, so tests run it in-process against a temp repository and
 * the loopback Responses server.
 */
import { resolvePrices } from '../engine/estimate.js'
import { planModelRouting, type ModelRouting } from '../engine/model-routing.js'
import { planReview, type PlannedReview } from '../engine/plan-review.js'
import { planSpending, type SpendingPlan } from '../engine/plan-spending.js'
import type { Logger } from '../engine/logger.js'
import { runReview } from '../engine/run-review.js'
import type { RunResult } from '../engine/run-result.js'
import { ConfigError, getErrorMessage } from '../errors.js'
import { EXIT_INCOMPLETE, EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js'
import { readCliSettings, type CliSettings } from './cli-settings.js'
import { gatherCliContext } from './context-files.js'
import { loadDiff } from './diff-source.js'
import {
  API_KEY_VARIABLES,
  DEFAULT_HELP_WIDTH,
  parseCommandLine,
  readFlag,
  renderHelp,
  type FlagValues
} from './flags.js'
import { createGitRunner } from './git.js'
import { loadLocalRepoConfig } from './local-config.js'
import { loadLocalRules } from './local-rules.js'
import { buildPlanReport } from '../report/plan-report.js'
import { renderPlanMarkdown, renderPlanText } from './plan-render.js'
import { printReview } from './print-review.js'
import { createProgressReporter } from './progress.js'
import { createStreamLogger } from './stream-logger.js'
import { toFlagWording } from './usage-error.js'
import { CLI_VERSION } from './version.js'

export { EXIT_INCOMPLETE, EXIT_OK, EXIT_SEVERITY_GATE, EXIT_USAGE, type CliIo } from './cli-io.js'

/** Runs the CLI and resolves with its exit code; never throws. */
export async function runCli(io: CliIo): Promise<number> {
  try {
    const command = parseCommandLine(io.argv)
    if (command.kind === 'help') {
      const { stdout } = io
      io.stdout.write(
        renderHelp(stdout.isTTY === true && stdout.columns !== undefined ? stdout.columns : DEFAULT_HELP_WIDTH)
      )
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
  const flags = readCliSettings(values)
  const progress = createProgressReporter({
    sink: io.stderr,
    terminal: io.stderr.isTTY === true,
    ...(io.stderr.columns === undefined ? {} : { columns: io.stderr.columns }),
    ...(io.progressIntervalMs === undefined ? {} : { intervalMs: io.progressIntervalMs })
  })
  const logger = createStreamLogger(progress.sink, { verbose: flags.verbose })
  const local = await prepareLocalReview({ io, values, flags, logger })
  const { settings, planned, routing, spending, pricing } = local

  const apiKey = readApiKey(io.env)
  if (settings.dryRun || apiKey === undefined || planned.prepared.plan.chunks.length === 0) {
    if (!settings.dryRun && apiKey === undefined) {
      logger.notice(`No API key in ${API_KEY_VARIABLES.join(' or ')}: dry run, nothing is sent.`)
    }
    const escalation = routing.plan.escalation?.model.id
    if (escalation !== undefined) {
      logger.notice(
        `The estimate prices every request at --model's prices: chunks sent to ${escalation} by --escalate-paths, ` +
          '--verify-severity checks and --escalate-on-risk reviews cost more and are not in it.'
      )
    }
    io.stdout.write(renderPlan({ settings, planned, spending, routing }))
    return EXIT_OK
  }
  progress.expect(planned.prepared.plan.chunks.length)
  let result: RunResult
  try {
    result = await runReview(planned, {
      settings: settings.review,
      apiKey,
      guidance: local.repoConfig,
      rules: local.rules,
      routing,
      logger,
      progress,
      ...(io.modelTransport === undefined ? {} : { transport: io.modelTransport }),
      ...(io.clock === undefined ? {} : { clock: io.clock }),
      ...(pricing.ok ? { prices: pricing.prices } : {}),
      ...(settings.outputTokensPerRequest === undefined
        ? {}
        : { outputTokensPerRequest: settings.outputTokensPerRequest })
    })
  } finally {
    // The live line goes before anything else is printed, a fatal error included.
    progress.stop()
  }
  return printReview({ io, settings, result, logger })
}

/**
 * The local shell's stages before any request, in the action's order: the diff from git (or a file), the
 * repository config file over the flags, the rule files, the model check, the plan with its context, and what
 * every request will carry and may cost.
 */
async function prepareLocalReview(options: {
  readonly io: CliIo
  readonly values: FlagValues
  readonly flags: CliSettings
  readonly logger: Logger
}) {
  const { io, values, flags, logger } = options
  const flag = (name: 'base' | 'head' | 'diff'): string | undefined =>
    values[name] === undefined ? undefined : readFlag(values, name)
  const git = createGitRunner(io.cwd, io.env)
  const loaded = await loadDiff({
    base: flag('base'),
    head: flag('head'),
    diff: flag('diff'),
    title: flags.title,
    description: flags.description,
    cwd: io.cwd,
    git,
    readStdin: io.readStdin
  })
  const local = await loadLocalRepoConfig({
    review: flags.review,
    configPath: flags.configPath,
    base: loaded.base,
    cwd: io.cwd,
    git,
    logger
  })
  const settings: CliSettings = { ...flags, review: local.review }
  const { review } = settings
  const rules = await loadLocalRules({ review, base: loaded.base, git, logger })
  const routing = planModelRouting(review, logger)
  const planned = await gatherCliContext({
    planned: planReview(
      { source: loaded.source, pullRequest: loaded.pullRequest, head: loaded.head, label: loaded.label },
      { settings: review, logger }
    ),
    loaded,
    settings: review,
    cwd: io.cwd,
    env: io.env,
    logger
  })
  const pricing = resolvePrices(review.model, settings.prices)
  const spending = planSpending({
    planned,
    repo: local.repoConfig,
    rules,
    settings: review,
    routing,
    ...(pricing.ok ? { prices: pricing.prices } : {}),
    ...(settings.outputTokensPerRequest === undefined
      ? {}
      : { outputTokensPerRequest: settings.outputTokensPerRequest })
  })
  return { settings, repoConfig: local.repoConfig, rules, routing, planned, pricing, spending }
}

function renderPlan(options: {
  readonly settings: CliSettings
  readonly planned: PlannedReview
  readonly spending: SpendingPlan
  readonly routing: ModelRouting
}): string {
  const { settings, planned, spending, routing } = options
  const report = buildPlanReport(planned, {
    settings: settings.review,
    spending,
    routing,
    prices: settings.prices,
    ...(settings.outputTokensPerRequest === undefined
      ? {}
      : { outputTokensPerRequest: settings.outputTokensPerRequest })
  })
  if (settings.format === 'json') return `${JSON.stringify(report, null, 2)}\n`
  return settings.format === 'markdown' ? renderPlanMarkdown(report) : renderPlanText(report)
}
