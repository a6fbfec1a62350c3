import {
  createAbortableSleep,
  describeBudgetExhausted,
  MS_PER_MINUTE,
  startTimeBudget,
  TimeBudgetExpiredError,
  type ScheduleTimer
} from '../../src/engine/time-budget.js'

/** A hand-moved clock and a timer the test fires itself. */
function manualTime() {
  const state = { now: 1_000_000, timers: [] as { callback: () => void; delayMs: number; cancelled: boolean }[] }
  const schedule: ScheduleTimer = (callback, delayMs) => {
    const timer = { callback, delayMs, cancelled: false }
    state.timers.push(timer)
    return () => {
      timer.cancelled = true
    }
  }
  return { state, now: () => state.now, schedule }
}

describe('describeBudgetExhausted', () => {
  it.each([
    [1, 'not reviewed: the time budget of 1 minute ran out'],
    [20, 'not reviewed: the time budget of 20 minutes ran out']
  ])('names the budget of %i', (minutes, message) => {
    expect(describeBudgetExhausted(minutes)).toBe(message)
  })
})

describe('startTimeBudget', () => {
  it('expires when the clock reaches the deadline, aborting its signal with the budget message', () => {
    const time = manualTime()
    const budget = startTimeBudget({ minutes: 2, now: time.now, schedule: time.schedule })
    time.state.now += 2 * MS_PER_MINUTE - 1
    expect(budget.isExpired()).toBe(false)
    expect(budget.signal.aborted).toBe(false)
    expect(() => budget.throwIfExpired()).not.toThrow()
    time.state.now += 1
    expect(budget.isExpired()).toBe(true)
    expect(budget.signal.aborted).toBe(true)
    expect(budget.signal.reason).toBeInstanceOf(TimeBudgetExpiredError)
    expect(() => budget.throwIfExpired()).toThrow('not reviewed: the time budget of 2 minutes ran out')
  })

  it('aborts at the deadline through its timer, even when nobody looks at the clock', () => {
    const time = manualTime()
    const budget = startTimeBudget({ minutes: 3, now: time.now, schedule: time.schedule })
    expect(time.state.timers.map((timer) => timer.delayMs)).toEqual([3 * MS_PER_MINUTE])
    time.state.timers[0]?.callback()
    expect(budget.signal.aborted).toBe(true)
    expect(budget.isExpired()).toBe(true)
  })

  it('cancels its timer on stop', () => {
    const time = manualTime()
    const budget = startTimeBudget({ minutes: 1, now: time.now, schedule: time.schedule })
    budget.stop()
    expect(time.state.timers[0]?.cancelled).toBe(true)
  })

  it('never expires and sets no timer with 0 minutes', () => {
    const time = manualTime()
    const budget = startTimeBudget({ minutes: 0, now: time.now, schedule: time.schedule })
    time.state.now += 1000 * MS_PER_MINUTE
    expect(budget.isExpired()).toBe(false)
    expect(budget.signal.aborted).toBe(false)
    expect(time.state.timers).toHaveLength(0)
  })
})

describe('createAbortableSleep', () => {
  it('waits for the underlying sleep while the signal is live', async () => {
    const waits: number[] = []
    const controller = new AbortController()
    const sleep = createAbortableSleep(async (ms) => void waits.push(ms), controller.signal)
    await sleep(250)
    expect(waits).toEqual([250])
  })

  it('ends a pending wait when the signal aborts, and skips waits after it', async () => {
    const controller = new AbortController()
    const never = (): Promise<void> => new Promise<void>(() => undefined)
    const calls: number[] = []
    const sleep = createAbortableSleep(async (ms) => {
      calls.push(ms)
      return never()
    }, controller.signal)
    const pending = sleep(60_000)
    controller.abort(new Error('deadline'))
    await expect(pending).resolves.toBeUndefined()
    await sleep(5)
    expect(calls).toEqual([60_000])
  })

  it('clears its own timer on abort when no sleep is injected', async () => {
    const controller = new AbortController()
    const sleep = createAbortableSleep(undefined, controller.signal)
    const pending = sleep(600_000)
    controller.abort()
    // Resolving at all proves the wait ended early; jest would report the open 10-minute timer otherwise.
    await expect(pending).resolves.toBeUndefined()
  })
})
