import { request } from 'undici'
import { buildResponsesRequest } from '../../src/model/build-request.js'
import { readResponse } from '../../src/model/parse-response.js'
import { startResponsesServer, type ResponsesServer } from '../../__fixtures__/servers/responses-server.js'

/** The loopback server must answer like the real endpoint, or the adapter tests prove nothing. */
let server: ResponsesServer

beforeEach(async () => {
  server = await startResponsesServer()
})
afterEach(async () => {
  await server.close()
})

const validBody = buildResponsesRequest({
  model: 'openai/gpt-5-1-codex-mini',
  reasoningEffort: 'medium',
  maxOutputTokens: 1000,
  chunk: { id: 1, pieces: [], text: 'diff', tokens: 1, changedLines: 1 },
  pullRequest: { title: 't', body: 'b' }
})

async function post(
  body: unknown,
  headers: Record<string, string> = { authorization: 'Bearer k' },
  path = '/responses'
) {
  const response = await request(`${server.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body)
  })
  return { status: response.statusCode, json: (await response.body.json()) as Record<string, unknown> }
}

describe('startResponsesServer default handler', () => {
  it('serves under /v1 and answers a valid request with a completed, empty review', async () => {
    expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/)
    const { status, json } = await post(validBody)
    expect(status).toBe(200)
    const reading = readResponse(json)
    expect(reading.status).toBe('completed')
    expect(JSON.parse(reading.text)).toEqual({ overview: 'The change looks safe.', findings: [] })
    expect(json.output_text).toBe(reading.text)
    expect((json.output as { type: string }[]).map((item) => item.type)).toEqual(['reasoning', 'message'])
  })

  it('answers 401 in the AI/ML API shape without a bearer key', async () => {
    const { status, json } = await post(validBody, {})
    expect(status).toBe(401)
    expect(json).toMatchObject({
      statusCode: 401,
      path: '/v1/responses',
      message: expect.stringContaining('valid API key')
    })
  })

  it.each([
    ['temperature', { ...validBody, temperature: 0.2 }, /Unrecognized key.*'temperature'/],
    ['metadata', { ...validBody, metadata: {} }, /'metadata'/],
    ['no model', { input: 'x' }, /model: Required/],
    ['no input', { model: 'm' }, /input: Required/],
    ['a tiny budget', { ...validBody, max_output_tokens: 8 }, /max_output_tokens/],
    ['effort none', { ...validBody, reasoning: { effort: 'none' } }, /reasoning.effort/]
  ])('answers 400 Body validation error for %s', async (_label, body, message) => {
    const { status, json } = await post(body)
    expect(status).toBe(400)
    expect(String(json.message)).toMatch(/^Body validation error!/)
    expect(String(json.message)).toMatch(message)
  })

  it('answers 404 for other paths and records every request', async () => {
    const { status } = await post(validBody, { authorization: 'Bearer k' }, '/embeddings')
    expect(status).toBe(404)
    expect(server.requests.map((r) => r.path)).toEqual(['/v1/embeddings'])
  })

  it('sends a delayed scripted reply with its status, headers and text body', async () => {
    server.setHandler(() => ({ delayMs: 10, status: 502, headers: { 'x-inference-id': 'inf_9' }, body: 'Bad Gateway' }))
    const response = await request(`${server.baseUrl}/responses`, { method: 'POST', body: '{}' })
    expect(response.statusCode).toBe(502)
    expect(response.headers['x-inference-id']).toBe('inf_9')
    expect(await response.body.text()).toBe('Bad Gateway')
  })

  it('closes promptly with a hanging request open', async () => {
    server.setHandler(() => ({ hang: true }))
    const pending = post(validBody).catch((error: unknown) => error)
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    await server.close()
    expect(await pending).toBeInstanceOf(Error)
    server = await startResponsesServer()
  })
})
