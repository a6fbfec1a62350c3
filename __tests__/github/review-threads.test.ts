import { createGitHubClient } from '../../src/github/client.js'
import { GitHubGraphQLError } from '../../src/github/graphql.js'
import { identityFromUser, isAuthoredBy } from '../../src/github/identity.js'
import { MAX_BODY_CHARS } from '../../src/github/publish-review.js'
import { listReviewThreads, replyToThread, resolveThread, toThreadComment } from '../../src/github/review-threads.js'
import { addCommit, createCommitGraph, pullDiffOf } from '../../__fixtures__/servers/fake-git.js'
import {
  appTokenGrant,
  GITHUB_TOKEN_GRANT,
  startGitHubServer,
  type FakeGitHub
} from '../../__fixtures__/servers/github-server.js'
import { userIdOf } from '../../__fixtures__/servers/github-shapes.js'

const TOKEN = 'ghs_threadstesttoken0000000000'
const READ_ONLY = 'ghs_threadsreadonlytoken000000'
const ref = { owner: 'octo', repo: 'demo', pullNumber: 1 }
const lines = (count: number): string =>
  Array.from({ length: count }, (_, index) => `line ${index + 1}`).join('\n') + '\n'
const ALICE = { login: 'alice', type: 'User' as const }
const BOB = { login: 'bob', type: 'User' as const }
const ACTIONS = identityFromUser({ login: 'github-actions[bot]', id: 41898282 })
let github: FakeGitHub

beforeEach(async () => {
  const graph = createCommitGraph()
  const base = addCommit(graph, { parents: [], changes: { 'a.ts': lines(20) } })
  const head = addCommit(graph, {
    parents: [base],
    changes: { 'a.ts': lines(20).replace('line 5\n', 'line 5\nadded one\nadded two\n') }
  })
  github = await startGitHubServer({
    owner: 'octo',
    repo: 'demo',
    token: TOKEN,
    tokens: { [READ_ONLY]: appTokenGrant('reader', { pullRequests: 'read' }) },
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
    ]
  })
})
afterEach(async () => github.close())

const client = (token = TOKEN) =>
  createGitHubClient({ token, baseUrl: github.baseUrl, throttle: { writeSpacingMs: 0, retryAfterUnitMs: 1 } })
const graphqlCalls = () => github.requests.filter((request) => request.path === '/graphql').length

