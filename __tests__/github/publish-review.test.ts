import { createGitHubClient } from '../../src/github/client.js'
import {
  MAX_BODY_CHARS,
  REVIEW_MARKER_PREFIX,
  buildFallbackBody,
  createRunMarker,
  fitBody,
  publishReview
} from '../../src/github/publish-review.js'
import type { ReviewComment } from '../../src/types.js'
import {
  SECONDARY_RATE_LIMIT_MESSAGE,
  startGitHubServer,
  type FakeGitHub
} from '../../__fixtures__/servers/github-server.js'
import { SAMPLE_DIFF } from '../../__fixtures__/servers/github-sample-diffs.js'

const TOKEN = 'ghs_publishtesttoken000000000'
const HEAD = '1'.repeat(40)
const ref = { owner: 'octo', repo: 'demo', pullNumber: 1 }
const runMarker = createRunMarker('run-42')
const good: ReviewComment[] = [
  { path: 'src/app.ts', line: 3, side: 'RIGHT', body: 'b is unused' },
  {
    path: 'src/app.ts',
    line: 4,
    side: 'RIGHT',
    startLine: 2,
    startSide: 'RIGHT',
    body: 'range\n```suggestion\nconst a = 3\n```'
  },
  { path: 'src/app.ts', line: 22, side: 'RIGHT', startLine: 22, body: 'same start and end line' }
]
const outsideHunk: ReviewComment = { path: 'src/app.ts', line: 10, side: 'RIGHT', body: 'not in the diff' }
let github: FakeGitHub
let waits: number[]

