/**
 * The limits around the review stage's model requests: the run's time budget (`time-budget-minutes`) and the
 * token-rate limit (`tokens-per-minute`). One object, created when the review stage starts, that the
 * chunk loop asks before each chunk and that wraps the model transport, so the model client itself only
 * sees a signal, a sleep and a hook.
 */
import type { ModelTransport } from '../model/responses-client.js'
import { type Chunk, type ChunkOutcome, ZERO_USAGE } from '../types.js'
import type { Logger } from './logger.js'
import {
  createAbortableSleep,
  describeBudgetExhausted,
  startTimeBudget,
  type ScheduleTimer,
  type TimeBudget
} from './time-budget.js'
import { createTokenRateLimiter, estimateRequestTokens, type TokenRateLimiter } from './token-rate-limiter.js'

/** Time as the limits see it; tests inject all three. */
export interface ReviewClock {
  readonly now?: () => number
  readonly sleep?: (ms: number) => Promise<void>
  readonly schedule?: ScheduleTimer
}

export interface ReviewLimitsOptions {
  /** 0 = no time budget. */
  readonly timeBudgetMinutes: number
  /** 0 = no token-rate limit. */
  readonly tokensPerMinute: number
  readonly clock?: ReviewClock
  /** Receives the rate limiter's waits (counts only). */
  readonly log?: (message: string) => void
}

export interface ReviewLimits {
  readonly budget: TimeBudget
  /**
   * The transport with the deadline's signal (cancels the request in flight), a retry sleep that ends at the
   * deadline, and the budget check and the rate limiter in front of every request.
   */
  guardTransport(transport: ModelTransport): ModelTransport
  /** A failed outcome for a chunk that must not start because time ran out; undefined when it may start. */
  refuseStart(chunk: Chunk): ChunkOutcome | undefined
  /** A chunk cut off by the deadline gets the plain budget message as its error instead of a transport error. */
  explain(outcome: ChunkOutcome): ChunkOutcome
  /** Logs, once, what the limits cost the run. */
  report(outcomes: readonly ChunkOutcome[], logger: Logger): void
  /** Cancels the deadline timer. */
  stop(): void
}

/** Starts the clock of the time budget now and sets up the rate limiter (when enabled). */
export function createReviewLimits(options: ReviewLimitsOptions): ReviewLimits {
  const clock = options.clock ?? {}
  const budget = startTimeBudget({
    minutes: options.timeBudgetMinutes,
    ...(clock.now === undefined ? {} : { now: clock.now }),
    ...(clock.schedule === undefined ? {} : { schedule: clock.schedule })
  })
  const limiter: TokenRateLimiter | undefined =
    options.tokensPerMinute > 0
      ? createTokenRateLimiter({
          tokensPerMinute: options.tokensPerMinute,
          sleep: createAbortableSleep(clock.sleep, budget.signal),
          ...(clock.now === undefined ? {} : { now: clock.now })
        })
      : undefined
  const budgetMessage = describeBudgetExhausted(options.timeBudgetMinutes)
  const stats = { waits: 0, waitedMs: 0 }

  const beforeRequest = async (body: Parameters<NonNullable<ModelTransport['beforeRequest']>>[0]): Promise<void> => {
    budget.throwIfExpired()
    if (limiter === undefined) return
    const tokens = estimateRequestTokens(body)
    const waited = await limiter.acquire(tokens, { signal: budget.signal })
    if (waited > 0) {
      stats.waits += 1
      stats.waitedMs += waited
      options.log?.(
        `Token-rate limit: waited ${(waited / 1000).toFixed(1)} s before a request of about ${tokens} tokens`
      )
    }
  }

  return {
    budget,
    guardTransport: (transport) => ({
      ...transport,
      signal: budget.signal,
      sleep: createAbortableSleep(transport.sleep, budget.signal),
      beforeRequest: async (body) => {
        await transport.beforeRequest?.(body)
        await beforeRequest(body)
      }
    }),
    refuseStart: (chunk) =>
      budget.isExpired()
        ? { ok: false, chunk, error: budgetMessage, usage: ZERO_USAGE, attempts: 0, failure: 'time-budget' }
        : undefined,
    explain: (outcome) => {
      // Only the budget cancels requests, so a cancelled chunk after the deadline is one the budget cut off.
      if (outcome.ok || outcome.failure !== 'cancelled' || !budget.isExpired()) return outcome
      // No attempt made: it was still waiting for the rate limiter when time ran out.
      const error =
        outcome.attempts === 0
          ? budgetMessage
          : `${budgetMessage} while it was being reviewed; its request was cancelled`
      return { ...outcome, error, failure: 'time-budget' }
    },
    report: (outcomes, logger) => {
      const cut = outcomes.filter((outcome) => !outcome.ok && outcome.failure === 'time-budget').length
      if (cut > 0) {
        logger.warning(
          `The time budget of ${options.timeBudgetMinutes} minute(s) ran out: ${cut} of ${outcomes.length} chunk(s) not reviewed ` +
            '(raise `time-budget-minutes`, or 0 for no limit).'
        )
      }
      if (stats.waits > 0) {
        logger.info(
          `Token-rate limit of ${options.tokensPerMinute} tokens/minute: ${stats.waits} request(s) waited ` +
            `${(stats.waitedMs / 1000).toFixed(1)} s in total.`
        )
      }
    },
    stop: budget.stop
  }
}
