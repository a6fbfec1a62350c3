/**
 * The fake GitHub's GraphQL endpoint: if it accepted a query GitHub refuses, or answered in another shape, the
 * adapter tests would prove nothing. Plain fetch, no Octokit.
 */
import { addCommit, createCommitGraph, pullDiffOf } from '../../__fixtures__/servers/fake-git.js'
import {
  appTokenGrant,
  personalTokenGrant,
  startGitHubServer,
  type FakeGitHub,
  type GitHubServerOptions
} from '../../__fixtures__/servers/github-server.js'

const TOKEN = 'ghs_graphqlservertesttoken0000'
const READ_ONLY = 'ghs_graphqlreadonlytoken00000'
const lines = (count: number): string =>
  Array.from({ length: count }, (_, index) => `line ${index + 1}`).join('\n') + '\n'
const MALLORY = { login: 'mallory', type: 'User' as const }
const ALICE = { login: 'alice', type: 'User' as const }

let github: FakeGitHub
let head: string

async function start(overrides: Partial<GitHubServerOptions> = {}): Promise<void> {
  const graph = createCommitGraph()
  const base = addCommit(graph, { parents: [], changes: { 'a.ts': lines(20) } })
  head = addCommit(graph, {
    parents: [base],
    changes: { 'a.ts': lines(20).replace('line 5\n', 'line 5\nadded one\nadded two\n') }
  })
  github = await startGitHubServer({
    owner: 'octo',
    repo: 'demo',
    token: TOKEN,
    tokens: { [READ_ONLY]: { ...appTokenGrant('reader'), pullRequests: 'read' } },
    commits: graph,
    pulls: [
      {
        number: 1,
        title: 't',
        body: null,
        headSha: head,
        baseSha: base,
        headRef: 'h',
        baseRef: 'main',
        diff: pullDiffOf(graph, base, head)
      }
    ],
    ...overrides
  })
}

beforeEach(async () => start())
afterEach(async () => github.close())

interface GraphQLReply {
  status: number
  json: { data?: any; errors?: any[] }
}

async function graphql(
  query: string,
  variables: Record<string, unknown> = {},
  token = TOKEN,
  url = `${github.baseUrl}/graphql`
): Promise<GraphQLReply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables })
  })
  return { status: response.status, json: (await response.json()) as GraphQLReply['json'] }
}

