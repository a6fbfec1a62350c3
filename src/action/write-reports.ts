/**
 * Writes the JSON report and the SARIF log of a run next to the job (RUNNER_TEMP), so later steps can upload
 * or inspect them. Both render from the run result; a file that cannot be written is a warning, not a failure.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Logger } from '../engine/logger.js'
import type { RunResult } from '../engine/run-result.js'
import { getErrorMessage } from '../errors.js'
import { renderRunReport } from '../report/json-report.js'
import { renderSarif } from '../report/sarif.js'
import type { ReportFinding } from '../engine/run-findings.js'
import type { PullRequestInfo, Severity } from '../types.js'

export interface WrittenReports {
  /** What both reports list (the run result's flat findings). */
  readonly findings: readonly ReportFinding[]
  readonly maxSeverity: Severity | 'none'
  /** Absent when the file could not be written (a warning says why). */
  readonly reportPath?: string
  readonly sarifPath?: string
}

/** Renders both reports and writes them; `directory` defaults to RUNNER_TEMP, else the system temp directory. */
export async function writeReports(options: {
  readonly result: RunResult
  readonly pullRequest: PullRequestInfo
  readonly logger: Logger
  readonly directory?: string
}): Promise<WrittenReports> {
  const { result, logger } = options
  const report = renderRunReport({ pullRequest: options.pullRequest, result })
  const directory = options.directory ?? ((process.env.RUNNER_TEMP ?? '').trim() || tmpdir())
  const base = join(directory, `codex-pr-review-${options.pullRequest.pullNumber}`)
  const reportPath = await writeOne(`${base}.json`, report, logger)
  const sarifPath = await writeOne(`${base}.sarif`, renderSarif({ findings: result.reported }), logger)
  logger.info(
    `Reports: ${report.counts.total} finding(s), highest severity ${report.maxSeverity}; ` +
      `JSON ${reportPath ?? '(not written)'}, SARIF ${sarifPath ?? '(not written)'}.`
  )
  return {
    findings: result.reported,
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
