/**
 * The Octokit every GitHub call goes through: `@octokit/rest` with the throttling and retry plugins, the
 * API root from the options or GITHUB_API_URL (GHES), and the runner's HTTP(S)_PROXY/NO_PROXY.
 *
 * Not `@actions/github`: its `context` parses GITHUB_EVENT_PATH when the module is imported, so a malformed
 * event file threw a raw stack trace before any of our error handling ran. Nothing here reads the
 * environment until a client is built.
 */

import { retry } from '@octokit/plugin-retry'
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling'
import { Octokit } from '@octokit/rest'
import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici'

export interface GitHubClientOptions {
  readonly token: string
  /** API root, e.g. `https://ghe.example.com/api/v3`; defaults to GITHUB_API_URL, then api.github.com. */
  readonly baseUrl?: string
  /** Where GITHUB_API_URL is read from when `baseUrl` is not given (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly log?: (message: string) => void
  readonly throttle?: {
    /**
     * Minimum gap between writes. Leave unset in production: the plugin's defaults apply (1 s between
     * writes, 3 s between notification-triggering writes). Tests set a few ms.
     */
    readonly writeSpacingMs?: number
    /** Gap between notification-triggering writes (reviews, comments); defaults to 3 × writeSpacingMs. */
    readonly notificationSpacingMs?: number
    /** Retries after a rate limit and after a 5xx. */
    readonly maxRetries?: number
    /** Milliseconds per second of `retry-after`/backoff; 1000 in production, tests shrink it. */
    readonly retryAfterUnitMs?: number
  }
}

const DEFAULT_API_URL = 'https://api.github.com'
const USER_AGENT = 'codex-pr-review'
const DEFAULT_MAX_RETRIES = 2
/** Waiting longer than this for a primary limit to reset costs more runner time than it saves. */
const MAX_RATE_LIMIT_WAIT_SECONDS = 600
/**
 * Statuses a retry cannot fix (the plugin's list plus 406: a diff too large stays too large). 403 and 429 rate
 * limits are the throttling plugin's business.
 */
const DO_NOT_RETRY = [400, 401, 403, 404, 406, 410, 422, 451]
const CREATE_REVIEW_PATH = /\/pulls\/[^/]+\/reviews$/

/** The plugin only calls `group.key(id).schedule(options, task, ...args)` on its write groups. */
type ThrottleGroup = NonNullable<ThrottlingOptions['write']>
type Task = (...args: unknown[]) => unknown

/**
 * A one-at-a-time queue that starts tasks at least `minTimeMs` apart: a stand-in for the Bottleneck group the
 * plugin builds with fixed 1 s/3 s spacing, so tests can shrink the spacing without waiting seconds.
 */
function createSpacingGroup(minTimeMs: number): ThrottleGroup {
  let queue: Promise<unknown> = Promise.resolve()
  let lastStart = -Infinity
  const limiter = {
    schedule(...params: unknown[]): Promise<unknown> {
      const taskIndex = typeof params[0] === 'function' ? 0 : 1
      const task = params[taskIndex] as Task
      const args = params.slice(taskIndex + 1)
      const run = async (): Promise<unknown> => {
        const wait = lastStart + minTimeMs - Date.now()
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
        lastStart = Date.now()
        return task(...args)
      }
      const result = queue.then(run)
      queue = result.catch(() => undefined)
      return result
    }
  }
  return { key: () => limiter } as unknown as ThrottleGroup
}

function isLoopback(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
}

/**
 * A fetch that applies HTTP(S)_PROXY/NO_PROXY (either case, as the runner sets them) to the API root, read
 * when the client is built. Loopback never goes through a proxy.
 */
function createFetchFor(baseUrl: string): typeof fetch {
  if (isLoopback(new URL(baseUrl))) return globalThis.fetch
  const dispatcher = new EnvHttpProxyAgent()
  const proxied = (input: Parameters<typeof undiciFetch>[0], init?: Parameters<typeof undiciFetch>[1]) =>
    undiciFetch(input, { ...init, dispatcher })
  return proxied as unknown as typeof fetch
}

function buildThrottle(options: GitHubClientOptions): ThrottlingOptions {
  const log = options.log ?? (() => undefined)
  const maxRetries = options.throttle?.maxRetries ?? DEFAULT_MAX_RETRIES
  const spacing = options.throttle?.writeSpacingMs
  const unitMs = options.throttle?.retryAfterUnitMs
  const describe = (what: string, request: { method: string; url: string }, wanted: boolean, retryAfter: number) =>
    `GitHub ${what} on ${request.method} ${request.url}; ${wanted ? `retrying in ${retryAfter} s` : 'giving up'}`
  const groups =
    spacing === undefined
      ? {}
      : {
          write: createSpacingGroup(spacing),
          notifications: createSpacingGroup(options.throttle?.notificationSpacingMs ?? spacing * 3)
        }
  return {
    ...groups,
    ...(unitMs === undefined ? {} : { retryAfterBaseValue: unitMs }),
    onRateLimit: (retryAfter, request, _octokit, retryCount) => {
      const wanted = retryCount < maxRetries && retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS
      log(describe('rate limit hit', request, wanted, retryAfter))
      return wanted
    },
    onSecondaryRateLimit: (retryAfter, request, _octokit, retryCount) => {
      // A review POST that hit the limit may still have been stored: publishReview checks before posting again.
      if (request.method === 'POST' && CREATE_REVIEW_PATH.test(request.url)) {
        log(`GitHub secondary rate limit on ${request.method} ${request.url}; not retrying a review automatically`)
        return false
      }
      const wanted = retryCount < maxRetries
      log(describe('secondary rate limit', request, wanted, retryAfter))
      return wanted
    }
  }
}

/**
 * Builds the GitHub client: REST methods + `paginate`, throttled (rate limits retried up to `maxRetries`
 * times, review creation never retried blindly) and retried on 5xx.
 */
export function createGitHubClient(options: GitHubClientOptions) {
  const retryAfterUnitMs = options.throttle?.retryAfterUnitMs
  const env = options.env ?? process.env
  const baseUrl = (options.baseUrl ?? (env.GITHUB_API_URL || DEFAULT_API_URL)).replace(/\/+$/, '')
  const log = options.log ?? (() => undefined)
  const ThrottledOctokit = Octokit.plugin(throttling, retry)
  return new ThrottledOctokit({
    auth: options.token,
    baseUrl,
    userAgent: USER_AGENT,
    request: { fetch: createFetchFor(baseUrl) },
    // Octokit's request log prints every failed request to the console; failures reach our callers instead.
    log: { debug: () => undefined, info: () => undefined, warn: log, error: () => undefined },
    throttle: buildThrottle(options),
    retry: {
      doNotRetry: DO_NOT_RETRY,
      retries: options.throttle?.maxRetries ?? DEFAULT_MAX_RETRIES,
      ...(retryAfterUnitMs === undefined ? {} : { retryAfterBaseValue: retryAfterUnitMs })
    }
  })
}

/** The client type every github/ function takes. */
export type GitHubApi = ReturnType<typeof createGitHubClient>
