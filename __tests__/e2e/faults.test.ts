/**
 * Fault injection end to end: `run()` reviews a five-chunk pull request while the loopback model server
 * rate-limits, fails, hangs, drops sockets, cuts answers off and answers garbage. Transient faults must
 * cost retries, not findings; a chunk that never succeeds is named in the summary and everything else is
 * still posted; `fail-on-error` decides whether that fails the step.
 */
import { readSentDiff, scriptFindings } from '../../__fixtures__/model/scripted-reviewer.js'
import { FAST_RUN, makePull, newFilesDiff, startScenario, type Scenario } from '../../__fixtures__/e2e/scenario.js'
import {
  aimlApiError,
  completedResponse,
  findingsResponse,
  incompleteResponse,
  openAiError,
  refusalResponse,
  type RecordedRequest,
  type ScriptedReply
} from '../../__fixtures__/servers/responses-server.js'

const FILES = ['src/mod0.ts', 'src/mod1.ts', 'src/mod2.ts', 'src/mod3.ts', 'src/mod4.ts']
/** Ten lines per file at 400 tokens per chunk: one chunk per file. */
const PULL = makePull(newFilesDiff({ files: FILES.length, lines: 10 }))
const SMALL_CHUNKS = { 'max-chunk-tokens': '400', 'max-concurrency': '3' }
/** Short enough that a hanging request costs a quarter of a second, not ten minutes. */
const SHORT_TIMEOUTS = { connectMs: 1_000, headersMs: 250, bodyMs: 250 }

type Fault = (request: RecordedRequest) => ScriptedReply

const answer: Fault = (request) => ({ body: findingsResponse(scriptFindings(request)) })
const rateLimited: Fault = () => ({
  ...openAiError(
    429,
    'Rate limit reached for gpt-5.1-codex-mini on tokens per min (TPM).',
    'rate_limit_exceeded',
    'tokens'
  ),
  headers: { 'retry-after': '2' }
})
const serverError: Fault = () => aimlApiError(500, 'Internal server error')
const overloaded: Fault = () => openAiError(503, 'The server is overloaded or not ready yet.', null, 'server_error')
const hang: Fault = () => ({ hang: true })
const dropSocket: Fault = () => ({ destroySocket: true })
const malformed: Fault = () => ({
  body: completedResponse({ text: 'Sure! Here are my findings: the code looks fine.' })
})
const cutOff: Fault = () => ({ body: incompleteResponse() })
const refusal: Fault = () => ({ body: refusalResponse("I'm sorry, but I can't help with that.") })

/** Answers each chunk (known by the first file it carries) with its script of faults, then `answer`. */
function scriptPerChunk(
  scripts: Readonly<Record<string, readonly Fault[]>>,
  always: Readonly<Record<string, Fault>> = {}
) {
  const attempts = new Map<string, number>()
  return (request: RecordedRequest): ScriptedReply => {
    const path = readSentDiff(request)[0]?.path ?? ''
    const attempt = attempts.get(path) ?? 0
    attempts.set(path, attempt + 1)
    const fixed = always[path]
    if (fixed !== undefined) return fixed(request)
    return (scripts[path]?.[attempt] ?? answer)(request)
  }
}

function requestsFor(scenario: Scenario, path: string): RecordedRequest[] {
  return scenario.model.requests.filter((request) => readSentDiff(request)[0]?.path === path)
}

