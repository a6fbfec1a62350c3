import { Agent } from 'undici'
import { ModelError } from '../../src/errors.js'
import type { ResponsesRequestBody } from '../../src/model/build-request.js'
import {
  buildResponsesUrl,
  isFatalModelError,
  ModelRequestError,
  postResponses,
  sanitiseClientRequestId,
  type ModelTransport
} from '../../src/model/responses-client.js'
import {
  aimlApiError,
  completedResponse,
  openAiError,
  startResponsesServer,
  type ResponsesServer,
  type ScriptedReply
} from '../../__fixtures__/servers/responses-server.js'

const API_KEY = 'sk-aiml-TEST-0123456789abcdef'
const BODY = { model: 'openai/gpt-5-1-codex-mini', input: 'hi', store: false } as unknown as ResponsesRequestBody
const OK: ScriptedReply = { headers: { 'x-inference-id': 'inf_1' }, body: completedResponse({ text: '{}' }) }

let server: ResponsesServer
let agent: Agent
let waits: number[]
let logs: string[]

beforeAll(async () => {
  server = await startResponsesServer()
  agent = new Agent({ connectTimeout: 1000 })
})
afterAll(async () => {
  await server.close()
  await agent.close()
})
beforeEach(() => {
  server.requests.length = 0
  waits = []
  logs = []
})

const transport = (overrides: Partial<ModelTransport> = {}): ModelTransport => ({
  baseUrl: server.baseUrl,
  apiKey: API_KEY,
  dispatcher: agent,
  timeouts: { headersMs: 300, bodyMs: 300 },
  sleep: async (ms) => {
    waits.push(ms)
  },
  random: () => 0,
  log: (message) => logs.push(message),
  ...overrides
})

/** Replies from the list in order; the last one repeats. */
const script = (...replies: ScriptedReply[]): void =>
  server.setHandler((_request, index) => replies[Math.min(index, replies.length - 1)] as ScriptedReply)

async function expectModelError(promise: Promise<unknown>): Promise<ModelRequestError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason
  )
  expect(error).toBeInstanceOf(ModelRequestError)
  const modelError = error as ModelRequestError
  expect(modelError.message).not.toContain(API_KEY)
  for (const line of logs) expect(line).not.toContain(API_KEY)
  return modelError
}

