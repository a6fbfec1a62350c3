/**
 * The time budget and the token-rate limiter around the real chunk loop and model client, against the
 * loopback Responses server. Time is moved by hand: no test waits for a real deadline.
 */
import type { Dispatcher } from 'undici'
import { buildResponsesRequest } from '../../src/model/build-request.js'
import type { ModelTransport } from '../../src/model/responses-client.js'
import type { Logger } from '../../src/engine/logger.js'
import { reviewAllChunks } from '../../src/engine/review-chunks.js'
import { createReviewLimits, type ReviewClock } from '../../src/engine/review-limits.js'
import { MS_PER_MINUTE } from '../../src/engine/time-budget.js'
import { estimateRequestTokens } from '../../src/engine/token-rate-limiter.js'
import type { Chunk } from '../../src/types.js'
import { findingsResponse, openAiError, type ResponsesHandler } from '../../__fixtures__/servers/responses-server.js'
import { useLoopbackModel } from '../../__fixtures__/servers/loopback-model.js'

const chunkOf = (id: number): Chunk => ({
  id,
  pieces: [],
  text: `<file path="src/f${id}.ts">\n@@ -1,1 +1,1 @@\n     1 + const f${id} = ${id}\n</file>\n`,
  tokens: 20,
  changedLines: 1
})
const CHUNKS = [1, 2, 3].map(chunkOf)
const REQUEST = { model: 'openai/gpt-5-1-codex-mini', reasoningEffort: 'low', maxOutputTokens: 1024 } as const
const PULL = { title: 'A change', body: '' }
const ok = () => ({ body: findingsResponse({ overview: 'Fine.', findings: [] }) })

const loopback = useLoopbackModel()

function recordingLogger() {
  const lines: string[] = []
  const logger: Logger = {
    info: (m) => void lines.push(`info ${m}`),
    notice: (m) => void lines.push(`notice ${m}`),
    warning: (m) => void lines.push(`warning ${m}`),
    debug: (m) => void lines.push(`debug ${m}`),
    group: async (_n, work) => work()
  }
  return { lines, logger }
}

/** A clock moved by hand, a deadline timer the test fires, and sleeps that move the clock. */
function manualClock() {
  const state = { now: 0, fire: (): void => undefined, sleeps: [] as number[] }
  const clock: Required<ReviewClock> = {
    now: () => state.now,
    schedule: (callback) => {
      state.fire = callback
      return () => undefined
    },
    sleep: async (ms) => {
      state.sleeps.push(ms)
      // Let every request already let through reach the network first (microtasks), then move the clock.
      await new Promise((resolve) => setImmediate(resolve))
      state.now += ms
    }
  }
  return { state, clock }
}

function transport(extra: Partial<ModelTransport> = {}): ModelTransport {
  return {
    baseUrl: loopback.server.baseUrl,
    apiKey: 'sk-test-limits',
    dispatcher: loopback.agent,
    random: () => 0,
    maxRetries: 2,
    ...extra
  }
}

/** A dispatcher that notes the clock the moment each request is handed to the network. */
function timingDispatcher(now: () => number, sentAt: number[]): Dispatcher {
  return loopback.agent.compose((dispatch) => (options, handler) => {
    sentAt.push(now())
    return dispatch(options, handler)
  })
}

async function reviewWith(options: {
  readonly handler: ResponsesHandler
  readonly minutes?: number
  readonly tokensPerMinute?: number
  readonly clock: ReviewClock
  readonly concurrency?: number
  readonly transport?: Partial<ModelTransport>
}) {
  loopback.server.setHandler(options.handler)
  const { lines, logger } = recordingLogger()
  const limits = createReviewLimits({
    timeBudgetMinutes: options.minutes ?? 0,
    tokensPerMinute: options.tokensPerMinute ?? 0,
    clock: options.clock
  })
  const outcomes = await reviewAllChunks({
    chunks: CHUNKS,
    transport: transport({ sleep: async () => undefined, ...options.transport }),
    ...REQUEST,
    concurrency: options.concurrency ?? 1,
    pullRequest: PULL,
    logger,
    limits
  })
  limits.stop()
  return { outcomes, lines }
}