async function rest(
  method: string,
  path: string,
  body?: unknown,
  token = TOKEN
): Promise<{ status: number; json: any }> {
  const response = await fetch(`${github.baseUrl}${path}`, {
    method,
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  return { status: response.status, json: await response.json() }
}

const THREADS = `query($after: String, $first: Int = 50) {
  repository(owner: "octo", name: "demo") {
    pullRequest(number: 1) {
      reviewThreads(first: $first, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id isResolved isOutdated path line startLine originalLine diffSide
          resolvedBy { login databaseId }
          comments(first: 10) {
            nodes {
              id databaseId fullDatabaseId body createdAt
              author { login __typename ... on Bot { databaseId } ... on User { databaseId } }
              replyTo { databaseId }
              reactionGroups { content reactors { totalCount } }
            }
          }
        }
      }
    }
  }
}`

describe('validation against GitHub’s schema', () => {
  it('refuses a misspelt field with graphql-ruby’s message, code and path, and no data', async () => {
    const reply = await graphql(
      'query { repository(owner: "octo", name: "demo") { pullRequest(number: 1) { reviewThreads(first: 5) { nodes { isResolvd } } } } }'
    )
    expect(reply.status).toBe(200)
    expect(reply.json).toEqual({
      errors: [
        {
          path: ['query', 'repository', 'pullRequest', 'reviewThreads', 'nodes', 'isResolvd'],
          extensions: { code: 'undefinedField', typeName: 'PullRequestReviewThread', fieldName: 'isResolvd' },
          locations: [{ line: 1, column: 110 }],
          message: "Field 'isResolvd' doesn't exist on type 'PullRequestReviewThread'"
        }
      ]
    })
  })

  it.each([
    [
      'an unknown argument',
      '{ repository(owner: "octo", name: "demo", id: 1) { id } }',
      'argumentNotAccepted',
      "Field 'repository' doesn't accept argument 'id'"
    ],
    [
      'a missing argument',
      '{ repository(owner: "octo") { id } }',
      'missingRequiredArguments',
      "Field 'repository' is missing required arguments: name"
    ],
    [
      'an unused variable',
      'query Q($x: String) { viewer { login } }',
      'variableNotUsed',
      'Variable $x is declared by Q but not used'
    ],
    [
      'an object without a selection',
      '{ viewer }',
      'selectionMismatch',
      "Field must have selections (field 'viewer' returns User but has no selections. Did you mean 'viewer { ... }'?)"
    ]
  ])('refuses %s', async (_name, query, code, message) => {
    const reply = await graphql(query)
    expect(reply.json.data).toBeUndefined()
    expect(reply.json.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code }), message })
    ])
  })

  it('refuses a syntax error', async () => {
    const reply = await graphql('{ viewer { login }')
    expect(reply.json).toEqual({
      errors: [
        expect.objectContaining({
          message: 'Parse error on Expected Name, found <EOF> at [1, 19]',
          locations: [{ line: 1, column: 19 }]
        })
      ]
    })
  })

  it.each([
    [
      'without first or last',
      'reviewThreads { nodes { id } }',
      'MISSING_PAGINATION_BOUNDARIES',
      'You must provide a `first` or `last` value to properly paginate the `reviewThreads` connection.'
    ],
    [
      'with more than 100',
      'reviewThreads(first: 101) { nodes { id } }',
      'EXCESSIVE_PAGINATION',
      'Requesting 101 records on the `reviewThreads` connection exceeds the `first` limit of 100 records.'
    ]
  ])('nulls a connection asked for %s, as GitHub does', async (_name, selection, type, message) => {
    const reply = await graphql(
      `{ repository(owner: "octo", name: "demo") { pullRequest(number: 1) { ${selection} } } }`
    )
    expect(reply.json).toEqual({
      data: { repository: { pullRequest: null } },
      errors: [{ type, path: ['repository', 'pullRequest', 'reviewThreads'], locations: [expect.any(Object)], message }]
    })
  })

  it('lets a count go without page bounds', async () => {
    github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 6, body: 'x' })
    const reply = await graphql(
      '{ repository(owner: "octo", name: "demo") { pullRequest(number: 1) { reviewThreads { totalCount } } } }'
    )
    expect(reply.json).toEqual({ data: { repository: { pullRequest: { reviewThreads: { totalCount: 1 } } } } })
  })

  it.each([
    [
      'repository',
      '{ repository(owner: "octo", name: "nope") { id } }',
      ['repository'],
      "Could not resolve to a Repository with the name 'octo/nope'."
    ],
    [
      'pull request',
      '{ repository(owner: "octo", name: "demo") { pullRequest(number: 9) { id } } }',
      ['repository', 'pullRequest'],
      'Could not resolve to a PullRequest with the number of 9.'
    ]
  ])('answers NOT_FOUND for an unknown %s', async (_name, query, path, message) => {
    const reply = await graphql(query)
    expect(reply.json.errors).toEqual([expect.objectContaining({ type: 'NOT_FOUND', path, message })])
  })

  it('answers 401 for an unknown token, on GraphQL as on REST', async () => {
    expect((await graphql('{ viewer { login } }', {}, 'ghp_wrong')).status).toBe(401)
  })
})

