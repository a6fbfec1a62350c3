import { countTokens } from '../../src/chunk/tokens.js'
import {
  computeWaitMs,
  createTokenRateLimiter,
  estimateRequestTokens,
  RATE_WINDOW_MS
} from '../../src/engine/token-rate-limiter.js'

describe('computeWaitMs', () => {
  const T = 1_000_000
  it.each([
    ['an empty window', [], 500, 1000, 0],
    ['a request that fits', [{ at: T - 10_000, tokens: 400 }], 600, 1000, 0],
    ['a request over the limit on an empty window (it goes alone)', [], 5000, 1000, 0],
    ['entries that already left the window', [{ at: T - RATE_WINDOW_MS, tokens: 1000 }], 1000, 1000, 0],
    [
      'a full window: until the oldest entry leaves',
      [
        { at: T - 50_000, tokens: 600 },
        { at: T - 5_000, tokens: 300 }
      ],
      500,
      1000,
      10_000
    ],
    [
      'until enough entries leave',
      [
        { at: T - 50_000, tokens: 300 },
        { at: T - 20_000, tokens: 600 }
      ],
      900,
      1000,
      40_000
    ],
    [
      'a request over the limit: until the window is empty',
      [
        { at: T - 30_000, tokens: 10 },
        { at: T - 1_000, tokens: 10 }
      ],
      5000,
      1000,
      59_000
    ]
  ])('%s', (_name, entries, tokens, limit, wait) => {
    expect(computeWaitMs({ entries, tokens, limit, now: T })).toBe(wait)
  })
})

describe('estimateRequestTokens', () => {
  it('charges instructions, input and the whole output budget', () => {
    const request = {
      instructions: 'Review the diff.',
      input: '<diff>\n 1 + const a = 1\n</diff>',
      max_output_tokens: 16_000
    }
    expect(estimateRequestTokens(request)).toBe(countTokens(request.instructions) + countTokens(request.input) + 16_000)
  })
})

/** A clock that only moves when the limiter sleeps. */
function fakeTime() {
  const state = { now: 0, sleeps: [] as number[] }
  return {
    state,
    now: () => state.now,
    sleep: async (ms: number) => {
      state.sleeps.push(ms)
      state.now += ms
    }
  }
}

describe('createTokenRateLimiter', () => {
  it('lets requests through while they fit and makes the next one wait for the window to free up', async () => {
    const time = fakeTime()
    const limiter = createTokenRateLimiter({ tokensPerMinute: 1000, now: time.now, sleep: time.sleep })
    expect(await limiter.acquire(400)).toBe(0)
    time.state.now += 1_000
    expect(await limiter.acquire(500)).toBe(0)
    expect(await limiter.acquire(300)).toBe(59_000)
    expect(time.state.sleeps).toEqual([59_000])
    expect(time.state.now).toBe(60_000)
  })

  it('serves waiting requests in the order they asked', async () => {
    const time = fakeTime()
    const limiter = createTokenRateLimiter({ tokensPerMinute: 1000, now: time.now, sleep: time.sleep })
    const order: string[] = []
    await Promise.all(
      ['a', 'b', 'c', 'd'].map((name) => limiter.acquire(600).then(() => order.push(`${name}@${time.state.now}`)))
    )
    expect(order).toEqual(['a@0', 'b@60000', 'c@120000', 'd@180000'])
  })

  it('sends a request larger than the whole limit alone instead of deadlocking', async () => {
    const time = fakeTime()
    const limiter = createTokenRateLimiter({ tokensPerMinute: 1000, now: time.now, sleep: time.sleep })
    await limiter.acquire(100)
    time.state.now += 10_000
    await limiter.acquire(50_000)
    expect(time.state.now).toBe(60_000)
    // It filled the window on its own: the next request waits a full minute after it.
    await limiter.acquire(10)
    expect(time.state.now).toBe(120_000)
  })

  it('stops waiting, charging nothing, when the signal aborts', async () => {
    const time = fakeTime()
    const controller = new AbortController()
    const limiter = createTokenRateLimiter({
      tokensPerMinute: 1000,
      now: time.now,
      sleep: async () => controller.abort(new Error('time budget spent'))
    })
    await limiter.acquire(1000)
    await expect(limiter.acquire(10, { signal: controller.signal })).rejects.toThrow('time budget spent')
    // The aborted request charged nothing, and the queue keeps working for others.
    time.state.now = RATE_WINDOW_MS
    await expect(limiter.acquire(1000)).resolves.toBe(0)
  })
})