describe('the time budget in the chunk loop', () => {
  it('does not send chunks once the budget ran out and reports each as not reviewed', async () => {
    const { state, clock } = manualClock()
    const { outcomes, lines } = await reviewWith({
      minutes: 5,
      clock,
      handler: () => {
        state.now += 6 * MS_PER_MINUTE
        return ok()
      }
    })
    expect(loopback.server.requests).toHaveLength(1)
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, false])
    for (const outcome of outcomes.slice(1)) {
      expect(outcome).toMatchObject({
        ok: false,
        error: 'not reviewed: the time budget of 5 minutes ran out',
        attempts: 0
      })
    }
    expect(lines.filter((line) => line.includes('time budget of 5 minute(s) ran out: 2 of 3 chunk(s)'))).toHaveLength(1)
  })

  it('cancels the request in flight at the deadline and does not retry it', async () => {
    const { state, clock } = manualClock()
    const { outcomes } = await reviewWith({
      minutes: 1,
      clock,
      handler: () => {
        setImmediate(() => state.fire())
        return { hang: true }
      }
    })
    expect(loopback.server.requests).toHaveLength(1)
    expect(outcomes[0]).toMatchObject({
      ok: false,
      error: 'not reviewed: the time budget of 1 minute ran out while it was being reviewed; its request was cancelled'
    })
    expect(outcomes.slice(1).map((o) => (o.ok ? 'ok' : o.error))).toEqual([
      'not reviewed: the time budget of 1 minute ran out',
      'not reviewed: the time budget of 1 minute ran out'
    ])
  })

  it('ends a retry wait at the deadline instead of sleeping past it', async () => {
    const { state, clock } = manualClock()
    const { outcomes } = await reviewWith({
      minutes: 10,
      clock,
      // The client's own retry sleep never ends by itself: only the deadline can end it.
      transport: {
        sleep: () => {
          state.fire()
          return new Promise<void>(() => undefined)
        }
      },
      handler: () => ({
        ...openAiError(429, 'Rate limit reached for requests', 'rate_limit_exceeded'),
        headers: { 'retry-after': '60' }
      })
    })
    expect(loopback.server.requests).toHaveLength(1)
    expect(outcomes[0]?.ok).toBe(false)
    expect(outcomes[0]?.ok === false && outcomes[0].error).toMatch(
      /^not reviewed: the time budget of 10 minutes ran out/
    )
  })

  it('changes nothing with a budget of 0', async () => {
    const { state, clock } = manualClock()
    const { outcomes } = await reviewWith({
      minutes: 0,
      clock,
      handler: () => {
        state.now += 1000 * MS_PER_MINUTE
        return ok()
      }
    })
    expect(outcomes.every((o) => o.ok)).toBe(true)
  })
})

describe('the token-rate limiter in the chunk loop', () => {
  const perRequest = estimateRequestTokens(buildResponsesRequest({ ...REQUEST, chunk: chunkOf(1), pullRequest: PULL }))

  it('holds back requests that would exceed the per-minute limit until the window frees up', async () => {
    const { state, clock } = manualClock()
    const sentAt: number[] = []
    const { outcomes, lines } = await reviewWith({
      tokensPerMinute: Math.floor(perRequest * 2.5),
      concurrency: 3,
      clock,
      transport: { dispatcher: timingDispatcher(clock.now, sentAt) },
      handler: ok
    })
    expect(outcomes.every((o) => o.ok)).toBe(true)
    expect(sentAt).toEqual([0, 0, 60_000])
    expect(state.sleeps).toEqual([60_000])
    expect(lines).toContainEqual(
      expect.stringMatching(/^info Token-rate limit of \d+ tokens\/minute: 1 request\(s\) waited 60\.0 s/)
    )
  })

  it('still sends requests that are each larger than the whole limit, one a minute', async () => {
    const { clock } = manualClock()
    const sentAt: number[] = []
    const { outcomes } = await reviewWith({
      tokensPerMinute: 100,
      concurrency: 2,
      clock,
      transport: { dispatcher: timingDispatcher(clock.now, sentAt) },
      handler: ok
    })
    expect(outcomes.every((o) => o.ok)).toBe(true)
    expect(sentAt).toEqual([0, 60_000, 120_000])
  })

  it('gives up waiting at the deadline: the chunk is reported as not reviewed', async () => {
    const { state, clock } = manualClock()
    const { outcomes } = await reviewWith({
      tokensPerMinute: 100,
      minutes: 1,
      concurrency: 1,
      clock: {
        ...clock,
        // Waiting for the window takes the run past its deadline.
        sleep: async (ms) => {
          state.now += ms
          state.fire()
        }
      },
      handler: () => ok()
    })
    expect(loopback.server.requests).toHaveLength(1)
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error))).toEqual([
      'ok',
      'not reviewed: the time budget of 1 minute ran out',
      'not reviewed: the time budget of 1 minute ran out'
    ])
  })
})