describe('review threads', () => {
  it('pages through more than 100 threads with opaque cursors', async () => {
    for (let index = 0; index < 130; index++)
      github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 6, body: `finding ${index}` })
    const seen: string[] = []
    let after: string | null = null
    let pages = 0
    do {
      const reply: GraphQLReply = await graphql(THREADS, { after, first: 50 })
      const connection = reply.json.data.repository.pullRequest.reviewThreads
      seen.push(...connection.nodes.map((node: any) => node.comments.nodes[0].body))
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null
      pages++
    } while (after !== null)
    expect(pages).toBe(3)
    expect(seen).toEqual(Array.from({ length: 130 }, (_, index) => `finding ${index}`))
  })

  it('answers `last` and `before` too', async () => {
    for (let index = 0; index < 5; index++)
      github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 6, body: `f${index}` })
    const query =
      'query($before: String) { repository(owner: "octo", name: "demo") { pullRequest(number: 1) { reviewThreads(last: 2, before: $before) { pageInfo { hasPreviousPage startCursor } nodes { comments(first: 1) { nodes { body } } } } } } }'
    const last = (await graphql(query)).json.data.repository.pullRequest.reviewThreads
    expect(last.nodes.map((node: any) => node.comments.nodes[0].body)).toEqual(['f3', 'f4'])
    const before = (await graphql(query, { before: last.pageInfo.startCursor })).json.data.repository.pullRequest
      .reviewThreads
    expect(before.nodes.map((node: any) => node.comments.nodes[0].body)).toEqual(['f1', 'f2'])
    expect(before.pageInfo.hasPreviousPage).toBe(true)
  })

  it('groups replies under their thread, spells bot logins as GraphQL does and counts reactions', async () => {
    const root = github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 6, body: 'finding' })
    const reply = github.addReply({ commentId: root.id, body: 'intended', user: MALLORY })
    github.addReaction({ commentId: root.id, content: 'THUMBS_DOWN', user: MALLORY })
    github.addReaction({ commentId: root.id, content: 'THUMBS_DOWN', user: ALICE })
    github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 7, body: 'human thread', user: ALICE })

    const threads = (await graphql(THREADS)).json.data.repository.pullRequest.reviewThreads.nodes
    expect(threads).toHaveLength(2)
    const [first] = threads
    expect(first).toMatchObject({
      id: github.threadIdOf(root.id),
      isResolved: false,
      isOutdated: false,
      path: 'a.ts',
      line: 6,
      originalLine: 6,
      diffSide: 'RIGHT',
      resolvedBy: null
    })
    expect(first.comments.nodes).toEqual([
      expect.objectContaining({
        databaseId: root.id,
        fullDatabaseId: String(root.id),
        body: 'finding',
        replyTo: null,
        author: { login: 'github-actions', __typename: 'Bot', databaseId: 41898282 }
      }),
      expect.objectContaining({
        databaseId: reply.id,
        body: 'intended',
        replyTo: { databaseId: root.id },
        author: { login: 'mallory', __typename: 'User', databaseId: expect.any(Number) }
      })
    ])
    const groups = first.comments.nodes[0].reactionGroups
    expect(groups.map((group: any) => group.content)).toEqual([
      'THUMBS_UP',
      'THUMBS_DOWN',
      'LAUGH',
      'HOORAY',
      'CONFUSED',
      'HEART',
      'ROCKET',
      'EYES'
    ])
    expect(groups.find((group: any) => group.content === 'THUMBS_DOWN').reactors.totalCount).toBe(2)
    // REST spells the same bot with [bot] and the same id.
    const listed = (await rest('GET', '/repos/octo/demo/pulls/1/comments')).json
    expect(listed[0].user).toEqual({ login: 'github-actions[bot]', id: 41898282, type: 'Bot' })
    expect(listed[1]).toMatchObject({
      id: reply.id,
      in_reply_to_id: root.id,
      user: { login: 'mallory', id: first.comments.nodes[1].author.databaseId }
    })
  })

  it('marks a thread outdated when its line changed, keeping the original line', async () => {
    const root = github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 7, body: 'finding' })
    github.pushCommit({
      pullNumber: 1,
      changes: { 'a.ts': lines(20).replace('line 5\n', 'line 5\nadded one\nadded TWO\n') }
    })
    const [thread] = (await graphql(THREADS)).json.data.repository.pullRequest.reviewThreads.nodes
    expect(thread).toMatchObject({ id: github.threadIdOf(root.id), isOutdated: true, line: null, originalLine: 7 })
  })
})