describe('postResponses', () => {
  it('POSTs JSON to {baseUrl}/responses with bearer auth and a client request id', async () => {
    script(OK)
    const result = await postResponses(transport({ baseUrl: `${server.baseUrl}/` }), BODY)
    expect(result).toMatchObject({ attempts: 1, requestId: 'inf_1', json: { object: 'response', status: 'completed' } })
    const [sent] = server.requests
    expect(sent).toMatchObject({ method: 'POST', path: '/v1/responses', body: BODY })
    expect(sent?.headers.authorization).toBe(`Bearer ${API_KEY}`)
    expect(sent?.headers['content-type']).toBe('application/json')
    expect(sent?.headers['x-client-request-id']).toMatch(/^[A-Za-z0-9._:-]{1,128}$/)
  })

  it('works through the default proxy-aware dispatcher', async () => {
    server.setHandler(() => OK)
    const { dispatcher: _unused, ...rest } = transport()
    await expect(postResponses(rest, BODY)).resolves.toMatchObject({ attempts: 1 })
  })

  it('waits as Retry-After says on 429, then succeeds', async () => {
    script({ ...aimlApiError(429, 'Too Many Requests'), headers: { 'retry-after': '2' } }, OK)
    const result = await postResponses(transport(), BODY)
    expect(result.attempts).toBe(2)
    expect(waits).toEqual([2000])
    expect(logs).toEqual([expect.stringContaining('HTTP 429: Too Many Requests; retrying in 2.0 s')])
  })

  it('honours retry-after-ms', async () => {
    script(
      { ...openAiError(429, 'Rate limit reached', 'rate_limit_exceeded'), headers: { 'retry-after-ms': '120' } },
      OK
    )
    await postResponses(transport(), BODY)
    expect(waits).toEqual([120])
  })

  it('backs off exponentially through two 500s', async () => {
    script(aimlApiError(500, 'Internal'), aimlApiError(500, 'Internal'), OK)
    expect((await postResponses(transport(), BODY)).attempts).toBe(3)
    expect(waits).toEqual([500, 1000])
  })

  it('retries after a response that never comes (headers timeout)', async () => {
    script({ hang: true }, OK)
    const result = await postResponses(transport({ timeouts: { headersMs: 100, bodyMs: 100 } }), BODY)
    expect(result.attempts).toBe(2)
    expect(logs[0]).toMatch(/UND_ERR_HEADERS_TIMEOUT/)
  })

  it('retries after the server drops the connection', async () => {
    script({ destroySocket: true }, OK)
    expect((await postResponses(transport(), BODY)).attempts).toBe(2)
    expect(server.requests).toHaveLength(2)
  })

  it('fails fast on 401, naming the api-key input, even when the provider echoes the key', async () => {
    script(aimlApiError(401, `Invalid API key provided: ${API_KEY}`))
    const error = await expectModelError(postResponses(transport(), BODY))
    expect(error.message).toMatch(/HTTP 401/)
    expect(error.message).toContain('`api-key`')
    expect(error.options).toMatchObject({ status: 401, retryable: false })
    expect(error.attempts).toBe(1)
    expect(server.requests).toHaveLength(1)
    expect(waits).toEqual([])
    expect(isFatalModelError(error)).toBe(true)
  })

  it('scrubs the key from retry logs too', async () => {
    script(aimlApiError(500, `upstream rejected key ${API_KEY}`), OK)
    await postResponses(transport(), BODY)
    expect(logs).toHaveLength(1)
    expect(logs[0]).toContain('upstream rejected key ***')
    expect(logs[0]).not.toContain(API_KEY)
  })

  it('does not retry 403 and shows the AI/ML API message and request id', async () => {
    const reply = aimlApiError(403, "You've run out of credits.")
    script(reply)
    const error = await expectModelError(postResponses(transport(), BODY))
    const requestId = (reply.body as { requestId: string }).requestId
    expect(error.message).toContain("You've run out of credits.")
    expect(error.message).toContain(requestId)
    expect(error.options.requestId).toBe(requestId)
    expect(server.requests).toHaveLength(1)
    expect(isFatalModelError(error)).toBe(true)
  })

  it('shows the OpenAI-shaped message of a 400 without retrying', async () => {
    script(
      openAiError(
        400,
        "Unsupported parameter: 'temperature' is not supported with this model.",
        'unsupported_parameter',
        'invalid_request_error',
        'temperature'
      )
    )
    const error = await expectModelError(postResponses(transport(), BODY))
    expect(error.message).toContain("Unsupported parameter: 'temperature' is not supported with this model.")
    expect(error.message).toContain('param temperature')
    expect(error.options.requestId).toMatch(/^req_/)
    expect(server.requests).toHaveLength(1)
    expect(isFatalModelError(error)).toBe(false)
  })

  it('does not retry an exhausted quota and treats it as fatal', async () => {
    script(openAiError(429, 'You exceeded your current quota.', 'insufficient_quota', 'insufficient_quota'))
    const error = await expectModelError(postResponses(transport(), BODY))
    expect(error.message).toContain('You exceeded your current quota.')
    expect(server.requests).toHaveLength(1)
    expect(isFatalModelError(error)).toBe(true)
  })

  it('obeys x-should-retry: false', async () => {
    script({ ...aimlApiError(503, 'Overloaded'), headers: { 'x-should-retry': 'false' } })
    await expectModelError(postResponses(transport(), BODY))
    expect(server.requests).toHaveLength(1)
  })

  it('gives up after maxRetries with the last provider message', async () => {
    script(aimlApiError(503, 'Generation timeout'))
    const error = await expectModelError(postResponses(transport({ maxRetries: 2 }), BODY))
    expect(error.message).toContain('HTTP 503: Generation timeout')
    expect(error.message).toContain('after 3 attempts')
    expect(error.attempts).toBe(3)
    expect(error.options.retryable).toBe(true)
    expect(isFatalModelError(error)).toBe(false)
  })

  it('gives up on repeated connection failures', async () => {
    script({ destroySocket: true })
    const error = await expectModelError(postResponses(transport({ maxRetries: 1 }), BODY))
    expect(error.message).toMatch(/Model API request failed: .*UND_ERR_SOCKET.*after 2 attempts/)
  })

  it('reads the billed dollars, summed over attempts that report them', async () => {
    script(
      { ...aimlApiError(500, 'x'), headers: { 'x-aimlapi-usd-spent': '0.0005' } },
      { ...OK, headers: { 'x-aimlapi-usd-spent': '0.00123' } }
    )
    const result = await postResponses(transport(), BODY)
    expect(result.billedUsd).toBeCloseTo(0.00173, 10)
  })

  it('ignores a billed header that is not a number', async () => {
    script({ ...OK, headers: { 'x-aimlapi-usd-spent': 'n/a' } })
    expect((await postResponses(transport(), BODY)).billedUsd).toBeUndefined()
  })

  it('rejects a 200 whose body is not JSON, without retrying', async () => {
    script({ body: '<html>gateway</html>' })
    const error = await expectModelError(postResponses(transport(), BODY))
    expect(error.message).toContain('not JSON')
    expect(server.requests).toHaveLength(1)
  })

  it('answers 404 for other paths, with a hint about base-url', async () => {
    const error = await expectModelError(postResponses(transport({ baseUrl: `${server.baseUrl}/v2` }), BODY))
    expect(error.message).toContain('`base-url`')
    expect(error.message).toContain('Cannot POST /v1/v2/responses')
  })

  it('sends the given client request id, cleaned of characters the provider drops', async () => {
    script(OK)
    await postResponses(transport(), BODY, { clientRequestId: 'chunk 3/ä:ok' })
    expect(server.requests[0]?.headers['x-client-request-id']).toBe('chunk3:ok')
  })
})

describe('helpers', () => {
  it.each([
    ['https://api.aimlapi.com/v1', 'https://api.aimlapi.com/v1/responses'],
    ['https://api.aimlapi.com/v1//', 'https://api.aimlapi.com/v1/responses'],
    [' https://example.test/openai/v1/ ', 'https://example.test/openai/v1/responses']
  ])('buildResponsesUrl(%p)', (base, url) => {
    expect(buildResponsesUrl(base)).toBe(url)
  })

  it('names the base-url input when the URL is invalid', () => {
    expect(() => buildResponsesUrl('not a url')).toThrow(ModelError)
    expect(() => buildResponsesUrl('not a url')).toThrow(/`base-url`/)
  })

  it('replaces an id with nothing valid by a fresh one', () => {
    expect(sanitiseClientRequestId('ééé')).toMatch(/^[0-9a-f-]{36}$/)
    expect(sanitiseClientRequestId('x'.repeat(200))).toHaveLength(128)
  })
})
