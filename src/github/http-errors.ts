/**
 * Turning Octokit's errors into messages a user can act on. GitHub's useful detail (e.g. a 422's
 * "Line could not be resolved") sits in `response.data.errors`, not in the HTTP status.
 */

import type { PullRequestRef } from '../types.js'
import { getErrorMessage } from '../errors.js'

/** Things that look like GitHub tokens, scrubbed from every message we build (defence in depth). */
const TOKEN_PATTERN = /\b(?:gh[pousr]_[A-Za-z0-9_]{16,}|github_pat_[A-Za-z0-9_]{16,})\b/g

/** Caps a message so a huge error body cannot flood the log. */
const MAX_MESSAGE_CHARS = 1_000

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

/** The HTTP status of an Octokit `RequestError` (500 for network failures), or undefined for anything else. */
export function statusOf(error: unknown): number | undefined {
  if (!isRecord(error)) return undefined
  const { status } = error
  return typeof status === 'number' && Number.isInteger(status) && status > 0 ? status : undefined
}

/** The parsed JSON body GitHub answered an error with, when there was one. */
function responseDataOf(error: unknown): Record<string, unknown> | undefined {
  if (!isRecord(error) || !isRecord(error.response)) return undefined
  const { data } = error.response
  return isRecord(data) ? data : undefined
}

/** A response header of a failed request (lower-case name). */
export function responseHeaderOf(error: unknown, name: string): string | undefined {
  if (!isRecord(error) || !isRecord(error.response) || !isRecord(error.response.headers)) return undefined
  const value = error.response.headers[name]
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined
}

/** GitHub's own `message` (e.g. the 406 "Sorry, the diff exceeded …"), without Octokit's decorations. */
export function githubMessageOf(error: unknown): string | undefined {
  const message = responseDataOf(error)?.message
  return typeof message === 'string' && message !== '' ? message : undefined
}

/** The `errors[]` entries as text: strings as they are, objects by their `message` or `code`/`field`. */
function errorDetailsOf(error: unknown): string[] {
  const errors = responseDataOf(error)?.errors
  if (!Array.isArray(errors)) return []
  return errors.map((entry: unknown) => {
    if (typeof entry === 'string') return entry
    if (!isRecord(entry)) return JSON.stringify(entry)
    if (typeof entry.message === 'string') return entry.message
    return [entry.resource, entry.field, entry.code].filter((part) => typeof part === 'string').join(' ')
  })
}

/** `text` with anything that looks like a GitHub token replaced, cut to a length a log can take. */
export function scrubMessage(text: string): string {
  const clean = text.replace(TOKEN_PATTERN, '[REDACTED]')
  return clean.length > MAX_MESSAGE_CHARS ? `${clean.slice(0, MAX_MESSAGE_CHARS)}…` : clean
}

/**
 * Says what failed: "GitHub answered 422 while creating the review: Unprocessable Entity (Line could not be
 * resolved)". Non-HTTP errors keep their own message. Never contains the token.
 */
export function describeGitHubError(error: unknown, action: string): string {
  const status = statusOf(error)
  if (status === undefined) return scrubMessage(`${action} failed: ${getErrorMessage(error)}`)
  // Octokit reports a failed connection as status 500 with no response at all.
  if (isRecord(error) && !isRecord(error.response)) {
    return scrubMessage(`Could not reach GitHub while ${action}: ${getErrorMessage(error)}`)
  }
  const message = githubMessageOf(error) ?? getErrorMessage(error)
  const details = errorDetailsOf(error).filter((detail) => detail !== '' && detail !== message)
  const suffix = details.length > 0 ? ` (${details.join('; ')})` : ''
  return scrubMessage(`GitHub answered ${status} while ${action}: ${message}${suffix}`)
}

/** True for failures worth retrying: 5xx, network errors (Octokit reports them as 500), 429, secondary limits. */
export function isTransientGitHubError(error: unknown): boolean {
  const status = statusOf(error)
  if (status === undefined) return false
  return status >= 500 || status === 429 || isSecondaryRateLimit(error)
}

const SERVER_ERROR_BACKOFF_MS = 2_000
/** GitHub's advice when a secondary limit comes without `retry-after`: wait at least a minute. */
const SECONDARY_LIMIT_FALLBACK_MS = 60_000

/**
 * How long to wait after a failed write before looking whether it was stored and trying again: the
 * secondary limit's `retry-after` (else a minute), otherwise a backoff growing with the attempt.
 */
export function waitAfterFailedWriteMs(error: unknown, attempt: number): number {
  if (!isSecondaryRateLimit(error)) return SERVER_ERROR_BACKOFF_MS * attempt
  const seconds = Number(responseHeaderOf(error, 'retry-after'))
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : SECONDARY_LIMIT_FALLBACK_MS
}

/** GitHub's secondary ("abuse") limit: a 403 or 429 whose message says so. */
export function isSecondaryRateLimit(error: unknown): boolean {
  const status = statusOf(error)
  if (status !== 403 && status !== 429) return false
  return /secondary rate/i.test(githubMessageOf(error) ?? getErrorMessage(error))
}

/**
 * The error to throw when reading a pull request fails: names the PR and says what to check for the
 * statuses users hit most (wrong number or no access ⇒ 404, bad token ⇒ 401).
 */
export function explainPullRequestError(error: unknown, options: { ref: PullRequestRef; action: string }): Error {
  const { ref, action } = options
  const where = `pull request #${ref.pullNumber} in ${ref.owner}/${ref.repo}`
  const status = statusOf(error)
  if (status === 404) {
    return new Error(
      `GitHub answered 404 while ${action}: pull request #${ref.pullNumber} not found in ${ref.owner}/${ref.repo}, ` +
        'or the token cannot read it',
      { cause: error }
    )
  }
  if (status === 401) {
    const reason = scrubMessage(githubMessageOf(error) ?? 'Bad credentials')
    return new Error(
      `GitHub answered 401 while ${action} (${where}): the token was rejected (${reason}); check the github-token input`,
      { cause: error }
    )
  }
  return new Error(`${describeGitHubError(error, `${action} (${where})`)}`, { cause: error })
}