describe('thread mutations', () => {
  const RESOLVE =
    'mutation($id: ID!) { resolveReviewThread(input: {threadId: $id}) { thread { id isResolved resolvedBy { login } } } }'
  const UNRESOLVE = 'mutation($id: ID!) { unresolveReviewThread(input: {threadId: $id}) { thread { isResolved } } }'
  const REPLY =
    'mutation($id: ID!, $body: String!) { addPullRequestReviewThreadReply(input: {pullRequestReviewThreadId: $id, body: $body}) { comment { id databaseId body author { login } } } }'

  it('resolves and reopens a thread; later queries see who resolved it', async () => {
    const root = github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 6, body: 'finding' })
    const id = github.threadIdOf(root.id)
    const resolved = await graphql(RESOLVE, { id })
    expect(resolved.json).toEqual({
      data: { resolveReviewThread: { thread: { id, isResolved: true, resolvedBy: { login: 'github-actions[bot]' } } } }
    })
    const [thread] = (await graphql(THREADS)).json.data.repository.pullRequest.reviewThreads.nodes
    expect(thread).toMatchObject({
      isResolved: true,
      resolvedBy: { login: 'github-actions[bot]', databaseId: 41898282 }
    })
    expect((await graphql(UNRESOLVE, { id })).json.data.unresolveReviewThread.thread.isResolved).toBe(false)
    expect(github.threads.get(root.id)).toEqual({ resolvedBy: null })
  })

  it('shows a thread resolved by a person through the helper', async () => {
    const root = github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 6, body: 'finding' })
    github.resolveThread({ commentId: root.id, by: ALICE })
    const [thread] = (await graphql(THREADS)).json.data.repository.pullRequest.reviewThreads.nodes
    expect(thread).toMatchObject({ isResolved: true, resolvedBy: { login: 'alice' } })
  })

  it('stores a GraphQL reply that REST lists with in_reply_to_id', async () => {
    const root = github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 6, body: 'finding' })
    const reply = await graphql(REPLY, { id: github.threadIdOf(root.id), body: 'Fixed in `abc1234`.' })
    const comment = reply.json.data.addPullRequestReviewThreadReply.comment
    expect(comment).toMatchObject({
      body: 'Fixed in `abc1234`.',
      author: { login: 'github-actions' },
      id: expect.stringMatching(/^PRRC_/)
    })
    const listed = (await rest('GET', '/repos/octo/demo/pulls/1/comments')).json
    expect(listed).toEqual([
      expect.objectContaining({ id: root.id }),
      expect.objectContaining({
        id: comment.databaseId,
        node_id: comment.id,
        in_reply_to_id: root.id,
        path: 'a.ts',
        line: 6,
        body: 'Fixed in `abc1234`.'
      })
    ])
  })

  it('stores a REST reply that GraphQL shows in the thread', async () => {
    const root = github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 6, body: 'finding' })
    const created = await rest('POST', `/repos/octo/demo/pulls/1/comments/${root.id}/replies`, { body: 'answer' })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({
      in_reply_to_id: root.id,
      body: 'answer',
      user: { login: 'github-actions[bot]' }
    })
    const [thread] = (await graphql(THREADS)).json.data.repository.pullRequest.reviewThreads.nodes
    expect(thread.comments.nodes.map((node: any) => node.body)).toEqual(['finding', 'answer'])
    expect((await rest('POST', `/repos/octo/demo/pulls/1/comments/${root.id}/replies`, { body: '' })).status).toBe(422)
    expect((await rest('POST', '/repos/octo/demo/pulls/1/comments/999999/replies', { body: 'x' })).status).toBe(404)
  })

  it('answers NOT_FOUND for an unknown thread id', async () => {
    const reply = await graphql(RESOLVE, { id: 'PRRT_nope' })
    expect(reply.json).toEqual({
      data: { resolveReviewThread: null },
      errors: [
        expect.objectContaining({
          type: 'NOT_FOUND',
          path: ['resolveReviewThread'],
          message: "Could not resolve to a node with the global id of 'PRRT_nope'"
        })
      ]
    })
  })

  it('refuses writes from a read-only token as GitHub does, and changes nothing', async () => {
    const root = github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 6, body: 'finding' })
    const refused = await graphql(RESOLVE, { id: github.threadIdOf(root.id) }, READ_ONLY)
    expect(refused.status).toBe(200)
    expect(refused.json).toEqual({
      data: { resolveReviewThread: null },
      errors: [
        {
          type: 'FORBIDDEN',
          path: ['resolveReviewThread'],
          extensions: { saml_failure: false },
          locations: [{ line: 1, column: 22 }],
          message: 'Resource not accessible by integration'
        }
      ]
    })
    expect((await graphql(REPLY, { id: github.threadIdOf(root.id), body: 'x' }, READ_ONLY)).json.errors?.[0].type).toBe(
      'FORBIDDEN'
    )
    const post = await rest('POST', `/repos/octo/demo/pulls/1/comments/${root.id}/replies`, { body: 'x' }, READ_ONLY)
    expect(post).toEqual({
      status: 403,
      json: expect.objectContaining({ message: 'Resource not accessible by integration' })
    })
    expect((await rest('POST', '/repos/octo/demo/issues/1/comments', { body: 'x' }, READ_ONLY)).status).toBe(403)
    // Reading still works, and nothing was written.
    const [thread] = (await graphql(THREADS, {}, READ_ONLY)).json.data.repository.pullRequest.reviewThreads.nodes
    expect(thread).toMatchObject({
      isResolved: false,
      comments: { nodes: [expect.objectContaining({ body: 'finding' })] }
    })
    expect(github.issueComments).toHaveLength(0)
  })

  it('keeps thread state for the next run against the same server', async () => {
    const root = github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 6, body: 'finding' })
    await graphql(RESOLVE, { id: github.threadIdOf(root.id) })
    github.setIdentity(personalTokenGrant('octocat'))
    const [thread] = (await graphql(THREADS)).json.data.repository.pullRequest.reviewThreads.nodes
    expect(thread).toMatchObject({ isResolved: true, resolvedBy: { login: 'github-actions[bot]' } })
  })
})

