/**
 * GitHub's side end to end: a model that cites wrong lines and paths must never cost a 422, GitHub's rate
 * limits and 5xx answers are waited out, a 422 on the review still leaves the findings posted, and
 * GitHub Enterprise Server's `/api/v3` prefix works.
 */
import { readFileSync } from 'node:fs'
import { readSentDiff, type ScriptedFinding } from '../../__fixtures__/model/scripted-reviewer.js'
import { makePull, startScenario, type Scenario } from '../../__fixtures__/e2e/scenario.js'
import { commentableRightLines } from '../../__fixtures__/e2e/commentable.js'
import { SECONDARY_RATE_LIMIT_MESSAGE } from '../../__fixtures__/servers/github-server.js'
import { findingsResponse, type RecordedRequest } from '../../__fixtures__/servers/responses-server.js'

const SAMPLE_DIFF = readFileSync(new URL('../../__fixtures__/e2e/sample-pr.diff', import.meta.url), 'utf8')

function finding(path: string, line: number, title: string, startLine: number | null = null): ScriptedFinding {
  return {
    path,
    line,
    start_line: startLine,
    severity: 'medium',
    category: 'bug',
    title,
    body: `About ${title}.`,
    replacement: null
  }
}

/** One right citation and every way a model gets a citation wrong, each with its own title. */
function citeWrongly(request: RecordedRequest): { overview: string; findings: ScriptedFinding[] } {
  const added = readSentDiff(request).filter((line) => line.kind === '+')
  const first = added[0]
  if (first === undefined) return { overview: 'Nothing.', findings: [] }
  const { path, line } = first
  const base = path.split('/').pop() ?? path
  const findings = [
    finding(path, line, 'W00 exact line'),
    finding(path, line + 100_000, 'W01 far outside the diff'),
    finding(path, 0, 'W02 line zero'),
    finding(path, line, 'W03 range starting after its end', line + 5),
    finding(path, line + 1, 'W04 range reaching into another hunk', 1),
    finding(path, line + 2, 'W05 two lines off', null),
    finding(path, 5_000, 'W06 range far outside', 4_990),
    finding(`a/${path}`, line, 'W07 git a/ prefix'),
    finding(`./${path}`, line, 'W08 dot-slash prefix'),
    finding(base, line, 'W09 bare file name'),
    finding(path.toUpperCase(), line, 'W10 wrong case'),
    finding('no/such/file.ts', 3, 'W11 file not in the diff'),
    finding('package-lock.json', 3, 'W12 a skipped lockfile'),
    finding('src/removed.ts', 1, 'W13 a deleted file'),
    finding('docs/logo.png', 1, 'W14 a binary file'),
    finding('src/new-name.ts', 1, 'W15 a rename without changes'),
    finding('src/old-name.ts', 1, 'W16 the old name of a rename'),
    finding(`${path}/`, line, 'W17 trailing slash'),
    finding(path, line, 'W18 a second comment on the same line'),
    finding(path, line - 1, 'W19 one line before the hunk')
  ]
  return { overview: 'Cited carelessly.', findings }
}

const TITLES = Array.from({ length: 20 }, (_, index) => `W${String(index).padStart(2, '0')} `)

