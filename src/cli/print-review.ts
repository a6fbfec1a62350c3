/**
 * The CLI's output of a review: the run result as text, Markdown (the action's own comment renderers) or
 * JSON on stdout, the gap and the gate on stderr, and the exit code. Printing only: the review itself is the
 * engine's (src/engine/run-review.ts), exactly as the action runs it.
 */
import type { RunResult } from '../engine/run-result.js'
import type { Logger } from '../engine/logger.js'
import { toSummaryInput } from '../report/summary-view.js'
import { EXIT_INCOMPLETE, EXIT_OK, EXIT_SEVERITY_GATE, type CliIo } from './cli-io.js'
import type { CliSettings } from './cli-settings.js'
import { toReviewReport } from './review-report.js'
import { renderReviewMarkdown, renderReviewText } from './review-render.js'
import { toTerminalText } from './terminal-text.js'

/** Prints the result to stdout (and what went wrong to stderr) and returns the exit code. */
export function printReview(options: {
  readonly io: Pick<CliIo, 'stdout' | 'stderr'>
  readonly settings: CliSettings
  readonly result: RunResult
  readonly logger: Logger
}): number {
  const { io, settings, result, logger } = options
  const { coverage } = result
  const { label } = result.planned.input
  io.stdout.write(render(settings, result, label))
  if (!coverage.complete) {
    logger.warning(
      `Review incomplete: ${coverage.failedChunks.length} of ${coverage.chunks} chunk(s) failed; their files were not reviewed.`
    )
  }
  const gate = result.gate.verdict
  if (gate.message !== undefined) {
    io.stderr.write(toTerminalText(`error: --fail-on-severity ${settings.review.failOnSeverity}: ${gate.message}\n`))
  }
  if (!coverage.complete) return EXIT_INCOMPLETE
  return gate.failed ? EXIT_SEVERITY_GATE : EXIT_OK
}

function render(settings: CliSettings, result: RunResult, label: string): string {
  if (settings.format === 'json') return `${JSON.stringify(toReviewReport(result, { source: label }), null, 2)}\n`
  if (settings.format === 'text') return renderReviewText(toReviewReport(result, { source: label }))
  const { shown } = result.findings
  const summary = toSummaryInput(result, {
    publication: { inlinePosted: shown.inline.length },
    head: result.planned.input.head
  })
  return renderReviewMarkdown({ placement: shown, summary })
}
