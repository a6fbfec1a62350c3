/**
 * The model client's default dispatcher honours the runner's proxy variables: requests to a remote
 * base URL go through the CONNECT proxy in HTTP(S)_PROXY, and hosts in NO_PROXY go direct.
 */
import { createServer, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { postResponses, type ModelTransport } from '../../src/model/responses-client.js'
import { buildResponsesRequest } from '../../src/model/build-request.js'
import {
  findingsResponse,
  startResponsesServer,
  type ResponsesServer
} from '../../__fixtures__/servers/responses-server.js'

const BODY = buildResponsesRequest({
  model: 'openai/gpt-5-1-codex-mini',
  reasoningEffort: 'low',
  maxOutputTokens: 1024,
  chunk: { id: 1, pieces: [], text: 'x', tokens: 1, changedLines: 1 },
  pullRequest: { title: 't', body: '' }
})
const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'] as const

let model: ResponsesServer
let proxy: Server
let tunnels: string[]
const sockets: { destroy(): void }[] = []
const saved: Record<string, string | undefined> = {}

beforeAll(async () => {
  model = await startResponsesServer(() => ({ body: findingsResponse({ overview: 'ok', findings: [] }) }))
  // A CONNECT proxy that records each tunnel's target and leads every tunnel to the loopback model server.
  proxy = createServer()
  proxy.on('connect', (request, socket) => {
    tunnels.push(request.url ?? '')
    sockets.push(socket)
    const upstream = connect(Number(new URL(model.baseUrl).port), '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.pipe(socket).pipe(upstream)
    })
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  for (const name of PROXY_VARIABLES) saved[name] = process.env[name]
})
beforeEach(() => {
  tunnels = []
  for (const name of PROXY_VARIABLES) delete process.env[name]
  process.env.HTTP_PROXY = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
})
afterAll(async () => {
  for (const name of PROXY_VARIABLES) {
    if (saved[name] === undefined) delete process.env[name]
    else process.env[name] = saved[name]
  }
  for (const socket of sockets) socket.destroy()
  await new Promise((resolve) => proxy.close(resolve))
  await model.close()
})

/** A fresh transport: the default dispatcher reads the proxy variables when it is created. */
function transport(baseUrl: string): ModelTransport {
  return { baseUrl, apiKey: 'sk-test-proxy', maxRetries: 0 }
}

describe('the model client behind a proxy', () => {
  it('tunnels requests through HTTP_PROXY', async () => {
    await expect(postResponses(transport('http://api.models.example.test/v1'), BODY)).resolves.toMatchObject({
      attempts: 1
    })
    expect(tunnels).toEqual(['api.models.example.test:80'])
    expect(model.requests.at(-1)?.headers.host).toBe('api.models.example.test')
  })

  it('goes direct to hosts listed in NO_PROXY', async () => {
    process.env.NO_PROXY = '127.0.0.1,localhost'
    await expect(postResponses(transport(model.baseUrl), BODY)).resolves.toMatchObject({ attempts: 1 })
    expect(tunnels).toEqual([])
  })
})
