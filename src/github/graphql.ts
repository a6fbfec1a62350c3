/**
 * GitHub's GraphQL API through the shared client, with its failures sorted into kinds a caller can act on.
 * GitHub answers most GraphQL failures with HTTP 200 and an `errors` array (a refused mutation is
 * `{"type":"FORBIDDEN","message":"Resource not accessible by integration"}` next to `data: {field: null}`), so the
 * HTTP status alone says little; Octokit throws those as a `GraphqlResponseError`, and HTTP failures (404 where a
 * server has no GraphQL endpoint, 401, 5xx, network) as a `RequestError`.
 */

import { getErrorMessage } from '../errors.js'
import type { GitHubApi } from './client.js'
import { describeGitHubError, isSecondaryRateLimit, scrubMessage, statusOf } from './http-errors.js'

/**
 * - `forbidden`: the token may not do this (FORBIDDEN, or HTTP 403 that is not a rate limit)
 * - `not-found`: the repository, pull request or node does not exist or cannot be seen (NOT_FOUND)
 * - `rate-limited`: RATE_LIMITED, or a secondary limit
 * - `invalid-query`: the server refused the query itself (a schema mismatch, e.g. an older GHES)
 * - `unauthorized`: HTTP 401, the token was rejected
 * - `unavailable`: no GraphQL endpoint (HTTP 404), a 5xx, or GitHub could not be reached
 * - `other`: anything else
 */
export type GraphQLFailureKind =
  'forbidden' | 'not-found' | 'rate-limited' | 'invalid-query' | 'unauthorized' | 'unavailable' | 'other'

/** A GraphQL call that failed; `message` says what was being done and GitHub's reason, never the token. */
export class GitHubGraphQLError extends Error {
  readonly kind: GraphQLFailureKind
  /** HTTP status when the request itself failed; absent for errors GitHub reported inside a 200. */
  readonly status?: number
  /** What GitHub returned next to the errors, when it returned anything. */
  readonly partialData?: unknown

  constructor(
    message: string,
    options: { kind: GraphQLFailureKind; status?: number; partialData?: unknown; cause?: unknown }
  ) {
    super(message, { cause: options.cause })
    this.name = 'GitHubGraphQLError'
    this.kind = options.kind
    if (options.status !== undefined) this.status = options.status
    if (options.partialData !== undefined) this.partialData = options.partialData
  }
}

export interface GraphQLRequest {
  readonly query: string
  readonly variables?: Readonly<Record<string, unknown>>
  /** What the call does, for messages: "listing the review threads of pull request #3". */
  readonly action: string
  /** Appended to the message when the answer is `forbidden`, e.g. which permission the token needs. */
  readonly forbiddenHint?: string
}

/** Octokit reads these option names as request settings, not GraphQL variables. */
const RESERVED_VARIABLE_NAMES = new Set([
  'method',
  'baseUrl',
  'url',
  'headers',
  'request',
  'query',
  'mediaType',
  'operationName'
])
/** graphql-ruby's validation codes GitHub sends in `extensions.code` when the query does not fit its schema. */
const QUERY_ERROR_CODE = /^(undefined|argumentNotAccepted|missingRequired|variable|selectionMismatch|fragment)/

interface ResponseError {
  readonly type?: unknown
  readonly message?: unknown
  readonly extensions?: { readonly code?: unknown }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

/** The `errors` GitHub sent inside a 200 (Octokit's GraphqlResponseError, or the throttling plugin's rate limit error). */
function responseErrorsOf(error: unknown): ResponseError[] | undefined {
  if (!isRecord(error)) return undefined
  if (Array.isArray(error.errors)) return error.errors.filter(isRecord)
  if (isRecord(error.data) && Array.isArray(error.data.errors)) return error.data.errors.filter(isRecord)
  return undefined
}

function classifyResponseErrors(errors: readonly ResponseError[]): GraphQLFailureKind {
  const types = new Set(errors.map((entry) => entry.type))
  if (types.has('FORBIDDEN')) return 'forbidden'
  if (types.has('RATE_LIMITED')) return 'rate-limited'
  if (types.has('NOT_FOUND')) return 'not-found'
  const isQueryError = errors.some(
    (entry) =>
      (typeof entry.extensions?.code === 'string' && QUERY_ERROR_CODE.test(entry.extensions.code)) ||
      (typeof entry.message === 'string' && entry.message.startsWith('Parse error'))
  )
  return isQueryError ? 'invalid-query' : 'other'
}

function classifyHttpError(error: unknown, status: number): GraphQLFailureKind {
  if (status === 401) return 'unauthorized'
  if (status === 429 || isSecondaryRateLimit(error)) return 'rate-limited'
  if (status === 403) return 'forbidden'
  if (status === 404 || status >= 500) return 'unavailable'
  return 'other'
}

/** Turns whatever Octokit threw into a GitHubGraphQLError with a message naming `action`. */
export function toGraphQLError(
  error: unknown,
  request: Pick<GraphQLRequest, 'action' | 'forbiddenHint'>
): GitHubGraphQLError {
  if (error instanceof GitHubGraphQLError) return error
  const errors = responseErrorsOf(error)
  const partialData = isRecord(error) && 'data' in error && error.data !== undefined ? error.data : undefined
  let kind: GraphQLFailureKind
  let message: string
  let status: number | undefined
  if (errors !== undefined && errors.length > 0) {
    kind = classifyResponseErrors(errors)
    const reasons = [
      ...new Set(errors.map((entry) => (typeof entry.message === 'string' ? entry.message : JSON.stringify(entry))))
    ]
    message = `GitHub's GraphQL API refused ${request.action}: ${reasons.join('; ')}`
  } else {
    status = statusOf(error)
    kind = status === undefined ? 'other' : classifyHttpError(error, status)
    message =
      status === undefined
        ? `${request.action} through GitHub's GraphQL API failed: ${getErrorMessage(error)}`
        : describeGitHubError(error, request.action)
  }
  const hint = kind === 'forbidden' && request.forbiddenHint !== undefined ? ` (${request.forbiddenHint})` : ''
  return new GitHubGraphQLError(scrubMessage(`${message}${hint}`), {
    kind,
    ...(status === undefined ? {} : { status }),
    ...(partialData === undefined ? {} : { partialData }),
    cause: error
  })
}

/**
 * Runs one GraphQL query or mutation; resolves to its `data`. Throws a GitHubGraphQLError for every failure,
 * including errors GitHub reports inside an HTTP 200. Pass values only through `variables`, never by building
 * them into `query`: paths and bodies are untrusted text.
 */
export async function requestGraphQL<T>(api: GitHubApi, request: GraphQLRequest): Promise<T> {
  const variables = request.variables ?? {}
  const reserved = Object.keys(variables).filter((name) => RESERVED_VARIABLE_NAMES.has(name))
  if (reserved.length > 0) throw new Error(`GraphQL variable name reserved by Octokit: ${reserved.join(', ')}`)
  try {
    return await api.graphql<T>(request.query, { ...variables })
  } catch (error: unknown) {
    throw toGraphQLError(error, request)
  }
}