describe('identity', () => {
  it.each([
    ['GITHUB_TOKEN', undefined, { login: 'github-actions[bot]', databaseId: 41898282 }, 403],
    [
      'an app installation token',
      appTokenGrant('my-app', { id: 9001 }),
      { login: 'my-app[bot]', databaseId: 9001 },
      403
    ],
    ['a personal token', personalTokenGrant('octocat', { id: 583231 }), { login: 'octocat', databaseId: 583231 }, 200]
  ])('answers viewer for %s, and REST GET /user as GitHub does', async (_name, grant, viewer, userStatus) => {
    if (grant !== undefined) github.setIdentity(grant)
    expect((await graphql('{ viewer { login databaseId } }')).json).toEqual({ data: { viewer } })
    const user = await rest('GET', '/user')
    expect(user.status).toBe(userStatus)
    if (userStatus === 403) expect(user.json.message).toBe('Resource not accessible by integration')
    else expect(user.json).toEqual({ login: viewer.login, id: viewer.databaseId, type: 'User' })
  })

  it('posts reviews and comments as the token’s identity', async () => {
    github.setIdentity(appTokenGrant('my-app', { id: 9001 }))
    await rest('POST', '/repos/octo/demo/issues/1/comments', { body: 'summary' })
    expect((await rest('GET', '/repos/octo/demo/issues/1/comments')).json[0].user).toEqual({
      login: 'my-app[bot]',
      id: 9001,
      type: 'Bot'
    })
  })
})

