import { createGitHubClient } from '../../src/github/client.js'
import { listPostedFindings } from '../../src/github/existing-comments.js'
import { renderFindingMarker } from '../../src/review/finding-marker.js'
import { addCommit, createCommitGraph, pullDiffOf } from '../../__fixtures__/servers/fake-git.js'
import { startGitHubServer, type FakeGitHub } from '../../__fixtures__/servers/github-server.js'

const TOKEN = 'ghs_commentstesttoken00000000'
const ref = { owner: 'octo', repo: 'demo', pullNumber: 1 }
const lines = (count: number): string =>
  Array.from({ length: count }, (_, index) => `line ${index + 1}`).join('\n') + '\n'
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
const marker = (fingerprint: string) => renderFindingMarker({ fingerprint, severity: 'high' })

describe('listPostedFindings', () => {
  it('reads every page and keeps only comments with a finding marker', async () => {
    for (let index = 0; index < 120; index++) {
      github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 6, body: `note ${index}` })
    }
    github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 7, body: `**High**\n\n${marker('0123456789ab')}` })
    const posted = await listPostedFindings(client(), ref)
    expect(posted).toEqual([
      expect.objectContaining({
        path: 'a.ts',
        line: 7,
        originalLine: 7,
        fingerprint: '0123456789ab',
        authorIsBot: true,
        authorLogin: 'github-actions[bot]'
      })
    ])
    const pages = github.requests.filter((r) => r.path.endsWith('/comments')).map((r) => r.query.page ?? '1')
    expect(pages).toEqual(['1', '2'])
  })

  it('moves a comment with its code and reports an outdated one with line null and its original line', async () => {
    github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 6, body: marker('aaaaaaaaaaaa') })
    github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 7, body: marker('bbbbbbbbbbbb') })
    // Two lines inserted above, and the line under the second comment rewritten.
    github.pushCommit({
      pullNumber: 1,
      changes: {
        'a.ts': lines(20)
          .replace('line 1\n', 'top\ntop2\nline 1\n')
          .replace('line 5\n', 'line 5\nadded one\nadded TWO\n')
      }
    })
    const posted = await listPostedFindings(client(), ref)
    expect(posted.map((p) => [p.fingerprint, p.line, p.originalLine])).toEqual([
      ['aaaaaaaaaaaa', 8, 6],
      ['bbbbbbbbbbbb', null, 7]
    ])
  })

  it('keeps who wrote each comment, so a copied marker can be told apart', async () => {
    github.addReviewComment({
      pullNumber: 1,
      path: 'a.ts',
      line: 6,
      body: marker('aaaaaaaaaaaa'),
      user: { login: 'mallory', type: 'User' }
    })
    expect(await listPostedFindings(client(), ref)).toEqual([
      expect.objectContaining({ authorLogin: 'mallory', authorIsBot: false })
    ])
  })

  it('names the pull request when the list cannot be read', async () => {
    github.inject({
      method: 'GET',
      pathPattern: /\/pulls\/1\/comments$/,
      times: 1,
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    })
    await expect(listPostedFindings(client(), ref)).rejects.toThrow(
      /403 while listing the review comments of pull request #1: Resource not accessible/
    )
  })
})
