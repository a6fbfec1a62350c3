import { createServer, type Server } from 'node:http'
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { createGitHubClient } from '../../src/github/client.js'
import { fetchPullRequest } from '../../src/github/pull-request.js'
import {
  SECONDARY_RATE_LIMIT_MESSAGE,
  startGitHubServer,
  type FakeGitHub
} from '../../__fixtures__/servers/github-server.js'
import { SAMPLE_DIFF } from '../../__fixtures__/servers/github-sample-diffs.js'

const TOKEN = 'ghs_clienttesttoken0000000000'
const HEAD = '1'.repeat(40)
const ref = { owner: 'octo', repo: 'demo', pullNumber: 1 }
let github: FakeGitHub
let logs: string[]

beforeEach(async () => {
  logs = []
  github = await startGitHubServer({
    owner: 'octo',
    repo: 'demo',
    token: TOKEN,
    pathPrefix: '/api/v3',
    pulls: [
      {
        number: 1,
        title: 't',
        body: null,
        headSha: HEAD,
        baseSha: '2'.repeat(40),
        headRef: 'h',
        baseRef: 'main',
        diff: SAMPLE_DIFF
      }
    ]
  })
})
afterEach(async () => github.close())

const client = (maxRetries?: number) =>
  createGitHubClient({
    token: TOKEN,
    baseUrl: `${github.baseUrl}/`,
    log: (message) => logs.push(message),
    throttle: { writeSpacingMs: 0, retryAfterUnitMs: 1, ...(maxRetries === undefined ? {} : { maxRetries }) }
  })
const secondaryLimit = { status: 403, headers: { 'retry-after': '1' }, body: { message: SECONDARY_RATE_LIMIT_MESSAGE } }

describe('createGitHubClient', () => {
  it('talks to a GHES-style base URL (path prefix, trailing slash) with the token', async () => {
    expect((await fetchPullRequest(client(), ref)).headSha).toBe(HEAD)
    expect(github.requests.map((r) => r.path)).toEqual(['/repos/octo/demo/pulls/1'])
  })

  it('takes the API root from GITHUB_API_URL when no base URL is given, when the client is built', async () => {
    const api = createGitHubClient({
      token: TOKEN,
      env: { GITHUB_API_URL: github.baseUrl },
      throttle: { writeSpacingMs: 0 }
    })
    expect((await fetchPullRequest(api, ref)).headSha).toBe(HEAD)
    expect(github.requests.map((r) => [r.path, r.headers['user-agent']?.split(' ')[0]])).toEqual([
      ['/repos/octo/demo/pulls/1', 'codex-pr-review']
    ])
  })

  it('retries a GET after a secondary rate limit, and logs the wait', async () => {
    github.inject({ method: 'GET', pathPattern: /\/pulls\/1$/, times: 1, ...secondaryLimit })
    expect((await fetchPullRequest(client(), ref)).headSha).toBe(HEAD)
    expect(github.requests).toHaveLength(2)
    expect(logs.join('\n')).toMatch(/secondary rate limit on GET .*retrying in 1 s/)
  })

  it('gives up after maxRetries secondary limits', async () => {
    github.inject({ method: 'GET', pathPattern: /\/pulls\/1$/, times: 10, ...secondaryLimit })
    await expect(fetchPullRequest(client(1), ref)).rejects.toThrow(/403/)
    expect(github.requests).toHaveLength(2)
    expect(logs.at(-1)).toMatch(/giving up/)
  })

  it('waits out a primary rate limit (remaining 0) and retries', async () => {
    const reset = String(Math.floor(Date.now() / 1000))
    github.inject({
      method: 'GET',
      pathPattern: /\/pulls\/1$/,
      times: 1,
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
      body: { message: 'API rate limit exceeded for installation ID 1.' }
    })
    expect((await fetchPullRequest(client(), ref)).headSha).toBe(HEAD)
    expect(github.requests).toHaveLength(2)
    expect(logs.join('\n')).toMatch(/rate limit hit on GET/)
  })

  it('never retries a review POST on its own after a secondary limit (it may have been stored)', async () => {
    github.inject({ method: 'POST', pathPattern: /\/reviews$/, times: 1, ...secondaryLimit })
    const api = client()
    const attempt = api.rest.pulls.createReview({
      owner: 'octo',
      repo: 'demo',
      pull_number: 1,
      event: 'COMMENT',
      body: 'x'
    })
    await expect(attempt).rejects.toThrow(/secondary rate limit/)
    expect(github.requests).toHaveLength(1)
    expect(github.reviews).toHaveLength(0)
  })

  it('retries 5xx on reads up to maxRetries, but not 4xx', async () => {
    github.inject({ method: 'GET', pathPattern: /\/pulls\/1$/, times: 1, status: 502 })
    expect((await fetchPullRequest(client(1), ref)).headSha).toBe(HEAD)
    expect(github.requests).toHaveLength(2)
    github.inject({
      method: 'GET',
      pathPattern: /\/pulls\/1$/,
      times: 1,
      status: 422,
      body: { message: 'Unprocessable Entity' }
    })
    await expect(fetchPullRequest(client(), ref)).rejects.toThrow(/422/)
    expect(github.requests).toHaveLength(3)
  })

  it('sends an explicit non-loopback base URL through HTTP_PROXY', async () => {
    // A CONNECT proxy that records the tunnel's target and leads every tunnel to the fake GitHub.
    const tunnels: string[] = []
    const sockets: { destroy(): void }[] = []
    const proxy: Server = createServer()
    proxy.on('connect', (req, socket) => {
      tunnels.push(req.url ?? '')
      sockets.push(socket)
      const upstream = connect(Number(new URL(github.baseUrl).port), '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.pipe(socket).pipe(upstream)
      })
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    const saved = process.env.HTTP_PROXY
    process.env.HTTP_PROXY = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
    try {
      const api = createGitHubClient({
        token: TOKEN,
        baseUrl: 'http://ghe.example.test/api/v3',
        throttle: { writeSpacingMs: 0 }
      })
      expect((await fetchPullRequest(api, ref)).headSha).toBe(HEAD)
      expect(tunnels).toEqual(['ghe.example.test:80'])
      expect(github.requests[0]?.headers.host).toBe('ghe.example.test')
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY
      else process.env.HTTP_PROXY = saved
      // Tunnels are upgraded sockets: the server no longer tracks them, so end them here.
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => proxy.close(resolve))
    }
  })
})
