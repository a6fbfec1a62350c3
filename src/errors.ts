/** Errors that fail the step, each carrying a message meant for the user. */

/** An input (or CLI flag) is missing or invalid. The message names it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

/** The model API refused or failed in a way retrying cannot fix (bad key, no credits, bad request). */
export class ModelError extends Error {
  override readonly name = 'ModelError'
  constructor(
    message: string,
    readonly options: { readonly status?: number; readonly retryable: boolean; readonly requestId?: string } = {
      retryable: false
    }
  ) {
    super(message)
  }
}

/** Turns anything thrown into a message, without `any`. */
export function getErrorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  if (typeof error === 'string') return error
  try {
    return JSON.stringify(error)
  } catch {
    return String(error)
  }
}