beforeEach(async () => {
  waits = []
  github = await startGitHubServer({
    owner: 'octo',
    repo: 'demo',
    token: TOKEN,
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

const publish = (comments: readonly ReviewComment[], overrides: { token?: string; body?: string } = {}) =>
  publishReview(
    createGitHubClient({
      token: overrides.token ?? TOKEN,
      baseUrl: github.baseUrl,
      throttle: { writeSpacingMs: 0, retryAfterUnitMs: 1 }
    }),
    {
      ref,
      commitId: HEAD,
      body: overrides.body ?? 'Summary of the review',
      comments,
      runMarker,
      sleep: async (ms) => void waits.push(ms)
    }
  )
const posts = () => github.requests.filter((r) => r.method === 'POST')
const serverError = { status: 502, body: { message: 'Server Error' } }

describe('publishReview', () => {
  it('posts one COMMENT review pinned to the commit, with every comment inline', async () => {
    const result = await publish(good)
    expect(result).toEqual({ reviewId: github.reviews[0]?.id, postedInline: 3, movedToBody: [] })
    expect(posts()).toHaveLength(1)
    expect(posts()[0]?.body).toMatchObject({ event: 'COMMENT', commit_id: HEAD })
    const [review] = github.reviews
    expect(review?.body).toContain('Summary of the review')
    expect(review?.body.endsWith(runMarker)).toBe(true)
    expect(review?.comments.map((c) => [c.path, c.side, c.startLine, c.line])).toEqual([
      ['src/app.ts', 'RIGHT', null, 3],
      ['src/app.ts', 'RIGHT', 2, 4],
      ['src/app.ts', 'RIGHT', null, 22]
    ])
    expect(github.reviewComments).toHaveLength(3)
  })

  it('posts a review with no comments', async () => {
    expect(await publish([])).toMatchObject({ postedInline: 0, movedToBody: [] })
    expect(github.reviews).toHaveLength(1)
  })

  it('after a 422 on a comment, posts once more without inline comments, listing them in the body', async () => {
    const result = await publish([...good, outsideHunk])
    expect(result).toMatchObject({ reviewId: github.reviews[0]?.id, postedInline: 0, fallback: 'without-inline' })
    expect(result.error).toContain('Pull request review thread line must be part of the diff')
    expect(result.movedToBody).toEqual([...good, outsideHunk])
    expect(github.reviews).toHaveLength(1)
    expect(github.reviewComments).toHaveLength(0)
    const body = github.reviews[0]?.body ?? ''
    expect(body).toContain('- **`src/app.ts:10`** — not in the diff')
    expect(body).toContain('- **`src/app.ts:2-4`** — range\n  ```suggestion\n  const a = 3\n  ```')
    expect(body).toContain(runMarker)
    expect(posts().map((r) => (r.body as { comments: unknown[] }).comments.length)).toEqual([4, 0])
  })

  it('does not post again when GitHub stored the review but answered 502', async () => {
    github.inject({ method: 'POST', pathPattern: /\/reviews$/, times: 1, afterHandling: true, ...serverError })
    const result = await publish(good)
    expect(result).toEqual({ reviewId: github.reviews[0]?.id, postedInline: 3, movedToBody: [] })
    expect(github.reviews).toHaveLength(1)
    expect(posts()).toHaveLength(1)
    expect(github.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/reviews'))).toHaveLength(1)
  })

  it('posts again after a 502 when the review was not stored', async () => {
    github.inject({ method: 'POST', pathPattern: /\/reviews$/, times: 1, ...serverError })
    expect(await publish(good)).toMatchObject({ postedInline: 3 })
    expect(github.reviews).toHaveLength(1)
    expect(posts()).toHaveLength(2)
    expect(waits).toEqual([2_000])
  })

  it('after a secondary-limit refusal, waits retry-after, checks, then posts once', async () => {
    github.inject({
      method: 'POST',
      pathPattern: /\/reviews$/,
      times: 1,
      status: 403,
      headers: { 'retry-after': '7' },
      body: { message: SECONDARY_RATE_LIMIT_MESSAGE }
    })
    expect(await publish(good)).toMatchObject({ postedInline: 3 })
    expect(github.reviews).toHaveLength(1)
    expect(posts()).toHaveLength(2)
    expect(waits).toEqual([7_000])
  })

  it('gives up after three transient failures, with the status in the error', async () => {
    github.inject({ method: 'POST', pathPattern: /\/reviews$/, times: 5, ...serverError })
    const result = await publish(good)
    expect(result).toMatchObject({ reviewId: null, postedInline: 0, movedToBody: [] })
    expect(result.error).toMatch(/GitHub answered 502 while creating the review/)
    expect(posts()).toHaveLength(3)
  })

  it('does not post again when it cannot tell whether the review was stored', async () => {
    github.inject({ method: 'POST', pathPattern: /\/reviews$/, times: 1, ...serverError })
    github.inject({ method: 'GET', pathPattern: /\/reviews$/, times: 5, ...serverError })
    expect(await publish(good)).toMatchObject({ reviewId: null })
    expect(posts()).toHaveLength(1)
  })

  it('reports a 401 without retrying and without the token', async () => {
    const result = await publish(good, { token: 'ghs_notthetoken000000000000000' })
    expect(result).toMatchObject({ reviewId: null })
    expect(result.error).toMatch(/401.*Bad credentials/)
    expect(result.error).not.toContain('ghs_')
    expect(github.requests).toHaveLength(1)
  })

  it('cuts an oversized body to GitHub’s limit, keeping the marker', async () => {
    await publish([], { body: 'x'.repeat(70_000) })
    const body = github.reviews[0]?.body ?? ''
    expect(body.length).toBeLessThan(MAX_BODY_CHARS)
    expect(body).toContain('truncated')
    expect(body.endsWith(runMarker)).toBe(true)
  })
})

describe('review bodies', () => {
  it('makes a marker with the prefix and only safe characters', () => {
    expect(createRunMarker('12/3 -->x')).toBe(`${REVIEW_MARKER_PREFIX} run=12_3_--_x -->`)
  })

  it.each([
    ['short text', 10, false],
    ['text at the limit', MAX_BODY_CHARS - 1 - runMarker.length - 2, false],
    ['text over the limit', MAX_BODY_CHARS, true]
  ])('fits %s under the limit', (_name, length, cut) => {
    const fitted = fitBody({ text: 'y'.repeat(length), marker: runMarker })
    expect(fitted.length).toBeLessThan(MAX_BODY_CHARS)
    expect(fitted.endsWith(runMarker)).toBe(true)
    expect(fitted.includes('truncated')).toBe(cut)
  })

  it('lists as many moved comments as fit and counts the rest', () => {
    const many = Array.from({ length: 100 }, (_, i): ReviewComment => ({
      path: `f${i}.ts`,
      line: 1,
      side: 'RIGHT',
      body: 'z'.repeat(1_000)
    }))
    const body = buildFallbackBody({ body: `intro ${runMarker}`, comments: many, runMarker })
    expect(body.length).toBeLessThan(MAX_BODY_CHARS)
    expect(body).toMatch(/… and \d+ more \(the review body limit was reached\)/)
    expect(body.split(runMarker)).toHaveLength(2)
  })
})

describe('hostile file names in the fallback body', () => {
  /** Markdown outside code spans: where GitHub would find mentions, comments and tags. */
  const outsideCode = (markdown: string): string => markdown.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, '')

  it.each([
    ['a backtick breaking out to a team mention', 'docs/a` @octo-org/security-team `b.md'],
    ['an HTML comment hiding the rest', 'docs/<!-- hide.md'],
    ['a tag', 'x</details><img src=x onerror=alert(1)>.md'],
    ['a mention', 'docs/@alice.md'],
    ['runs of backticks and a newline', 'a```b``c\n@bob.md'],
    ['a forged marker', 'f <!-- codex-pr-review:review run=forged -->.ts']
  ])('%s: %j stays inside one code span', (_label, path) => {
    const comment: ReviewComment = { path, line: 3, side: 'RIGHT', body: 'finding text' }
    const body = buildFallbackBody({ body: 'intro', comments: [comment], runMarker })
    const item = body.split('\n').find((line) => line.startsWith('- **')) ?? ''
    // One list item on one line, its location a code span, followed by the comment's own text.
    expect(item).toMatch(/^- \*\*(`+).+\1\*\* — finding text$/)
    const visible = outsideCode(body.replace(runMarker, ''))
    expect(visible).not.toMatch(/(?<![A-Za-z0-9_])@[A-Za-z0-9]/)
    expect(visible).not.toContain('<')
    expect(body.replace(runMarker, '')).not.toContain('<!--')
    expect(body.split(runMarker)).toHaveLength(2)
  })
})

describe('after a 5xx, GitHub may list the stored review only a moment later', () => {
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
          headSha: HEAD,
          baseSha: '2'.repeat(40),
          headRef: 'h',
          baseRef: 'main',
          diff: SAMPLE_DIFF
        }
      ]
    })
    try {
      // Stored, answered 502, and listed one second later.
      lagging.inject({
        method: 'POST',
        pathPattern: /\/reviews$/,
        times: 1,
        afterHandling: true,
        listedAfterMs: 1_000,
        ...serverError
      })
      const sleptAfter: number[] = []
      const api = createGitHubClient({
        token: TOKEN,
        baseUrl: lagging.baseUrl,
        throttle: { writeSpacingMs: 0, retryAfterUnitMs: 1 }
      })
      const result = await publishReview(api, {
        ref,
        commitId: HEAD,
        body: 'Summary',
        comments: good,
        runMarker,
        sleep: async (ms) => {
          sleptAfter.push(lagging.requests.length)
          clock += ms
        }
      })
      expect(lagging.reviews).toHaveLength(1)
      expect(result).toEqual({ reviewId: lagging.reviews[0]?.id, postedInline: 3, movedToBody: [] })
      expect(lagging.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
        'POST /repos/octo/demo/pulls/1/reviews',
        'GET /repos/octo/demo/pulls/1/reviews'
      ])
      // The wait came between the failed POST and the look.
      expect(sleptAfter).toEqual([1])
    } finally {
      await lagging.close()
    }
  })
})
