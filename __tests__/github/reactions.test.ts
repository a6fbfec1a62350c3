import { createGitHubClient } from '../../src/github/client.js'
import { listReviewThreads } from '../../src/github/review-threads.js'
import { buildThumbsDownQuery, COMMENTS_PER_QUERY, listThumbsDownBy, toReactor } from '../../src/github/reactions.js'
import { addCommit, createCommitGraph, pullDiffOf } from '../../__fixtures__/servers/fake-git.js'
import { startGitHubServer, type FakeGitHub } from '../../__fixtures__/servers/github-server.js'
import { userIdOf } from '../../__fixtures__/servers/github-shapes.js'

const TOKEN = 'ghs_reactionstesttoken00000000'
const ALICE = { login: 'alice', type: 'User' as const }
const RENOVATE = { login: 'renovate[bot]', type: 'Bot' as const }
let github: FakeGitHub

beforeEach(async () => {
  const graph = createCommitGraph()
  const base = addCommit(graph, { parents: [], changes: { 'a.ts': 'one\n' } })
  const head = addCommit(graph, { parents: [base], changes: { 'a.ts': 'one\ntwo\nthree\n' } })
  github = await startGitHubServer({
    owner: 'octo',
    repo: 'demo',
    token: TOKEN,
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

const client = () =>
  createGitHubClient({ token: TOKEN, baseUrl: github.baseUrl, throttle: { writeSpacingMs: 0, retryAfterUnitMs: 1 } })

describe('listThumbsDownBy', () => {
  it('names who gave each comment a 👎, bots in REST spelling, other reactions ignored', async () => {
    const first = github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 2, body: 'finding' })
    const second = github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 3, body: 'other' })
    github.addReaction({ commentId: first.id, content: 'THUMBS_DOWN', user: ALICE })
    github.addReaction({ commentId: first.id, content: 'THUMBS_DOWN', user: RENOVATE })
    github.addReaction({ commentId: first.id, content: 'HEART', user: { login: 'carol', type: 'User' } })
    const threads = await listReviewThreads(client(), { owner: 'octo', repo: 'demo', pullNumber: 1 })
    const ids = threads.map((thread) => thread.comments[0]?.id ?? '')
    const reactors = await listThumbsDownBy(client(), ids)
    expect(reactors.get(ids[0] ?? '')).toEqual([
      { login: 'alice', id: userIdOf(ALICE), type: 'User' },
      { login: 'renovate[bot]', id: userIdOf(RENOVATE), type: 'Bot' }
    ])
    expect(reactors.get(ids[1] ?? '')).toEqual([])
    expect(second.id).toBeGreaterThan(first.id)
  })

  it('asks in batches of 50 and not at all for no comment', async () => {
    const comments = Array.from({ length: COMMENTS_PER_QUERY + 1 }, (_, index) =>
      github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 2, body: `finding ${index}` })
    )
    const threads = await listReviewThreads(client(), { owner: 'octo', repo: 'demo', pullNumber: 1 })
    const before = github.requests.length
    const reactors = await listThumbsDownBy(
      client(),
      threads.map((thread) => thread.comments[0]?.id ?? '')
    )
    expect(reactors.size).toBe(comments.length)
    expect(github.requests.length - before).toBe(2)
    expect((await listThumbsDownBy(client(), [])).size).toBe(0)
  })

  it('passes ids as variables, never as query text', () => {
    expect(buildThumbsDownQuery(2)).toContain('c1: node(id: $c1)')
  })

  it.each([
    ['no login', { __typename: 'User' }, undefined],
    ['a user', { __typename: 'User', login: 'a', databaseId: 3 }, { login: 'a', id: 3, type: 'User' }],
    ['a bot', { __typename: 'Bot', login: 'b', databaseId: 4 }, { login: 'b[bot]', id: 4, type: 'Bot' }],
    [
      'an organization without id',
      { __typename: 'Organization', login: 'o' },
      { login: 'o', id: null, type: 'Organization' }
    ]
  ])('toReactor: %s', (_name, node, expected) => {
    expect(toReactor(node)).toEqual(expected)
  })
})
