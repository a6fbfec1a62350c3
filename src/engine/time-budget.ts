/**
 * The run's time budget for model requests (`time-budget-minutes`). A busy provider can make a review run
 * for hours through retries and rate limits; after the budget the run stops asking the model, reports the
 * chunks it did not get to as not reviewed, and still posts everything it has. The clock and the timer are
 * injected so tests move time by hand.
 */

export const MS_PER_MINUTE = 60_000

/** The reason a chunk was not reviewed because time ran out; the summary shows it as the chunk's error. */
export function describeBudgetExhausted(minutes: number): string {
  return `not reviewed: the time budget of ${minutes} minute${minutes === 1 ? '' : 's'} ran out`
}

/** Thrown (and used as the abort reason) once the budget is spent; its message is {@link describeBudgetExhausted}. */
export class TimeBudgetExpiredError extends Error {
  override readonly name = 'TimeBudgetExpiredError'
}

/** Calls `callback` after `delayMs`; returns a function that cancels it. */
export type ScheduleTimer = (callback: () => void, delayMs: number) => () => void

export interface TimeBudgetOptions {
  /** 0 = no budget. */
  readonly minutes: number
  /** Epoch ms; default `Date.now`. */
  readonly now?: () => number
  /** Default: an unref'd `setTimeout`, so a pending deadline never keeps the process alive. */
  readonly schedule?: ScheduleTimer
}

export interface TimeBudget {
  readonly minutes: number
  /** Aborts at the deadline with a {@link TimeBudgetExpiredError}; pass it to requests so they are cancelled. */
  readonly signal: AbortSignal
  /** True once the deadline has passed (and then the signal is aborted too). */
  isExpired(): boolean
  /** Throws the {@link TimeBudgetExpiredError} when the budget is spent. */
  throwIfExpired(): void
  /** Cancels the deadline timer; call when the review stage is over. */
  stop(): void
}

const defaultSchedule: ScheduleTimer = (callback, delayMs) => {
  const timer = setTimeout(callback, delayMs)
  timer.unref()
  return () => clearTimeout(timer)
}

/** Starts the budget now. With `minutes` 0 the budget never expires and no timer is set. */
export function startTimeBudget(options: TimeBudgetOptions): TimeBudget {
  const now = options.now ?? Date.now
  const controller = new AbortController()
  const minutes = options.minutes
  const expire = (): void => {
    if (!controller.signal.aborted) controller.abort(new TimeBudgetExpiredError(describeBudgetExhausted(minutes)))
  }
  if (minutes <= 0) {
    return {
      minutes,
      signal: controller.signal,
      isExpired: () => false,
      throwIfExpired: () => undefined,
      stop: () => undefined
    }
  }
  const deadline = now() + minutes * MS_PER_MINUTE
  const cancel = (options.schedule ?? defaultSchedule)(expire, deadline - now())
  const isExpired = (): boolean => {
    // The clock is checked too: an injected clock (or a late timer) must not let a chunk start after the deadline.
    if (!controller.signal.aborted && now() >= deadline) expire()
    return controller.signal.aborted
  }
  return {
    minutes,
    signal: controller.signal,
    isExpired,
    throwIfExpired: () => {
      if (isExpired()) throw controller.signal.reason
    },
    stop: cancel
  }
}

/**
 * A sleep that ends early, without error, when `signal` aborts: nobody waits out a retry delay past the
 * deadline. Without an injected `sleep`, the timer itself is cleared so it cannot hold the process open.
 */
export function createAbortableSleep(
  sleep: ((ms: number) => Promise<void>) | undefined,
  signal: AbortSignal
): (ms: number) => Promise<void> {
  return async (ms) => {
    if (signal.aborted) return
    let timer: NodeJS.Timeout | undefined
    let onAbort: (() => void) | undefined
    const aborted = new Promise<void>((resolve) => {
      onAbort = resolve
      signal.addEventListener('abort', onAbort, { once: true })
    })
    const slept = sleep?.(ms) ?? new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))
    try {
      await Promise.race([slept, aborted])
    } finally {
      if (timer !== undefined) clearTimeout(timer)
      if (onAbort !== undefined) signal.removeEventListener('abort', onAbort)
    }
  }
}
