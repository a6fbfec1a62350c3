/**
 * Writes the JSON report and the SARIF log next to the job (RUNNER_TEMP) and exposes them as step outputs
 * (`report-path`, `sarif-path`, `max-severity`), so later steps can upload or inspect them.
 */
import * as core from '@actions/core'
import { mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Config } from '../config/config.js'
import { getErrorMessage } from '../errors.js'
import type { Logger } from '../pipeline/logger.js'
import type { PreparedReview } from '../pipeline/prepare.js'
import { buildSummaryInput } from '../pipeline/summary-input.js'
import { renderJsonReport } from '../report/json-report.js'
import { collectReportFindings, type ReportFinding } from '../report/report-findings.js'
import { renderSarif } from '../report/sarif.js'
import type { PostedFinding } from '../review/dedupe-existing.js'
import { type BelowThresholdFinding, meetsSeverity } from '../review/severity-gate.js'
import type { ChunkOutcome, ModelFinding, PlacementResult, PullDiffSource, PullRequestInfo, Severity } from '../types.js'

export interface WriteReportsInput {
  readonly pullRequest: PullRequestInfo
  readonly config: Pick<Config, 'model' | 'severityThreshold'>
  readonly prepared: PreparedReview
  readonly outcomes: readonly ChunkOutcome[]
  /** The placement after the severity threshold. */
  readonly placement: PlacementResult
  readonly belowThreshold: readonly BelowThresholdFinding[]
  readonly source: PullDiffSource
  readonly logger: Logger
  /** Where to write; defaults to RUNNER_TEMP, else the system temp directory. */
  readonly directory?: string
  /** Findings found again that earlier comments hold (not posted again, still reported). */
  readonly alreadyPosted?: readonly ModelFinding[]
  /** Earlier comments to carry on an incremental run; those below the severity threshold are left out. */
  readonly earlier?: readonly PostedFinding[]
}

export interface WrittenReports {
  readonly findings: readonly ReportFinding[]
  readonly maxSeverity: Severity | 'none'
  /** Absent when the file could not be written (a warning says why). */
  readonly reportPath?: string
  readonly sarifPath?: string
}

/** Renders both reports, writes them, and sets the outputs. A failed write is a warning, not a failure. */
export async function writeReports(input: WriteReportsInput): Promise<WrittenReports> {
  const findings = collectReportFindings({
    placement: input.placement,
    belowThreshold: input.belowThreshold,
    lineIndex: input.prepared.lineIndex,
    alreadyPosted: input.alreadyPosted ?? [],
    earlier: (input.earlier ?? []).filter((posted) => meetsSeverity(posted.severity, input.config.severityThreshold))
  })
  const summary = buildSummaryInput({
    model: input.config.model,
    pullRequest: input.pullRequest,
    prepared: input.prepared,
    outcomes: input.outcomes,
    placement: input.placement,
    inlinePosted: input.placement.inline.length,
    source: input.source,
    notes: [],
    inlineLost: false
  })
  const report = renderJsonReport({
    pullRequest: input.pullRequest,
    severityThreshold: input.config.severityThreshold,
    findings,
    summary
  })
  const directory = input.directory ?? ((process.env.RUNNER_TEMP ?? '').trim() || tmpdir())
  const base = join(directory, `codex-pr-review-${input.pullRequest.pullNumber}`)
  const reportPath = await writeOne(`${base}.json`, report, input.logger)
  const sarifPath = await writeOne(`${base}.sarif`, renderSarif({ findings }), input.logger)
  core.setOutput('max-severity', report.maxSeverity)
  core.setOutput('report-path', reportPath ?? '')
  core.setOutput('sarif-path', sarifPath ?? '')
  input.logger.info(
    `Reports: ${report.counts.total} finding(s), highest severity ${report.maxSeverity}; ` +
      `JSON ${reportPath ?? '(not written)'}, SARIF ${sarifPath ?? '(not written)'}.`
  )
  return {
    findings,
    maxSeverity: report.maxSeverity,
    ...(reportPath === undefined ? {} : { reportPath }),
    ...(sarifPath === undefined ? {} : { sarifPath })
  }
}

async function writeOne(path: string, value: unknown, logger: Logger): Promise<string | undefined> {
  try {
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, `${JSON.stringify(value, null, 2)}\n`, 'utf8')
    return path
  } catch (error: unknown) {
    logger.warning(`Could not write ${path}: ${getErrorMessage(error)}`)
    return undefined
  }
}
