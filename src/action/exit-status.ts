import type { Config } from '../config/config.js'
import type { RunResult } from '../engine/run-result.js'

/**
 * The exit-code policy, after everything is posted: why the step fails, or nothing when it passes, plus a
 * warning for gaps that `fail-on-error: false` lets pass.
 * - a chunk not reviewed or a review not posted fails only with `fail-on-error`;
 * - `fail-on-severity` fails on the run result's gate: any finding of this run that reaches it, one an earlier
 *   run already posted and this run found again, and, on an incremental run, an earlier comment of ours still
 *   on unchanged code (a push must not turn a failing gate green without a fix).
 */
export function decideExitStatus(options: {
  readonly config: Pick<Config, 'failOnError'>
  readonly result: RunResult
  readonly reviewError?: string
}): { readonly failures: readonly string[]; readonly warning?: string } {
  const { config, result } = options
  const failedChunks = result.coverage.failedChunks.length
  const problems = [
    ...(failedChunks > 0 ? [`${failedChunks} of ${result.coverage.chunks} chunk(s) could not be reviewed`] : []),
    ...(options.reviewError === undefined ? [] : [`the review could not be posted: ${options.reviewError}`])
  ]
  const incomplete =
    problems.length > 0 ? `Review incomplete: ${problems.join('; ')}. See the summary comment.` : undefined
  const failures: string[] = []
  // Nothing reviewed because of the setup fails whatever fail-on-error says: green would read as "reviewed".
  const { nothingReviewed } = result.coverage
  if (nothingReviewed !== undefined) failures.push(nothingReviewed.message)
  if (incomplete !== undefined && config.failOnError && nothingReviewed === undefined) failures.push(incomplete)
  if (result.gate.verdict.message !== undefined) failures.push(result.gate.verdict.message)
  if (result.gate.openEarlier !== undefined) failures.push(result.gate.openEarlier)
  return {
    failures,
    ...(incomplete !== undefined && !config.failOnError && nothingReviewed === undefined
      ? { warning: `${incomplete} (fail-on-error is off, so the step passes.)` }
      : {})
  }
}