describe('blobs at a commit', () => {
  const FILES = {
    'src/a.ts': 'export const a = 1\n',
    'logo.png': '\u0089PNG\r\n\u001a\n\u0000\u0000binary',
    'big.txt': 'x'.repeat(600_000),
    'odd/say "hi" \\ there.ts': 'quoted\n',
    'src/deep/b.ts': 'b\n'
  }

  beforeEach(async () => {
    await github.close()
    await start({ files: { ['c'.repeat(40)]: FILES } })
  })

  it('answers many aliased objects in one query, paths passed as variables', async () => {
    const sha = 'c'.repeat(40)
    const paths = ['src/a.ts', 'logo.png', 'big.txt', 'odd/say "hi" \\ there.ts', 'src', 'missing.ts']
    const declarations = paths.map((_, index) => `$e${index}: String!`).join(', ')
    const fields = paths
      .map(
        (_, index) =>
          `f${index}: object(expression: $e${index}) { __typename ... on Blob { oid byteSize isBinary isTruncated text } }`
      )
      .join(' ')
    const variables = Object.fromEntries(paths.map((path, index) => [`e${index}`, `${sha}:${path}`]))
    const reply = await graphql(
      `query(${declarations}) { repository(owner: "octo", name: "demo") { ${fields} } }`,
      variables
    )
    const repository = reply.json.data.repository
    expect(repository.f0).toEqual({
      __typename: 'Blob',
      oid: '41715495f45f651e6cf7d38f58a3d512abcfa440',
      byteSize: 19,
      isBinary: false,
      isTruncated: false,
      text: 'export const a = 1\n'
    })
    expect(repository.f1).toMatchObject({ isBinary: true, text: null })
    expect(repository.f2).toMatchObject({ byteSize: 600_000, isBinary: false, isTruncated: true })
    expect(repository.f2.text).toHaveLength(512_000)
    expect(repository.f3).toMatchObject({ text: 'quoted\n' })
    expect(repository.f4).toEqual({ __typename: 'Tree' })
    expect(repository.f5).toBeNull()
    expect(reply.json.errors).toBeUndefined()
  })

  it('finds a blob again by its oid, and a commit’s files from the commit graph', async () => {
    const byOid = await graphql(
      'query($oid: GitObjectID!) { repository(owner: "octo", name: "demo") { object(oid: $oid) { ... on Blob { text } } } }',
      { oid: '41715495f45f651e6cf7d38f58a3d512abcfa440' }
    )
    expect(byOid.json.data.repository.object).toEqual({ text: 'export const a = 1\n' })
    const atHead = await graphql(
      'query($e: String!) { repository(owner: "octo", name: "demo") { object(expression: $e) { ... on Blob { text } } } }',
      { e: `${head}:a.ts` }
    )
    expect(atHead.json.data.repository.object.text).toContain('added two')
  })
})

describe('GitHub Enterprise Server', () => {
  it('serves GraphQL at /api/graphql when the REST root is /api/v3', async () => {
    await github.close()
    await start({ pathPrefix: '/api/v3' })
    const origin = github.baseUrl.replace(/\/api\/v3$/, '')
    expect((await graphql('{ viewer { login } }', {}, TOKEN, `${origin}/api/graphql`)).json).toEqual({
      data: { viewer: { login: 'github-actions[bot]' } }
    })
    expect(
      (
        await fetch(`${origin}/api/v3/graphql`, {
          method: 'POST',
          headers: { authorization: `bearer ${TOKEN}` },
          body: '{}'
        })
      ).status
    ).toBe(404)
    expect(github.requests.at(-2)).toMatchObject({ method: 'POST', path: '/graphql' })
  })
})
