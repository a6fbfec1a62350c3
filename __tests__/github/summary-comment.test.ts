import { createGitHubClient } from '../../src/github/client.js'
import { findSummaryComment, upsertSummaryComment } from '../../src/github/summary-comment.js'
import { startGitHubServer, type FakeGitHub } from '../../__fixtures__/servers/github-server.js'
import { SAMPLE_DIFF } from '../../__fixtures__/servers/github-sample-diffs.js'

const TOKEN = 'ghs_summarytesttoken000000000'
const ref = { owner: 'octo', repo: 'demo', pullNumber: 1 }
const marker = '<!-- codex-pr-review:summary -->'
let github: FakeGitHub

beforeEach(async () => {
  github = await startGitHubServer({
    owner: 'octo',
    repo: 'demo',
    token: TOKEN,
    pulls: [
      {
        number: 1,
        title: 't',
        body: null,
        headSha: '1'.repeat(40),
        baseSha: '2'.repeat(40),
        headRef: 'h',
        baseRef: 'main',
        diff: SAMPLE_DIFF
      }
    ]
  })
  for (let i = 0; i < 150; i++) github.addIssueComment({ pullNumber: 1, body: `chatter ${i}` })
})
afterEach(async () => github.close())

const client = () =>
  createGitHubClient({ token: TOKEN, baseUrl: github.baseUrl, throttle: { writeSpacingMs: 0, retryAfterUnitMs: 1 } })
const ours = () => github.issueComments.filter((c) => c.body.includes(marker))

describe('upsertSummaryComment', () => {
  it('creates the comment, then updates the same one on the next run', async () => {
    const api = client()
    const first = await upsertSummaryComment(api, { ref, marker, body: 'first run' })
    expect(first.action).toBe('created')
    const second = await upsertSummaryComment(api, { ref, marker, body: `${marker}\nsecond run` })
    expect(second).toEqual({ commentId: first.commentId, action: 'updated' })
    expect(ours()).toHaveLength(1)
    expect(ours()[0]?.body).toBe(`\nsecond run\n\n${marker}`)
    // The marked comment sits on page 2 of 100: the listing followed the Link header.
    const pages = github.requests.filter((r) => r.method === 'GET').map((r) => r.query.page ?? '1')
    expect(pages).toEqual(['1', '2', '1', '2'])
  })

  it('prefers the bot’s marked comment over a person quoting the marker', async () => {
    github.addIssueComment({ pullNumber: 1, body: `someone pasted ${marker}` })
    const bot = github.addIssueComment({
      pullNumber: 1,
      body: `old summary ${marker}`,
      user: { login: 'github-actions[bot]', type: 'Bot' }
    })
    expect(await findSummaryComment(client(), ref, marker)).toEqual({
      id: bot.id,
      body: `old summary ${marker}`,
      authorLogin: 'github-actions[bot]',
      authorId: 41898282
    })
    expect(await upsertSummaryComment(client(), { ref, marker, body: 'new' })).toEqual({
      commentId: bot.id,
      action: 'updated'
    })
  })

  it("never returns, and so never edits, another account's comment that carries the marker", async () => {
    const pasted = github.addIssueComment({ pullNumber: 1, body: `taken over ${marker}` })
    expect(await findSummaryComment(client(), ref, marker)).toBeNull()
    const isOurs = (author: { readonly login: string }) => author.login === 'github-actions[bot]'
    const written = await upsertSummaryComment(client(), { ref, marker, body: 'ours', isOurs })
    expect(written.action).toBe('created')
    expect(written.commentId).not.toBe(pasted.id)
    expect(pasted.body).toBe(`taken over ${marker}`)
    // A person's own summary (a personal token) is found when the caller says that person is the action.
    const mine = (author: { readonly login: string }) => author.login === 'octocat'
    expect((await findSummaryComment(client(), ref, marker, { isOurs: mine }))?.id).toBe(pasted.id)
  })

  it('finds nothing when no comment carries the marker', async () => {
    expect(await findSummaryComment(client(), ref, marker)).toBeNull()
  })

  it('does not post twice when GitHub stored the comment but answered 502', async () => {
    github.inject({
      method: 'POST',
      pathPattern: /\/comments$/,
      times: 1,
      afterHandling: true,
      status: 502,
      body: { message: 'Server Error' }
    })
    const result = await upsertSummaryComment(client(), { ref, marker, body: 'summary' })
    expect(result).toEqual({ commentId: ours()[0]?.id, action: 'created' })
    expect(ours()).toHaveLength(1)
  })

  it('posts again after a 502 when nothing was stored', async () => {
    github.inject({
      method: 'POST',
      pathPattern: /\/comments$/,
      times: 1,
      status: 502,
      body: { message: 'Server Error' }
    })
    expect((await upsertSummaryComment(client(), { ref, marker, body: 'summary' })).action).toBe('created')
    expect(ours()).toHaveLength(1)
    expect(github.requests.filter((r) => r.method === 'POST')).toHaveLength(2)
  })

  it('throws GitHub’s reason when it cannot write', async () => {
    github.inject({
      method: 'POST',
      pathPattern: /\/comments$/,
      times: 1,
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    })
    await expect(upsertSummaryComment(client(), { ref, marker, body: 'summary' })).rejects.toThrow(
      'GitHub answered 403 while writing the summary comment on pull request #1: Resource not accessible by integration'
    )
  })
})

describe('after a 5xx, GitHub may list the stored comment only a moment later', () => {
  it('waits first, then looks, then does not post again', async () => {
    let clock = 0
    const lagging = await startGitHubServer({
      owner: 'octo',
      repo: 'demo',
      token: TOKEN,
      now: () => clock,
      pulls: [
        {
          number: 1,
          title: 't',
          body: null,
          headSha: '1'.repeat(40),
          baseSha: '2'.repeat(40),
          headRef: 'h',
          baseRef: 'main',
          diff: SAMPLE_DIFF
        }
      ]
    })
    try {
      lagging.inject({
        method: 'POST',
        pathPattern: /\/comments$/,
        times: 1,
        afterHandling: true,
        listedAfterMs: 1_000,
        status: 502,
        body: { message: 'Server Error' }
      })
      const sleptAfter: number[] = []
      const api = createGitHubClient({
        token: TOKEN,
        baseUrl: lagging.baseUrl,
        throttle: { writeSpacingMs: 0, retryAfterUnitMs: 1 }
      })
      const result = await upsertSummaryComment(api, {
        ref,
        marker,
        body: 'summary',
        sleep: async (ms) => {
          sleptAfter.push(lagging.requests.length)
          clock += ms
        }
      })
      const marked = lagging.issueComments.filter((c) => c.body.includes(marker))
      expect(marked).toHaveLength(1)
      expect(result).toEqual({ commentId: marked[0]?.id, action: 'created' })
      expect(lagging.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
        'GET /repos/octo/demo/issues/1/comments',
        'POST /repos/octo/demo/issues/1/comments',
        'GET /repos/octo/demo/issues/1/comments'
      ])
      expect(sleptAfter).toEqual([2])
    } finally {
      await lagging.close()
    }
  })
})
