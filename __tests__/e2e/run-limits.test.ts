/**
 * `time-budget-minutes` and `tokens-per-minute` end to end, through `run()` with a clock the test moves:
 * no test waits a real minute.
 */
import { readSentDiff, scriptFindings } from '../../__fixtures__/model/scripted-reviewer.js'
import { FAST_RUN, makePull, newFilesDiff, startScenario, type Scenario } from '../../__fixtures__/e2e/scenario.js'
import {
  findingsResponse,
  openAiError,
  type RecordedRequest,
  type ScriptedReply
} from '../../__fixtures__/servers/responses-server.js'

const PULL = makePull(newFilesDiff({ files: 5, lines: 10 }))
const ONE_CHUNK_PER_FILE = { 'max-chunk-tokens': '400' }
const MINUTE = 60_000

describe('run limits, end to end', () => {
  let scenario: Scenario
  afterEach(async () => scenario?.close())

  it('after the time budget, reports the chunks not yet reviewed and still posts the rest', async () => {
    const clock = { now: 0 }
    scenario = await startScenario({
      pull: PULL,
      handler: (request) => {
        // The first review takes longer than the whole budget.
        clock.now += 2 * MINUTE
        return { body: findingsResponse(scriptFindings(request)) }
      }
    })
    const step = await scenario.run({
      inputs: { ...ONE_CHUNK_PER_FILE, 'max-concurrency': '1', 'time-budget-minutes': '1' },
      run: { ...FAST_RUN, clock: { now: () => clock.now } }
    })

    expect(step.exitCode).toBeUndefined()
    expect(scenario.model.requests).toHaveLength(1)
    expect(scenario.github.reviews[0]?.comments.map((comment) => comment.path)).toEqual(['src/mod0.ts'])
    const summary = scenario.summary()
    expect(summary).toContain('Chunks that failed (4 of 5)')
    for (const path of ['src/mod1.ts', 'src/mod2.ts', 'src/mod3.ts', 'src/mod4.ts']) {
      expect(summary).toMatch(
        new RegExp(`${path.replace('.', '\\.')}[^\\n]*not reviewed: the time budget of 1 minute ran out`)
      )
    }
    expect(scenario.workspace.outputs()['chunks-failed']).toBe('4')
    expect(step.log).toMatch(/::warning::The time budget of 1 minute\(s\) ran out: 4 of 5 chunk\(s\) not reviewed/)
  })

  it('fails the step after posting when the budget cut the review short and fail-on-error is set', async () => {
    const clock = { now: 0 }
    scenario = await startScenario({
      pull: PULL,
      handler: (request) => {
        clock.now += 2 * MINUTE
        return { body: findingsResponse(scriptFindings(request)) }
      }
    })
    const step = await scenario.run({
      inputs: { ...ONE_CHUNK_PER_FILE, 'max-concurrency': '1', 'time-budget-minutes': '1', 'fail-on-error': 'true' },
      run: { ...FAST_RUN, clock: { now: () => clock.now } }
    })
    expect(scenario.github.reviews).toHaveLength(1)
    expect(scenario.summary()).toContain('Chunks that failed (4 of 5)')
    expect(step.exitCode).toBe(1)
  })

  it('keeps requests under tokens-per-minute, so a provider that enforces it never answers 429', async () => {
    const clock = { now: 0 }
    const arrivals: number[] = []
    let rejected = 0
    // A provider whose per-minute token limit this account's requests fill one at a time.
    const provider = (request: RecordedRequest): ScriptedReply => {
      const last = arrivals[arrivals.length - 1]
      if (last !== undefined && clock.now - last < MINUTE) {
        rejected += 1
        return {
          ...openAiError(429, 'Rate limit reached on tokens per min (TPM).', 'rate_limit_exceeded'),
          headers: { 'retry-after': '60' }
        }
      }
      arrivals.push(clock.now)
      return { body: findingsResponse(scriptFindings(request)) }
    }
    scenario = await startScenario({ pull: PULL, handler: provider })
    const waits: number[] = []
    const step = await scenario.run({
      inputs: { ...ONE_CHUNK_PER_FILE, 'max-concurrency': '1', 'tokens-per-minute': '1000' },
      run: {
        ...FAST_RUN,
        clock: {
          now: () => clock.now,
          sleep: async (ms) => {
            waits.push(ms)
            clock.now += ms
          }
        }
      }
    })

    expect(step.exitCode).toBeUndefined()
    expect(rejected).toBe(0)
    expect(arrivals).toEqual([0, MINUTE, 2 * MINUTE, 3 * MINUTE, 4 * MINUTE])
    expect(waits).toEqual([MINUTE, MINUTE, MINUTE, MINUTE])
    expect(scenario.workspace.outputs()['chunks-failed']).toBe('0')
    expect(new Set(scenario.model.requests.map((request) => readSentDiff(request)[0]?.path)).size).toBe(5)
  })
})