describe('listReviewThreads', () => {
  it('reads every page of threads, oldest first', async () => {
    for (let index = 0; index < 130; index++)
      github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 6, body: `finding ${index}` })
    const messages: string[] = []
    const threads = await listReviewThreads(client(), ref, { log: (message) => messages.push(message) })
    expect(threads.map((thread) => thread.comments[0]?.body)).toEqual(
      Array.from({ length: 130 }, (_, index) => `finding ${index}`)
    )
    expect(graphqlCalls()).toBe(2)
    expect(messages).toEqual(['Read 130 review threads of pull request #1 in 2 GraphQL calls'])
  })

  it('reads on through a thread longer than one page of comments', async () => {
    const root = github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 6, body: 'finding' })
    for (let index = 0; index < 160; index++)
      github.addReply({ commentId: root.id, body: `reply ${index}`, user: ALICE })
    const [thread] = await listReviewThreads(client(), ref)
    expect(thread?.comments).toHaveLength(161)
    expect(thread?.comments.at(-1)?.body).toBe('reply 159')
    // One page of threads (50 comments each), then 100 and 11 more comments of the long thread.
    expect(graphqlCalls()).toBe(3)
  })

  it('translates threads and comments to plain shapes, authors in REST spelling with their ids', async () => {
    const root = github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 7, body: 'finding' })
    const reply = github.addReply({ commentId: root.id, body: 'this is intended', user: ALICE })
    github.addReaction({ commentId: root.id, content: 'THUMBS_DOWN', user: ALICE })
    github.addReaction({ commentId: root.id, content: 'THUMBS_DOWN', user: BOB })
    github.addReaction({ commentId: root.id, content: 'HEART', user: BOB })
    github.resolveThread({ commentId: root.id, by: ALICE })

    const [thread] = await listReviewThreads(client(), ref)
    expect(thread).toEqual({
      id: github.threadIdOf(root.id),
      isResolved: true,
      isOutdated: false,
      path: 'a.ts',
      side: 'RIGHT',
      line: 7,
      startLine: null,
      originalLine: 7,
      resolvedBy: { login: 'alice', id: userIdOf(ALICE) },
      comments: [
        {
          id: expect.stringMatching(/^PRRC_/),
          databaseId: root.id,
          body: 'finding',
          authorLogin: 'github-actions[bot]',
          authorId: 41898282,
          authorIsBot: true,
          createdAt: expect.any(String),
          thumbsDown: 2
        },
        {
          id: expect.stringMatching(/^PRRC_/),
          databaseId: reply.id,
          body: 'this is intended',
          authorLogin: 'alice',
          authorId: userIdOf(ALICE),
          authorIsBot: false,
          createdAt: expect.any(String),
          thumbsDown: 0
        }
      ]
    })
    // The ids agree with what REST lists, so REST and GraphQL data can be joined.
    const rest = await client().rest.pulls.listReviewComments({ owner: 'octo', repo: 'demo', pull_number: 1 })
    expect(rest.data.map((comment) => [comment.id, comment.user?.id])).toEqual(
      thread?.comments.map((comment) => [comment.databaseId, comment.authorId])
    )
  })

  it('tells a thread another user started from the action’s own', async () => {
    github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 6, body: 'mine' })
    github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 7, body: 'please rename', user: ALICE })
    // A forged bot-looking name by a person does not pass either.
    github.addReviewComment({
      pullNumber: 1,
      path: 'a.ts',
      line: 8,
      body: 'fake',
      user: { login: 'github-actions', type: 'User' }
    })
    const threads = await listReviewThreads(client(), ref)
    const started = threads.map((thread) => {
      const first = thread.comments[0]
      return first === undefined
        ? false
        : isAuthoredBy(ACTIONS, {
            login: first.authorLogin,
            id: first.authorId ?? null,
            type: first.authorIsBot ? 'Bot' : 'User'
          })
    })
    expect(started).toEqual([true, false, false])
  })

  it('reports an outdated thread with line null and its original line', async () => {
    github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 7, body: 'finding' })
    github.pushCommit({
      pullNumber: 1,
      changes: { 'a.ts': lines(20).replace('line 5\n', 'line 5\nadded one\nadded TWO\n') }
    })
    const [thread] = await listReviewThreads(client(), ref)
    expect(thread).toMatchObject({ isOutdated: true, line: null, originalLine: 7, isResolved: false })
    expect(thread).not.toHaveProperty('resolvedBy')
  })

  it('names the pull request when it cannot be read', async () => {
    await expect(listReviewThreads(client(), { ...ref, pullNumber: 9 })).rejects.toMatchObject({
      kind: 'not-found',
      message:
        "GitHub's GraphQL API refused listing the review threads of pull request #9: Could not resolve to a PullRequest with the number of 9."
    })
  })
})

describe('toThreadComment', () => {
  it.each([
    ['a deleted account', { author: null }, { authorLogin: 'ghost', authorIsBot: false }],
    [
      'a bot already spelt the REST way',
      { author: { __typename: 'Bot', login: 'x[bot]', databaseId: 5 } },
      { authorLogin: 'x[bot]', authorId: 5, authorIsBot: true }
    ],
    ['no reaction groups', { reactionGroups: null }, { thumbsDown: 0 }],
    ['a 64-bit id', { fullDatabaseId: '3189543903' }, { databaseId: 3_189_543_903 }]
  ])('%s', (_name, node, expected) => {
    expect(toThreadComment({ id: 'PRRC_x', fullDatabaseId: '1', body: 'b', createdAt: 't', ...node })).toMatchObject(
      expected
    )
  })
})

