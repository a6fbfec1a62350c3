import { createGitHubClient } from '../../src/github/client.js'
import { GitHubGraphQLError, requestGraphQL, type GraphQLFailureKind } from '../../src/github/graphql.js'
import { appTokenGrant, startGitHubServer, type FakeGitHub } from '../../__fixtures__/servers/github-server.js'
import { SAMPLE_DIFF } from '../../__fixtures__/servers/github-sample-diffs.js'

const TOKEN = 'ghs_graphqlwrappertesttoken000'
const READ_ONLY = 'ghs_graphqlwrapperreadonly0000'
let github: FakeGitHub

beforeEach(async () => {
  github = await startGitHubServer({
    owner: 'octo',
    repo: 'demo',
    token: TOKEN,
    tokens: { [READ_ONLY]: appTokenGrant('reader', { pullRequests: 'read' }) },
    pulls: [
      {
        number: 1,
        title: 't',
        body: null,
        headSha: 'a'.repeat(40),
        baseSha: 'b'.repeat(40),
        headRef: 'h',
        baseRef: 'main',
        diff: SAMPLE_DIFF
      }
    ]
  })
})
afterEach(async () => github.close())

const client = (token = TOKEN) =>
  createGitHubClient({ token, baseUrl: github.baseUrl, throttle: { writeSpacingMs: 0, retryAfterUnitMs: 1 } })

async function failure(promise: Promise<unknown>): Promise<GitHubGraphQLError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught
  )
  if (!(error instanceof GitHubGraphQLError)) throw new Error(`expected a GitHubGraphQLError, got ${String(error)}`)
  return error
}

describe('requestGraphQL', () => {
  it('resolves to data, with values passed as variables', async () => {
    const data = await requestGraphQL<{ repository: { name: string } }>(client(), {
      query: 'query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { name } }',
      variables: { owner: 'octo', name: 'demo' },
      action: 'reading the repository'
    })
    expect(data).toEqual({ repository: { name: 'demo' } })
  })

  const RESOLVE = 'mutation($id: ID!) { resolveReviewThread(input: {threadId: $id}) { thread { id } } }'

  it.each<[string, () => Promise<unknown>, GraphQLFailureKind, RegExp]>([
    [
      'a mutation the token may not make',
      () => {
        const root = github.addReviewComment({ pullNumber: 1, path: 'src/app.ts', line: 3, body: 'x' })
        return requestGraphQL(client(READ_ONLY), {
          query: RESOLVE,
          variables: { id: github.threadIdOf(root.id) },
          action: 'resolving a thread',
          forbiddenHint: 'needs pull-requests: write'
        })
      },
      'forbidden',
      /^GitHub's GraphQL API refused resolving a thread: Resource not accessible by integration \(needs pull-requests: write\)$/
    ],
    [
      'an unknown repository',
      () =>
        requestGraphQL(client(), {
          query: '{ repository(owner: "octo", name: "gone") { id } }',
          action: 'reading a repository'
        }),
      'not-found',
      /Could not resolve to a Repository with the name 'octo\/gone'/
    ],
    [
      'a query that does not fit the schema',
      () => requestGraphQL(client(), { query: '{ viewer { loginn } }', action: 'reading the viewer' }),
      'invalid-query',
      /Field 'loginn' doesn't exist on type 'User'/
    ],
    [
      'a rejected token',
      () =>
        requestGraphQL(client('ghp_notavalidtokenatall00000000'), {
          query: '{ viewer { login } }',
          action: 'reading the viewer'
        }),
      'unauthorized',
      /401 while reading the viewer: Bad credentials/
    ]
  ])('classifies %s', async (_name, run, kind, message) => {
    const error = await failure(run())
    expect(error.kind).toBe(kind)
    expect(error.message).toMatch(message)
  })

  it('says GraphQL is unavailable where the server has no endpoint (404), e.g. an old GitHub Enterprise Server', async () => {
    github.inject({ method: 'POST', pathPattern: /^\/graphql$/, times: 1, status: 404, body: { message: 'Not Found' } })
    const error = await failure(
      requestGraphQL(client(), { query: '{ viewer { login } }', action: 'reading the viewer' })
    )
    expect(error).toMatchObject({ kind: 'unavailable', status: 404 })
  })

  it('retries a 5xx like any request, then says GraphQL is unavailable', async () => {
    github.inject({
      method: 'POST',
      pathPattern: /^\/graphql$/,
      times: 3,
      status: 502,
      body: { message: 'Server Error' }
    })
    const error = await failure(
      requestGraphQL(client(), { query: '{ viewer { login } }', action: 'reading the viewer' })
    )
    expect(error).toMatchObject({ kind: 'unavailable', status: 502 })
    expect(github.requests.filter((request) => request.path === '/graphql')).toHaveLength(3)
  })

  it('recognises RATE_LIMITED in a 200 answer', async () => {
    github.inject({
      method: 'POST',
      pathPattern: /^\/graphql$/,
      times: 1,
      status: 200,
      body: {
        data: null,
        errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for installation ID 1.' }]
      }
    })
    const error = await failure(
      requestGraphQL(client(), { query: '{ viewer { login } }', action: 'reading the viewer' })
    )
    expect(error.kind).toBe('rate-limited')
  })

  it('keeps tokens out of its messages, even when GitHub quotes one', async () => {
    const leaked = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'
    github.inject({
      method: 'POST',
      pathPattern: /^\/graphql$/,
      times: 1,
      status: 200,
      body: { data: null, errors: [{ message: `token ${leaked} is odd` }] }
    })
    const error = await failure(
      requestGraphQL(client(), { query: '{ viewer { login } }', action: 'reading the viewer' })
    )
    expect(error).toMatchObject({
      kind: 'other',
      message: "GitHub's GraphQL API refused reading the viewer: token [REDACTED] is odd"
    })
    expect(error.message).not.toContain(TOKEN)
  })

  it('keeps what GitHub returned next to the errors', async () => {
    const root = github.addReviewComment({ pullNumber: 1, path: 'src/app.ts', line: 3, body: 'x' })
    const error = await failure(
      requestGraphQL(client(READ_ONLY), {
        query: RESOLVE,
        variables: { id: github.threadIdOf(root.id) },
        action: 'resolving'
      })
    )
    expect(error.partialData).toEqual({ resolveReviewThread: null })
  })

  it('refuses variable names Octokit would take for request options', async () => {
    await expect(
      requestGraphQL(client(), {
        query: 'query($url: String) { viewer { login } }',
        variables: { url: 'x' },
        action: 'x'
      })
    ).rejects.toThrow('GraphQL variable name reserved by Octokit: url')
    expect(github.requests).toHaveLength(0)
  })
})

describe('on GitHub Enterprise Server', () => {
  it('reaches GraphQL at /api/graphql when the client’s base URL is /api/v3', async () => {
    await github.close()
    github = await startGitHubServer({ owner: 'octo', repo: 'demo', token: TOKEN, pulls: [], pathPrefix: '/api/v3' })
    const data = await requestGraphQL<{ viewer: { login: string } }>(client(), {
      query: '{ viewer { login } }',
      action: 'reading the viewer'
    })
    expect(data).toEqual({ viewer: { login: 'github-actions[bot]' } })
    expect(github.requests).toEqual([expect.objectContaining({ method: 'POST', path: '/graphql' })])
  })
})
