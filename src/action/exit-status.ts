import type { Config } from '../config/config.js'
import type { IncrementalPlan } from '../incremental/incremental-stage.js'
import { evaluateOpenEarlierFindings, evaluateSeverityGate } from '../review/severity-gate.js'
import type { ChunkOutcome } from '../types.js'
import type { RunPlacement } from './place-run-findings.js'

/**
 * The exit-code policy, after everything is posted: why the step fails, or undefined when it passes,
 * plus a warning for gaps that `fail-on-error: false` lets pass.
 * - a chunk not reviewed or a review not posted fails only with `fail-on-error`;
 * - `fail-on-severity` fails on any finding of this run that reaches it, one an earlier run already
 *   posted and this run found again, and, on an incremental run, an earlier comment of ours still on
 *   unchanged code (a push must not turn a failing gate green without a fix).
 */
export function decideExitStatus(options: {
  readonly config: Pick<Config, 'failOnError' | 'failOnSeverity'>
  readonly outcomes: readonly ChunkOutcome[]
  readonly reviewError?: string
  readonly placed: RunPlacement
  readonly incremental: IncrementalPlan
}): { readonly failures: readonly string[]; readonly warning?: string } {
  const { config, outcomes, placed } = options
  const failedChunks = outcomes.filter((outcome) => !outcome.ok).length
  const problems = [
    ...(failedChunks > 0 ? [`${failedChunks} of ${outcomes.length} chunk(s) could not be reviewed`] : []),
    ...(options.reviewError === undefined ? [] : [`the review could not be posted: ${options.reviewError}`])
  ]
  const incomplete = problems.length > 0 ? `Review incomplete: ${problems.join('; ')}. See the summary comment.` : undefined
  const failures: string[] = []
  if (incomplete !== undefined && config.failOnError) failures.push(incomplete)

  const found = [
    ...placed.placement.inline,
    ...placed.placement.summaryOnly,
    ...placed.earlier.alreadyPosted.map((finding) => ({ finding }))
  ]
  const gate = evaluateSeverityGate(found, config.failOnSeverity)
  if (gate.message !== undefined) failures.push(gate.message)
  if (options.incremental.scope.kind === 'incremental') {
    const earlier = evaluateOpenEarlierFindings(placed.earlier.ours, config.failOnSeverity)
    if (earlier !== undefined) failures.push(earlier)
  }
  return {
    failures,
    ...(incomplete !== undefined && !config.failOnError
      ? { warning: `${incomplete} (fail-on-error is off, so the step passes.)` }
      : {})
  }
}
