import { ModelError } from '../../src/errors.js'
import { reviewChunk, type ReviewChunkOptions } from '../../src/model/review-chunk.js'
import type { ModelTransport } from '../../src/model/responses-client.js'
import type { Chunk, ChunkOutcome } from '../../src/types.js'
import {
  aimlApiError,
  completedResponse,
  createDefaultHandler,
  failedResponse,
  findingsResponse,
  incompleteResponse,
  openAiError,
  refusalResponse,
  type ScriptedReply
} from '../../__fixtures__/servers/responses-server.js'
import { useLoopbackModel } from '../../__fixtures__/servers/loopback-model.js'

const API_KEY = 'sk-aiml-REVIEW-fedcba9876543210'
const CHUNK: Chunk = { id: 4, pieces: [], text: 'src/a.ts\n 12 + if (i <= n) {', tokens: 12, changedLines: 1 }
const FINDING = {
  path: 'src/a.ts',
  line: 12,
  start_line: null,
  severity: 'medium',
  category: 'bug',
  title: 'Off by one',
  body: 'Use `<`.',
  replacement: '  if (i < n) {'
}
const USAGE = { input_tokens: 1000, cached_tokens: 100, output_tokens: 500, reasoning_tokens: 400 }
const good = (): ScriptedReply => ({
  headers: { 'x-aimlapi-usd-spent': '0.002' },
  body: findingsResponse({ overview: 'Changes a bound.', findings: [FINDING] }, USAGE)
})

const loopback = useLoopbackModel()

const transport = (): ModelTransport => ({
  baseUrl: loopback.server.baseUrl,
  apiKey: API_KEY,
  dispatcher: loopback.agent,
  sleep: async () => undefined,
  random: () => 0,
  maxRetries: 2
})

const options = (overrides: Partial<ReviewChunkOptions> = {}): ReviewChunkOptions => ({
  transport: transport(),
  chunk: CHUNK,
  request: {
    model: 'openai/gpt-5-1-codex-mini',
    reasoningEffort: 'medium',
    maxOutputTokens: 8000,
    pullRequest: { title: 'Fix bound', body: '' }
  },
  ...overrides
})

const script = (...replies: ScriptedReply[]): void =>
  loopback.server.setHandler((_request, index) => replies[Math.min(index, replies.length - 1)] as ScriptedReply)

const sentBudgets = (): unknown[] =>
  loopback.server.requests.map((request) => (request.body as { max_output_tokens: unknown }).max_output_tokens)

function expectFailure(outcome: ChunkOutcome): Extract<ChunkOutcome, { ok: false }> {
  if (outcome.ok) throw new Error('expected a failed outcome')
  expect(outcome.error).not.toContain(API_KEY)
  return outcome
}

