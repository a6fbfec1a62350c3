import { createGitHubClient } from '../../src/github/client.js'
import { compareCommits, fetchCompareDiff } from '../../src/github/compare.js'
import { parseUnifiedDiff } from '../../src/diff/parse.js'
import { addCommit, createCommitGraph, pullDiffOf, type FakeCommitGraph } from '../../__fixtures__/servers/fake-git.js'
import { startGitHubServer, type FakeGitHub } from '../../__fixtures__/servers/github-server.js'

const TOKEN = 'ghs_comparetesttoken000000000'
const ref = { owner: 'octo', repo: 'demo' }
let github: FakeGitHub
let graph: FakeCommitGraph
let shas: Record<'base' | 'one' | 'two' | 'fork' | 'orphan', string>

beforeEach(async () => {
  graph = createCommitGraph()
  const base = addCommit(graph, { parents: [], changes: { 'a.ts': 'a\nb\nc\n' } })
  const one = addCommit(graph, { parents: [base], changes: { 'a.ts': 'a\nB\nc\n' } })
  const two = addCommit(graph, { parents: [one], changes: { 'b.ts': 'new\n' } })
  const fork = addCommit(graph, { parents: [base], changes: { 'c.ts': 'other\n' } })
  const orphan = addCommit(graph, { parents: [], changes: { 'z.ts': 'z\n' } })
  shas = { base, one, two, fork, orphan }
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
        headSha: two,
        baseSha: base,
        headRef: 'h',
        baseRef: 'main',
        diff: pullDiffOf(graph, base, two)
      }
    ]
  })
})
afterEach(async () => github.close())

const client = () =>
  createGitHubClient({ token: TOKEN, baseUrl: github.baseUrl, throttle: { writeSpacingMs: 0, retryAfterUnitMs: 1 } })

describe('compareCommits', () => {
  it.each([
    ['ahead', 'one', 'two', { status: 'ahead', aheadBy: 1, behindBy: 0 }],
    ['ahead by two', 'base', 'two', { status: 'ahead', aheadBy: 2, behindBy: 0 }],
    ['behind', 'two', 'one', { status: 'behind', aheadBy: 0, behindBy: 1 }],
    ['diverged', 'two', 'fork', { status: 'diverged', aheadBy: 1, behindBy: 2 }],
    ['identical', 'one', 'one', { status: 'identical', aheadBy: 0, behindBy: 0 }]
  ] as const)('reports %s', async (_name, base, head, expected) => {
    expect(await compareCommits(client(), { ref, base: shas[base], head: shas[head] })).toEqual({
      kind: 'compared',
      ...expected
    })
  })

  it('asks for the status with one commit per page', async () => {
    await compareCommits(client(), { ref, base: shas.one, head: shas.two })
    const request = github.requests.find((r) => r.path.includes('/compare/'))
    expect(request?.path).toBe(`/repos/octo/demo/compare/${shas.one}...${shas.two}`)
    expect(request?.query.per_page).toBe('1')
  })

  it('says "no common ancestor" for unrelated histories', async () => {
    expect(await compareCommits(client(), { ref, base: shas.two, head: shas.orphan })).toEqual({
      kind: 'no-common-ancestor',
      message: `No common ancestor between ${shas.two} and ${shas.orphan}.`
    })
  })

  it('says "not found" for a commit GitHub does not have', async () => {
    expect(await compareCommits(client(), { ref, base: 'f'.repeat(40), head: shas.two })).toEqual({
      kind: 'not-found',
      message: 'Not Found'
    })
  })

  it('reports other errors without throwing', async () => {
    github.inject({
      method: 'GET',
      pathPattern: /\/compare\//,
      times: 5,
      status: 502,
      body: { message: 'Bad Gateway' }
    })
    const result = await compareCommits(client(), { ref, base: shas.one, head: shas.two })
    expect(result).toMatchObject({ kind: 'failed' })
    expect(result.kind === 'failed' && result.message).toMatch(/502/)
  })
})

describe('fetchCompareDiff', () => {
  it('returns the diff of the new commits only', async () => {
    const result = await fetchCompareDiff(client(), { ref, base: shas.one, head: shas.two })
    expect(result.ok).toBe(true)
    const text = result.ok ? result.text : ''
    expect(parseUnifiedDiff(text).map((file) => file.path)).toEqual(['b.ts'])
    const request = github.requests.filter((r) => r.path.includes('/compare/')).pop()
    expect(request?.headers.accept).toMatch(/application\/vnd\.github\.v3\.diff|application\/vnd\.github\.diff/)
  })

  it('reports a diff GitHub will not produce (406) as too large', async () => {
    const many = Object.fromEntries(Array.from({ length: 301 }, (_, index) => [`f${index}.txt`, `${index}\n`]))
    const big = addCommit(graph, { parents: [shas.two], changes: many })
    expect(await fetchCompareDiff(client(), { ref, base: shas.two, head: big })).toEqual({
      ok: false,
      comparison: { kind: 'too-large', message: 'Sorry, the diff exceeded the maximum number of files (300)' }
    })
  })
})
