/**
 * A token-rate limiter (`tokens-per-minute`) in front of model requests, so a big PR stays under the
 * account's limit instead of collecting 429s and burning retries. A sliding 60-second window: a request
 * may start when the tokens charged in the last minute plus its own fit the limit. Requests are served
 * first come, first served. A request larger than the whole limit still goes, alone, once the window is
 * empty: otherwise it could never go. Clock and sleep are injected so tests move time by hand.
 */
import { countTokens } from '../chunk/tokens.js'
import { sleep as realSleep } from '../util/sleep.js'

export const RATE_WINDOW_MS = 60_000

/** One request's charge, at the time it was let through. */
export interface WindowEntry {
  readonly at: number
  readonly tokens: number
}

/**
 * How long a request of `tokens` must wait before it fits under `limit` per window, given what was
 * charged (oldest first): 0 when it fits now or the window is empty. Pure.
 */
export function computeWaitMs(options: {
  readonly entries: readonly WindowEntry[]
  readonly tokens: number
  readonly limit: number
  readonly now: number
}): number {
  const live = options.entries.filter((entry) => entry.at + RATE_WINDOW_MS > options.now)
  let used = live.reduce((sum, entry) => sum + entry.tokens, 0)
  if (live.length === 0 || used + options.tokens <= options.limit) return 0
  // Wait for the oldest entries to leave the window until the request fits (or the window is empty).
  for (const [index, entry] of live.entries()) {
    used -= entry.tokens
    if (index === live.length - 1 || used + options.tokens <= options.limit)
      return entry.at + RATE_WINDOW_MS - options.now
  }
  return 0
}

/**
 * Tokens one request is charged, the way providers count a request against a per-minute limit when it
 * arrives: its input (instructions + input, o200k) plus the whole `max_output_tokens` it may use.
 */
export function estimateRequestTokens(request: {
  readonly instructions: string
  readonly input: string
  readonly max_output_tokens: number
}): number {
  return countInstructionTokens(request.instructions) + countTokens(request.input) + request.max_output_tokens
}

// The instructions are the same in every request of a run: count them once.
let cachedInstructions: { readonly text: string; readonly tokens: number } | undefined
function countInstructionTokens(text: string): number {
  if (cachedInstructions?.text !== text) cachedInstructions = { text, tokens: countTokens(text) }
  return cachedInstructions.tokens
}

export interface TokenRateLimiterOptions {
  readonly tokensPerMinute: number
  /** Epoch ms; default `Date.now`. */
  readonly now?: () => number
  readonly sleep?: (ms: number) => Promise<void>
}

export interface TokenRateLimiter {
  /**
   * Resolves, with the milliseconds waited, once `tokens` fit in the window, and charges them. Rejects with
   * the signal's reason when `signal` aborts before that (nothing is charged).
   */
  acquire(tokens: number, options?: { readonly signal?: AbortSignal }): Promise<number>
}

/** Creates the limiter; requests wait in the order they asked. */
export function createTokenRateLimiter(options: TokenRateLimiterOptions): TokenRateLimiter {
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? realSleep
  const entries: WindowEntry[] = []
  let queue: Promise<unknown> = Promise.resolve()

  const take = async (tokens: number, signal: AbortSignal | undefined): Promise<number> => {
    let waited = 0
    for (;;) {
      if (signal?.aborted === true) throw signal.reason
      while (entries.length > 0 && (entries[0]?.at ?? 0) + RATE_WINDOW_MS <= now()) entries.shift()
      const wait = computeWaitMs({ entries, tokens, limit: options.tokensPerMinute, now: now() })
      if (wait <= 0) {
        entries.push({ at: now(), tokens })
        return waited
      }
      await sleep(wait)
      waited += wait
    }
  }

  return {
    acquire(tokens, acquireOptions = {}) {
      const result = queue.then(() => take(tokens, acquireOptions.signal))
      queue = result.catch(() => undefined)
      return result
    }
  }
}