describe('model faults, end to end', () => {
  let scenario: Scenario
  afterEach(async () => scenario?.close())

  it('reviews every chunk through 429s with Retry-After, 5xx, a hang, a dropped socket, a cut-off and a malformed answer', async () => {
    scenario = await startScenario({
      pull: PULL,
      handler: scriptPerChunk({
        'src/mod0.ts': [rateLimited, rateLimited],
        'src/mod1.ts': [serverError, overloaded, dropSocket],
        'src/mod2.ts': [hang],
        'src/mod3.ts': [malformed],
        'src/mod4.ts': [cutOff]
      })
    })
    const waits: number[] = []
    const step = await scenario.run({
      inputs: { ...SMALL_CHUNKS, 'max-output-tokens': '8000' },
      run: {
        ...FAST_RUN,
        modelTransport: { sleep: async (ms) => void waits.push(ms), timeouts: SHORT_TIMEOUTS, random: () => 0.5 }
      }
    })

    expect(step.exitCode).toBeUndefined()
    const outputs = scenario.workspace.outputs()
    expect(outputs.chunks).toBe('5')
    expect(outputs['chunks-failed']).toBe('0')
    // Every chunk's finding was posted inline: nothing was lost to the faults.
    const review = scenario.github.reviews[0]
    expect(scenario.github.reviews).toHaveLength(1)
    expect(new Set(review?.comments.map((comment) => comment.path))).toEqual(new Set(FILES))
    expect(scenario.summary()).not.toContain('Chunks that failed')

    // Retry-After was honoured (2 s, twice); the other retries backed off for other (jittered) waits.
    expect(waits.filter((ms) => ms === 2_000)).toHaveLength(2)
    expect(requestsFor(scenario, 'src/mod0.ts')).toHaveLength(3)
    expect(requestsFor(scenario, 'src/mod1.ts')).toHaveLength(4)
    expect(requestsFor(scenario, 'src/mod2.ts')).toHaveLength(2)
    // The malformed answer was asked for once more; the cut-off one again with twice the output budget.
    expect(requestsFor(scenario, 'src/mod3.ts')).toHaveLength(2)
    const budgets = requestsFor(scenario, 'src/mod4.ts').map(
      (request) => (request.body as { max_output_tokens: number }).max_output_tokens
    )
    expect(budgets).toEqual([8000, 16000])
  })

  it.each([
    ['false', undefined],
    ['true', 1]
  ])(
    'names chunks that never succeed in the summary and posts the rest (fail-on-error: %s)',
    async (failOnError, exitCode) => {
      scenario = await startScenario({
        pull: PULL,
        handler: scriptPerChunk(
          { 'src/mod0.ts': [rateLimited] },
          { 'src/mod2.ts': serverError, 'src/mod4.ts': refusal }
        )
      })
      const step = await scenario.run({
        inputs: { ...SMALL_CHUNKS, 'fail-on-error': failOnError },
        run: { ...FAST_RUN, modelTransport: { sleep: async () => undefined, maxRetries: 2, timeouts: SHORT_TIMEOUTS } }
      })

      // Posted first, whatever the step's result.
      const review = scenario.github.reviews[0]
      expect(scenario.github.reviews).toHaveLength(1)
      expect(new Set(review?.comments.map((comment) => comment.path))).toEqual(
        new Set(['src/mod0.ts', 'src/mod1.ts', 'src/mod3.ts'])
      )
      const summary = scenario.summary()
      expect(summary).toContain('Chunks that failed (2 of 5)')
      expect(summary).toMatch(/\| 3 \|[^\n]*src\/mod2\.ts[^\n]*HTTP 500: Internal server error[^\n]*after 3 attempts/)
      expect(summary).toMatch(/\| 5 \|[^\n]*src\/mod4\.ts[^\n]*model refused/)
      expect(scenario.workspace.outputs()['chunks-failed']).toBe('2')
      expect(requestsFor(scenario, 'src/mod2.ts')).toHaveLength(3)
      // A refusal is reported, not retried.
      expect(requestsFor(scenario, 'src/mod4.ts')).toHaveLength(1)

      expect(step.exitCode).toBe(exitCode)
      if (exitCode === undefined) {
        expect(step.log).toMatch(
          /::warning::Review incomplete: 2 of 5 chunk\(s\) could not be reviewed.*fail-on-error is off/
        )
      } else {
        expect(step.log).toMatch(/::error::Review incomplete: 2 of 5 chunk\(s\) could not be reviewed/)
      }
    }
  )

  it('never fails the step for findings alone, even with fail-on-error', async () => {
    scenario = await startScenario({ pull: PULL, handler: answer })
    const step = await scenario.run({ inputs: { ...SMALL_CHUNKS, 'fail-on-error': 'true' } })
    expect(scenario.github.reviews[0]?.comments.length).toBe(5)
    expect(step.exitCode).toBeUndefined()
    expect(step.log).not.toContain('::error::')
  })

  it('stops at once on a rejected key (401) and fails the step with the provider message', async () => {
    scenario = await startScenario({
      pull: PULL,
      handler: () => aimlApiError(401, 'This request requires a valid API key. Provide it in the Authorization header.')
    })
    const step = await scenario.run({ inputs: SMALL_CHUNKS })
    expect(step.exitCode).toBe(1)
    expect(step.log).toMatch(
      /::error::Model API returned HTTP 401: This request requires a valid API key\..*Check the `api-key` input/
    )
    // Failing fast: no retries of a 401, and no chunk waits for the others.
    expect(scenario.model.requests.length).toBeLessThanOrEqual(3)
    expect(scenario.github.reviews).toHaveLength(0)
  })
})