describe('GitHub, end to end', () => {
  let scenario: Scenario
  afterEach(async () => scenario?.close())

  const posted = (): string =>
    [
      ...scenario.github.reviews.flatMap((review) => [review.body, ...review.comments.map((comment) => comment.body)]),
      ...scenario.github.issueComments.map((comment) => comment.body)
    ].join('\n')
  const reviewPosts = () => scenario.github.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/reviews'))

  it('never lets wrong lines or paths cause a 422, and shows every finding inline or in the summary', async () => {
    scenario = await startScenario({
      pull: makePull(SAMPLE_DIFF),
      handler: (request) => ({ body: findingsResponse(citeWrongly(request)) })
    })
    const step = await scenario.run({ inputs: { 'max-chunk-tokens': '256', 'max-comments': '200' } })

    expect(step.exitCode).toBeUndefined()
    // One POST, accepted as sent: the fake validates like GitHub, so any bad comment would have cost a 422 and a second POST.
    expect(reviewPosts()).toHaveLength(1)
    const review = scenario.github.reviews[0]
    expect(review?.comments.length).toBeGreaterThan(0)
    const commentable = commentableRightLines(SAMPLE_DIFF)
    for (const comment of review?.comments ?? []) {
      expect(commentable.get(comment.path)?.has(comment.line)).toBe(true)
      if (comment.startLine !== null) expect(commentable.get(comment.path)?.has(comment.startLine)).toBe(true)
    }
    const text = posted()
    const chunks = Number(scenario.workspace.outputs().chunks)
    for (const title of TITLES) {
      // Each chunk cited it once; nothing is silently dropped (only exact duplicates are merged).
      expect(text).toContain(title)
    }
    expect(chunks).toBeGreaterThan(1)
    expect(step.log).not.toMatch(/422|Unprocessable/)
  })

  it('waits out secondary rate limits, 429s and 502s, on reads and writes, and posts once', async () => {
    scenario = await startScenario({
      pull: makePull(SAMPLE_DIFF),
      handler: (request) => ({
        body: findingsResponse({ overview: 'ok', findings: [citeWrongly(request).findings[0]!] })
      })
    })
    const secondary = {
      status: 403,
      headers: { 'retry-after': '1' },
      body: {
        message: SECONDARY_RATE_LIMIT_MESSAGE,
        documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api'
      }
    }
    const badGateway = { status: 502, body: { message: 'Server Error' } }
    scenario.github.inject({ method: 'GET', pathPattern: /\/pulls\/17$/, times: 1, ...secondary })
    scenario.github.inject({ method: 'GET', pathPattern: /\/pulls\/17$/, times: 1, ...badGateway })
    scenario.github.inject({
      method: 'GET',
      pathPattern: /\/issues\/17\/comments$/,
      times: 1,
      status: 429,
      headers: { 'retry-after': '1' },
      body: { message: 'API rate limit exceeded' }
    })
    scenario.github.inject({ method: 'POST', pathPattern: /\/issues\/17\/comments$/, times: 1, ...secondary })

    const step = await scenario.run()

    expect(step.exitCode).toBeUndefined()
    expect(scenario.github.reviews).toHaveLength(1)
    expect(reviewPosts()).toHaveLength(1)
    expect(scenario.github.issueComments).toHaveLength(1)
    expect(step.log).toMatch(/GitHub secondary rate limit on GET [^\n]*retrying in 1 s/)
    expect(step.log).toMatch(
      /GitHub secondary rate limit on POST [^\n]*issues\/\{issue_number\}\/comments; retrying in 1 s/
    )
    // Each faulty read was asked again: the PR twice (403, then 502), the comment list after its 429.
    const gets = (pattern: RegExp) =>
      scenario.github.requests.filter((r) => r.method === 'GET' && pattern.test(r.path)).length
    expect(gets(/\/pulls\/17$/)).toBeGreaterThanOrEqual(4)
    expect(gets(/\/issues\/17\/comments$/)).toBeGreaterThanOrEqual(2)
  })

  it('posts the review without inline comments after a 422, with the findings in its body, and says so', async () => {
    scenario = await startScenario({
      pull: makePull(SAMPLE_DIFF),
      handler: (request) => ({
        body: findingsResponse({ overview: 'ok', findings: citeWrongly(request).findings.slice(0, 1) })
      })
    })
    scenario.github.inject({
      method: 'POST',
      pathPattern: /\/pulls\/17\/reviews$/,
      times: 1,
      status: 422,
      body: {
        message: 'Unprocessable Entity',
        errors: ['Pull request review thread line must be part of the diff'],
        documentation_url: 'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request',
        status: '422'
      }
    })
    const step = await scenario.run()

    expect(step.exitCode).toBeUndefined()
    const posts = reviewPosts()
    expect(posts).toHaveLength(2)
    expect((posts[1]?.body as { comments?: unknown[] }).comments ?? []).toHaveLength(0)
    expect(posts.map((post) => (post.body as { event?: string }).event)).toEqual(['COMMENT', 'COMMENT'])
    const review = scenario.github.reviews[0]
    expect(review?.comments).toHaveLength(0)
    expect(review?.body).toContain('W00 exact line')
    expect(review?.body).toContain('could not be placed inline')
    expect(scenario.summary()).toMatch(/GitHub rejected the inline comments/)
    expect(step.log).toMatch(/::warning::Review posted without inline comments: [^\n]*422/)
  })

  it('works against GitHub Enterprise Server under /api/v3', async () => {
    scenario = await startScenario({
      pull: makePull(SAMPLE_DIFF),
      pathPrefix: '/api/v3',
      handler: (request) => ({
        body: findingsResponse({ overview: 'ok', findings: citeWrongly(request).findings.slice(0, 1) })
      })
    })
    expect(scenario.github.baseUrl).toMatch(/\/api\/v3$/)
    const step = await scenario.run()

    expect(step.exitCode).toBeUndefined()
    expect(scenario.github.reviews).toHaveLength(1)
    expect(scenario.github.issueComments).toHaveLength(1)
    // Every request went under the prefix: the fake answers 404 to anything else, and no request failed.
    expect(step.log).not.toMatch(/404|Not Found/)
  })
})