describe('resolveThread', () => {
  it('resolves the thread; the next listing shows it resolved by the action', async () => {
    const root = github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 6, body: 'finding' })
    await resolveThread(client(), github.threadIdOf(root.id))
    expect(github.threads.get(root.id)?.resolvedBy?.login).toBe('github-actions[bot]')
    const [thread] = await listReviewThreads(client(), ref)
    expect(thread).toMatchObject({ isResolved: true, resolvedBy: { login: 'github-actions[bot]', id: 41898282 } })
  })

  it('says which permission is missing when the token may only read', async () => {
    const root = github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 6, body: 'finding' })
    const threadId = github.threadIdOf(root.id)
    const error = await resolveThread(client(READ_ONLY), threadId).then(
      () => undefined,
      (caught: unknown) => caught
    )
    expect(error).toBeInstanceOf(GitHubGraphQLError)
    expect(error).toMatchObject({
      kind: 'forbidden',
      message: `GitHub's GraphQL API refused resolving review thread ${threadId}: Resource not accessible by integration (resolving review threads needs \`pull-requests: write\` and \`contents: write\` (GitHub requires both for GITHUB_TOKEN and app tokens); add them to the workflow’s \`permissions\`)`
    })
    expect((error as Error).message).not.toContain(READ_ONLY)
    expect(github.threads.get(root.id)).toBeUndefined()
  })

  it('is refused, as on GitHub, to a token with pull-requests: write but contents: read, which may still reply', async () => {
    const root = github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 6, body: 'finding' })
    const threadId = github.threadIdOf(root.id)
    github.setIdentity({ ...GITHUB_TOKEN_GRANT, contents: 'read' })
    await expect(resolveThread(client(), threadId)).rejects.toMatchObject({
      kind: 'forbidden',
      message: expect.stringContaining('`contents: write`')
    })
    await expect(replyToThread(client(), { threadId, body: 'Fixed in `abc1234`.' })).resolves.toMatchObject({
      databaseId: expect.any(Number)
    })
    expect(github.threads.get(root.id)).toBeUndefined()
  })

  it('answers not-found for a thread that does not exist', async () => {
    await expect(resolveThread(client(), 'PRRT_missing')).rejects.toMatchObject({ kind: 'not-found' })
  })
})

describe('replyToThread', () => {
  it('replies in the thread; REST lists the reply with in_reply_to_id', async () => {
    const root = github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 6, body: 'finding' })
    const created = await replyToThread(client(), { threadId: github.threadIdOf(root.id), body: 'Fixed in `abc1234`.' })
    expect(created).toEqual({ id: expect.stringMatching(/^PRRC_/), databaseId: expect.any(Number) })
    const rest = await client().rest.pulls.listReviewComments({ owner: 'octo', repo: 'demo', pull_number: 1 })
    expect(rest.data.at(-1)).toMatchObject({
      id: created.databaseId,
      node_id: created.id,
      in_reply_to_id: root.id,
      body: 'Fixed in `abc1234`.',
      user: { login: 'github-actions[bot]' }
    })
  })

  it('cuts a body over GitHub’s limit instead of failing', async () => {
    const root = github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 6, body: 'finding' })
    await replyToThread(client(), { threadId: github.threadIdOf(root.id), body: 'x'.repeat(MAX_BODY_CHARS + 500) })
    const stored = github.reviewComments.at(-1)?.body ?? ''
    expect(stored.length).toBeLessThan(MAX_BODY_CHARS)
    expect(stored).toMatch(/truncated/)
  })

  it('says which permission is missing when the token may only read', async () => {
    const root = github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 6, body: 'finding' })
    await expect(
      replyToThread(client(READ_ONLY), { threadId: github.threadIdOf(root.id), body: 'x' })
    ).rejects.toMatchObject({
      kind: 'forbidden',
      message: expect.stringContaining('`pull-requests: write`')
    })
    expect(github.reviewComments).toHaveLength(1)
  })
})
