import type { Logger } from '../engine/logger.js'
import { toTerminalText } from './terminal-text.js'
import { toFlagWording } from './usage-error.js'

/** Somewhere text can be written: process.stdout/stderr, or a buffer in tests. */
export interface TextSink {
  write(text: string): unknown
  /** True when it is a terminal (process.stdout/stderr set it). */
  readonly isTTY?: boolean
  /** The terminal's width, when it is one. */
  readonly columns?: number
}

/**
 * The CLI's progress logger: one line per message on stderr, so stdout holds only the result and can be
 * piped (`--format json | jq`). Debug lines and stage names only with --verbose. Messages written for the
 * action name inputs; here they name flags.
 */
export function createStreamLogger(sink: TextSink, options: { readonly verbose: boolean }): Logger {
  const line = (text: string): void => {
    sink.write(toTerminalText(`${toFlagWording(text)}\n`))
  }
  return {
    info: (message) => line(message),
    notice: (message) => line(`note: ${message}`),
    warning: (message) => line(`warning: ${message}`),
    debug: (message) => {
      if (options.verbose) line(`debug: ${message}`)
    },
    group: async (name, work) => {
      if (options.verbose) line(`== ${name}`)
      return work()
    }
  }
}
