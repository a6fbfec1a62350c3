/** What the CLI reads and writes, and its exit codes: shared by the command (run-cli.ts) and its review stage. */
import type { ModelTransport } from '../model/responses-client.js'
import type { ReviewClock } from '../engine/review-limits.js'
import type { TextSink } from './stream-logger.js'

export const EXIT_OK = 0
/** The review is incomplete (a chunk failed), --fail-on-severity was reached, or something failed at run time. */
export const EXIT_INCOMPLETE = 1
/** Same code as an incomplete review: CI scripts treat both as "look at the output". */
export const EXIT_SEVERITY_GATE = 1
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
  /** The clock of the time budget and the token-rate limiter; tests move it by hand. */
  readonly clock?: ReviewClock
  /** Between plain progress lines when stderr is not a terminal; tests shorten it. */
  readonly progressIntervalMs?: number
}
