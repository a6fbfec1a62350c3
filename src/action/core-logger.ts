import * as core from '@actions/core'
import type { Logger } from '../engine/logger.js'

/** Logger that writes through @actions/core, one collapsible group per stage. */
export function createCoreLogger(): Logger {
  return {
    info: (message) => core.info(message),
    notice: (message) => core.notice(message),
    warning: (message) => core.warning(message),
    debug: (message) => core.debug(message),
    group: (name, work) => core.group(name, work)
  }
}
