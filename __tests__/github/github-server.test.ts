/**
 * The fake GitHub itself: if it accepted what GitHub refuses, the adapter's tests would prove nothing.
 * Plain fetch, no Octokit.
 */
import { startGitHubServer, type FakeGitHub } from '../../__fixtures__/servers/github-server.js'
import { parseFakeDiff } from '../../__fixtures__/servers/diff-hunks.js'
import { SAMPLE_APP_PATCH, SAMPLE_DIFF, buildManyFilesDiff } from '../../__fixtures__/servers/github-sample-diffs.js'

const TOKEN = 'test-token-server'
const HEAD = 'a'.repeat(40)
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
        headSha: HEAD,
        baseSha: 'b'.repeat(40),
        headRef: 'h',
        baseRef: 'main',
        diff: SAMPLE_DIFF
      },
      {
        number: 2,
        title: 'many',
        body: null,
        headSha: HEAD,
        baseSha: 'b'.repeat(40),
        headRef: 'h',
        baseRef: 'main',
        diff: buildManyFilesDiff({ count: 45 })
      }
    ]
  })
})
afterEach(async () => github.close())

async function call(
  method: string,
  path: string,
  body?: unknown,
  token = TOKEN
): Promise<{ status: number; json: unknown; headers: Headers }> {
  const response = await fetch(`${github.baseUrl}${path}`, {
    method,
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  return { status: response.status, json: await response.json(), headers: response.headers }
}

const postReview = (body: unknown) => call('POST', '/repos/octo/demo/pulls/1/reviews', body)
const comment = (fields: Record<string, unknown>) => ({
  event: 'COMMENT',
  body: 'b',
  comments: [{ path: 'src/app.ts', body: 'c', ...fields }]
})

describe('the fake diff parser', () => {
  it('reads files, statuses, hunks and commentable lines like GitHub', () => {
    const [app, logo, renamed] = parseFakeDiff(SAMPLE_DIFF)
    expect(app).toMatchObject({
      filename: 'src/app.ts',
      status: 'modified',
      additions: 3,
      deletions: 2,
      binary: false,
      patch: SAMPLE_APP_PATCH
    })
    expect(app?.hunks.map((h) => [...h.right])).toEqual([
      [1, 2, 3, 4, 5, 6],
      [21, 22, 23]
    ])
    expect(app?.hunks.map((h) => [...h.left])).toEqual([
      [1, 2, 3, 4, 5],
      [20, 21, 22]
    ])
    expect(logo).toMatchObject({ filename: 'logo.png', status: 'added', binary: true, hunks: [] })
    expect(renamed).toMatchObject({
      filename: 'new-name.ts',
      previousFilename: 'old-name.ts',
      status: 'renamed',
      hunks: []
    })
  })
})

describe('review validation', () => {
  it.each([
    ['a RIGHT added line', { line: 3 }],
    ['a RIGHT context line', { line: 6 }],
    ['a LEFT deleted line', { line: 21, side: 'LEFT' }],
    ['a range in one hunk', { start_line: 1, line: 4 }]
  ])('stores a review with a comment on %s', async (_name, fields) => {
    const reply = await postReview(comment(fields))
    expect(reply.status).toBe(200)
    expect(github.reviews).toHaveLength(1)
    expect(github.reviewComments).toHaveLength(1)
  })

  it.each([
    ['a line outside every hunk', { line: 10 }, 'Pull request review thread line must be part of the diff'],
    ['a number just past a hunk on RIGHT', { line: 24 }, 'Pull request review thread line must be part of the diff'],
    [
      'an added-only number on LEFT',
      { line: 23, side: 'LEFT' },
      'Pull request review thread line must be part of the diff'
    ],
    ['a path not in the diff', { path: 'nope.ts', line: 1 }, 'Pull request review thread path is invalid'],
    ['a binary file', { path: 'logo.png', line: 1 }, "Pull request review thread diff hunk can't be blank"],
    [
      'a range across hunks',
      { start_line: 5, line: 22 },
      'Pull request review thread start line must be part of the same hunk as the line.'
    ],
    [
      'start_line equal to line',
      { start_line: 3, line: 3 },
      'pull_request_review_thread.start_line must precede the end line.'
    ]
  ])('rejects the whole review for %s', async (_name, fields, message) => {
    const good = { path: 'src/app.ts', body: 'fine', line: 2 }
    const request = comment(fields)
    const reply = await postReview({ ...request, comments: [good, ...request.comments] })
    expect(reply.status).toBe(422)
    expect(reply.json).toMatchObject({ message: 'Unprocessable Entity', errors: [message] })
    expect(github.reviews).toHaveLength(0)
    expect(github.reviewComments).toHaveLength(0)
  })

  it('refuses APPROVE from GitHub Actions but records the attempt', async () => {
    const reply = await postReview({ event: 'APPROVE', body: 'ok' })
    expect(reply.json).toMatchObject({ errors: ['GitHub Actions is not permitted to approve pull requests.'] })
    expect(github.reviews).toHaveLength(0)
    expect(github.requests.filter((r) => r.method === 'POST')).toHaveLength(1)
  })

  it('refuses a body over 65,536 characters, an empty COMMENT body and an unknown commit', async () => {
    const long = await postReview({ event: 'COMMENT', body: 'x'.repeat(65_537) })
    expect(long.json).toMatchObject({ errors: [{ message: 'Body is too long (maximum is 65536 characters)' }] })
    expect((await postReview({ event: 'COMMENT' })).status).toBe(422)
    expect((await postReview({ event: 'COMMENT', body: 'b', commit_id: 'c'.repeat(40) })).status).toBe(422)
    expect((await postReview({ event: 'COMMENT', body: 'x'.repeat(65_536), commit_id: HEAD })).status).toBe(200)
  })
})

describe('HTTP behaviour', () => {
  it('pages with per_page and page, and links next/last like GitHub', async () => {
    const first = await call('GET', '/repos/octo/demo/pulls/2/files?per_page=20')
    expect(first.json).toHaveLength(20)
    const link = first.headers.get('link') ?? ''
    expect(link).toContain(`<${github.baseUrl}/repos/octo/demo/pulls/2/files?per_page=20&page=2>; rel="next"`)
    expect(link).toContain('page=3>; rel="last"')
    const last = await call('GET', '/repos/octo/demo/pulls/2/files?per_page=20&page=3')
    expect(last.json).toHaveLength(5)
    expect(last.headers.get('link')).not.toContain('rel="next"')
    expect((await call('GET', '/repos/octo/demo/pulls/2/files')).json).toHaveLength(30)
  })

  it('answers 401 to a wrong token, 404 to unknown paths, with rate-limit headers', async () => {
    const denied = await call('GET', '/repos/octo/demo/pulls/1', undefined, 'wrong')
    expect(denied.status).toBe(401)
    expect(denied.json).toMatchObject({ message: 'Bad credentials' })
    const missing = await call('GET', '/repos/octo/other/pulls/1')
    expect(missing.status).toBe(404)
    expect(missing.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/)
    expect(missing.headers.get('x-github-request-id')).toBeTruthy()
    expect(github.requests.every((r) => !('authorization' in r.headers))).toBe(true)
  })

  it('answers injected faults, before or after doing the work', async () => {
    github.inject({ method: 'POST', pathPattern: /\/reviews$/, times: 1, status: 502, afterHandling: true })
    github.inject({ method: 'GET', pathPattern: /\/pulls\/1$/, times: 1, status: 503 })
    expect((await postReview({ event: 'COMMENT', body: 'b' })).status).toBe(502)
    expect(github.reviews).toHaveLength(1)
    expect((await call('GET', '/repos/octo/demo/pulls/1')).status).toBe(503)
    expect((await call('GET', '/repos/octo/demo/pulls/1')).status).toBe(200)
  })
})
