/**
 * Where progress goes: `@actions/core` in the action, stderr in the CLI. Stages log counts and
 * decisions through this, never diff contents or secrets.
 */
export interface Logger {
  info(message: string): void
  notice(message: string): void
  warning(message: string): void
  debug(message: string): void
  group<T>(name: string, work: () => Promise<T>): Promise<T>
}

/** A logger that prints nothing, for library callers and tests that don't care. */
export const SILENT_LOGGER: Logger = {
  info: () => undefined,
  notice: () => undefined,
  warning: () => undefined,
  debug: () => undefined,
  group: async (_name, work) => work()
}
