/**
 * Each model of the family through the endpoint that serves it, against the loopback server that
 * validates bodies like the AI/ML API: the right path, a body it accepts, the same reading either way.
 */
import { planModels } from '../../src/model/model-plan.js'
import type { ModelTransport } from '../../src/model/responses-client.js'
import { reviewChunk } from '../../src/model/review-chunk.js'
import type { Chunk } from '../../src/types.js'
import {
  CHAT_COMPLETIONS_PATH,
  chatCompletionResponse,
  findChatBodyProblem
} from '../../__fixtures__/servers/chat-completions-shapes.js'
import {
  aimlApiError,
  answerWith,
  createDefaultHandler,
  findBodyProblem
} from '../../__fixtures__/servers/responses-server.js'
import { useLoopbackModel } from '../../__fixtures__/servers/loopback-model.js'

const CHUNK: Chunk = {
  id: 3,
  pieces: [],
  text: '<file path="src/a.ts">\n 12 + if (i <= n) {',
  tokens: 12,
  changedLines: 1
}
const FINDING = {
  path: 'src/a.ts',
  line: 12,
  start_line: null,
  severity: 'medium',
  category: 'bug',
  title: 'Off by one',
  body: 'Use `<`.',
  replacement: null
}
const REQUEST = { reasoningEffort: 'medium' as const, maxOutputTokens: 8_000, pullRequest: { title: 'T', body: 'B' } }

const loopback = useLoopbackModel()
beforeEach(() => {
  loopback.server.setHandler(createDefaultHandler())
})

const transport = (): ModelTransport => ({
  baseUrl: loopback.server.baseUrl,
  apiKey: 'sk-test',
  dispatcher: loopback.agent,
  sleep: async () => undefined,
  random: () => 0,
  maxRetries: 1
})

function review(model: string, api: 'auto' | 'responses' | 'chat-completions' = 'auto') {
  const plan = planModels({
    model,
    escalationModel: model,
    api,
    reasoningEffort: 'medium',
    maxChunkTokens: 12_000,
    maxOutputTokens: 8_000,
    escalatePaths: [],
    verifySeverity: 'off'
  })
  return reviewChunk({
    transport: transport(),
    chunk: CHUNK,
    request: { ...REQUEST, model },
    endpoint: plan.primary.endpoint,
    maxOutputTokensCeiling: plan.primary.outputCeiling
  })
}

describe('each model goes to the endpoint that serves it, with a body that endpoint accepts', () => {
  it.each([
    ['openai/gpt-5-1-codex-mini', '/v1/responses'],
    ['openai/gpt-5-1-codex', '/v1/responses'],
    ['openai/gpt-5-mini-2025-08-07', '/v1/responses'],
    ['openai/gpt-5-1', '/v1/chat/completions']
  ])('%s → %s', async (model, path) => {
    const outcome = await review(model)
    expect(outcome.ok).toBe(true)
    expect(loopback.server.requests.map((request) => request.path)).toEqual([path])
    const body = loopback.server.requests[0]!.body as Record<string, unknown>
    expect(body.model).toBe(model)
    expect(body).not.toHaveProperty('temperature')
    if (path === CHAT_COMPLETIONS_PATH) {
      expect(findChatBodyProblem(body)).toBeUndefined()
      expect(body).toMatchObject({
        max_completion_tokens: 8_000,
        reasoning_effort: 'medium',
        response_format: { type: 'json_schema', json_schema: { strict: true } }
      })
      expect(body).not.toHaveProperty('max_output_tokens')
      expect(body).not.toHaveProperty('max_tokens')
    } else {
      expect(findBodyProblem(body)).toBeUndefined()
      expect(body).toMatchObject({ max_output_tokens: 8_000, reasoning: { effort: 'medium' }, store: false })
      expect(body).not.toHaveProperty('max_completion_tokens')
    }
  })

  it('takes gpt-5-mini through chat completions when api says so', async () => {
    const outcome = await review('openai/gpt-5-mini-2025-08-07', 'chat-completions')
    expect(outcome.ok).toBe(true)
    expect(loopback.server.requests.map((request) => request.path)).toEqual([CHAT_COMPLETIONS_PATH])
  })
})

describe('the chat-completions path behaves like the Responses path', () => {
  const answer = { overview: 'Changes a bound.', findings: [FINDING] }
  const usage = { input_tokens: 2000, cached_tokens: 1024, output_tokens: 600, reasoning_tokens: 500 }

  it('gives the same findings, overview and usage for the same answer', async () => {
    loopback.server.setHandler((request) => ({ body: answerWith(request, answer, usage) }))
    const chat = await review('openai/gpt-5-1')
    const responses = await review('openai/gpt-5-1', 'responses')
    expect(loopback.server.requests.map((request) => request.path)).toEqual([CHAT_COMPLETIONS_PATH, '/v1/responses'])
    if (!chat.ok || !responses.ok) throw new Error('both should succeed')
    expect(chat.review).toEqual(responses.review)
    expect(chat.review.usage).toEqual({
      inputTokens: 2000,
      cachedInputTokens: 1024,
      outputTokens: 600,
      reasoningTokens: 500
    })
  })

  it('retries a cut-off answer (finish_reason length) once with double max_completion_tokens', async () => {
    loopback.server.setHandler((request, index) => ({
      body:
        index === 0
          ? chatCompletionResponse({ text: '{"overview":', finishReason: 'length' })
          : answerWith(request, answer)
    }))
    const outcome = await review('openai/gpt-5-1')
    expect(outcome.ok).toBe(true)
    expect(
      loopback.server.requests.map(
        (request) => (request.body as { max_completion_tokens: number }).max_completion_tokens
      )
    ).toEqual([8_000, 16_000])
  })

  it('validates the chat answer with the same schema and retries an invalid one once', async () => {
    loopback.server.setHandler((request) => ({
      body: answerWith(request, { overview: 'x', findings: [{ path: 'a' }] })
    }))
    const outcome = await review('openai/gpt-5-1')
    expect(outcome).toMatchObject({ ok: false, model: 'openai/gpt-5-1', attempts: 2 })
    if (outcome.ok) return
    expect(outcome.error).toMatch(/invalid twice: findings do not match the schema/)
  })

  it('reports a refusal from chat completions as a failed chunk', async () => {
    loopback.server.setHandler(() => ({ body: chatCompletionResponse({ text: null, refusal: 'No.' }) }))
    expect(await review('openai/gpt-5-1')).toMatchObject({ ok: false, error: 'model refused: No.' })
  })

  it('retries a 503 from chat completions with the same machinery, and keeps the dollars billed for failed attempts', async () => {
    loopback.server.setHandler(() => ({
      ...aimlApiError(503, 'Service Unavailable', CHAT_COMPLETIONS_PATH),
      headers: { 'x-aimlapi-usd-spent': '0.0015' }
    }))
    const outcome = await review('openai/gpt-5-1')
    expect(loopback.server.requests).toHaveLength(2)
    expect(outcome).toMatchObject({ ok: false, attempts: 2, billedUsd: 0.003, model: 'openai/gpt-5-1' })
  })
})