describe('reviewChunk', () => {
  it('returns validated findings, usage, model and billed dollars; the request passes API validation', async () => {
    const validating = createDefaultHandler({ apiKey: API_KEY })
    loopback.server.setHandler(async (request, index) => {
      const verdict = await validating(request, index)
      return verdict.status === undefined ? good() : verdict
    })
    const outcome = await reviewChunk(options())
    if (!outcome.ok) throw new Error(outcome.error)
    expect(outcome.chunk).toBe(CHUNK)
    expect(outcome.review).toEqual({
      overview: 'Changes a bound.',
      findings: [
        {
          path: 'src/a.ts',
          line: 12,
          startLine: null,
          severity: 'medium',
          category: 'bug',
          title: 'Off by one',
          body: 'Use `<`.',
          replacement: '  if (i < n) {',
          chunkId: 4
        }
      ],
      usage: { inputTokens: 1000, cachedInputTokens: 100, outputTokens: 500, reasoningTokens: 400 },
      model: 'openai/gpt-5-1-codex-mini',
      billedUsd: 0.002,
      attempts: 1
    })
    expect(loopback.server.requests[0]?.headers['x-client-request-id']).toBe('codex-pr-review-chunk-4')
  })

  it('retries once with double the budget after running out of output tokens, summing usage', async () => {
    script({ body: incompleteResponse({ usage: USAGE }) }, good())
    const outcome = await reviewChunk(options())
    if (!outcome.ok) throw new Error(outcome.error)
    expect(sentBudgets()).toEqual([8000, 16000])
    expect(outcome.review.usage).toEqual({
      inputTokens: 2000,
      cachedInputTokens: 200,
      outputTokens: 1000,
      reasoningTokens: 800
    })
    expect(outcome.review.attempts).toBe(2)
  })

  it('fails when the doubled budget runs out too, naming the inputs to change', async () => {
    script({ body: incompleteResponse({ usage: USAGE }) })
    const outcome = expectFailure(await reviewChunk(options()))
    expect(sentBudgets()).toEqual([8000, 16000])
    expect(outcome.error).toMatch(/ran out of output tokens \(max_output_tokens 16000/)
    expect(outcome.error).toContain('`max-output-tokens`')
    expect(outcome.error).toContain('`max-chunk-tokens`')
    expect(outcome.usage.outputTokens).toBe(1000)
    expect(outcome.attempts).toBe(2)
  })

  it('caps the doubled budget at the ceiling, and does not retry at the ceiling', async () => {
    script({ body: incompleteResponse() })
    const base = options()
    await reviewChunk({ ...base, request: { ...base.request, maxOutputTokens: 100_000 } })
    expect(sentBudgets()).toEqual([100_000, 128_000])
    loopback.server.requests.length = 0
    await reviewChunk({ ...base, maxOutputTokensCeiling: 8000 })
    expect(sentBudgets()).toEqual([8000])
  })

  it('fails a content-filtered answer without retrying', async () => {
    script({ body: incompleteResponse({ reason: 'content_filter', text: '{"overview":' }) })
    expect(expectFailure(await reviewChunk(options())).error).toContain('content_filter')
    expect(loopback.server.requests).toHaveLength(1)
  })

  it('retries a malformed answer once', async () => {
    script({ body: completedResponse({ text: 'Looks good to me!' }) }, good())
    const outcome = await reviewChunk(options())
    expect(outcome.ok).toBe(true)
    expect(loopback.server.requests).toHaveLength(2)
  })

  it('accepts a fenced answer after a schema-invalid one', async () => {
    const fenced = '```json\n' + JSON.stringify({ overview: 'o', findings: [] }) + '\n```'
    script(
      { body: findingsResponse({ overview: 'o', findings: [{ ...FINDING, severity: 'blocker' }] }) },
      { body: completedResponse({ text: fenced }) }
    )
    const outcome = await reviewChunk(options())
    expect(outcome.ok && outcome.review.overview).toBe('o')
  })

  it('fails after a second malformed answer, with usage from both', async () => {
    script({ body: completedResponse({ text: '{"overview": "o"}', usage: USAGE }) })
    const outcome = expectFailure(await reviewChunk(options()))
    expect(outcome.error).toMatch(/invalid twice: .*required property 'findings'/)
    expect(loopback.server.requests).toHaveLength(2)
    expect(outcome.usage.inputTokens).toBe(2000)
  })

  it('fails a refusal without retrying', async () => {
    script({ body: refusalResponse('I cannot review this.') })
    expect(expectFailure(await reviewChunk(options())).error).toBe('model refused: I cannot review this.')
    expect(loopback.server.requests).toHaveLength(1)
  })

  it('fails a response with status failed, with its error message', async () => {
    script({ body: failedResponse('The model failed to generate a response.') })
    expect(expectFailure(await reviewChunk(options())).error).toContain('The model failed to generate a response.')
  })

  it('fails with the provider message once HTTP retries are exhausted', async () => {
    script(aimlApiError(503, 'Generation timeout'))
    const outcome = expectFailure(await reviewChunk(options()))
    expect(outcome.error).toContain('HTTP 503: Generation timeout')
    expect(outcome.attempts).toBe(3)
    expect(outcome.usage.inputTokens).toBe(0)
  })

  it('fails a chunk the provider rejects with 400, without stopping the run', async () => {
    script(openAiError(400, 'Input too long for context window', 'context_length_exceeded'))
    expect(expectFailure(await reviewChunk(options())).error).toContain('Input too long for context window')
  })

  it.each([
    [401, `Invalid key ${API_KEY}`],
    [403, "You've run out of credits."]
  ])('rethrows HTTP %i, which would fail every chunk', async (status, message) => {
    script(aimlApiError(status, message))
    const error: unknown = await reviewChunk(options()).catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(ModelError)
    expect((error as ModelError).options.status).toBe(status)
    expect((error as ModelError).message).not.toContain(API_KEY)
    expect(loopback.server.requests).toHaveLength(1)
  })
})
