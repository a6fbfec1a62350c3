import { createGitHubClient } from '../../src/github/client.js'
import { fetchPullDiff } from '../../src/github/pull-diff.js'
import { startGitHubServer, type FakeGitHub, type FakePull } from '../../__fixtures__/servers/github-server.js'
import {
  SAMPLE_APP_PATCH,
  SAMPLE_DIFF,
  buildLongFileDiff,
  buildManyFilesDiff
} from '../../__fixtures__/servers/github-sample-diffs.js'

const TOKEN = 'ghs_pulldifftesttoken000000000'
const pull = (number: number, diff: string, extra: Partial<FakePull> = {}): FakePull => ({
  number,
  title: 't',
  body: null,
  headSha: '1'.repeat(40),
  baseSha: '2'.repeat(40),
  headRef: 'h',
  baseRef: 'main',
  diff,
  ...extra
})
let github: FakeGitHub

beforeAll(async () => {
  github = await startGitHubServer({
    owner: 'octo',
    repo: 'demo',
    token: TOKEN,
    pulls: [
      pull(1, SAMPLE_DIFF),
      pull(2, buildManyFilesDiff({ count: 349, binary: true }), { noPatchFor: ['f/0002.txt'] }),
      pull(3, buildLongFileDiff(20_001)),
      pull(4, buildManyFilesDiff({ count: 3_050 }))
    ]
  })
})
afterAll(async () => github.close())
beforeEach(() => void github.requests.splice(0))

const client = (token = TOKEN) =>
  createGitHubClient({ token, baseUrl: github.baseUrl, throttle: { writeSpacingMs: 0, retryAfterUnitMs: 1 } })
const ref = (pullNumber: number) => ({ owner: 'octo', repo: 'demo', pullNumber })

describe('fetchPullDiff', () => {
  it('fetches the unified diff through the diff media type', async () => {
    expect(await fetchPullDiff(client(), ref(1))).toEqual({ kind: 'unified', text: SAMPLE_DIFF })
    expect(github.requests).toHaveLength(1)
    expect(github.requests[0]?.headers.accept).toMatch(/application\/vnd\.github(\.v3)?\.diff/)
  })

  it('falls back to listing files on 406 (over 300 files), following Link headers page by page', async () => {
    const logs: string[] = []
    const source = await fetchPullDiff(client(), ref(2), { log: (message) => logs.push(message) })
    if (source.kind !== 'files') throw new Error(`expected the file list, got ${source.kind}`)
    expect(source.fallbackReason).toMatch(/^Sorry, the diff exceeded the maximum number of files \(300\)/)
    expect(source.truncated).toBe(false)
    expect(source.files).toHaveLength(350)
    // The 406 is not retried: a diff too large stays too large.
    expect(github.requests.filter((r) => r.path.endsWith('/pulls/2'))).toHaveLength(1)
    const listing = github.requests.filter((r) => r.path.endsWith('/files'))
    expect(listing.map((r) => [r.query.per_page, r.query.page ?? '1'])).toEqual([
      ['100', '1'],
      ['100', '2'],
      ['100', '3'],
      ['100', '4']
    ])
    expect(source.files[0]).toEqual({
      filename: 'f/0001.txt',
      status: 'added',
      additions: 1,
      deletions: 0,
      patch: '@@ -0,0 +1 @@\n+line 1'
    })
    expect(source.files.find((f) => f.filename === 'f/image.png')).toEqual({
      filename: 'f/image.png',
      status: 'added',
      additions: 0,
      deletions: 0
    })
    expect(source.files.find((f) => f.filename === 'f/0002.txt')?.patch).toBeUndefined()
    expect(logs.join('\n')).toContain('350')
  })

  it('falls back on the 20,000-line 406 too', async () => {
    const source = await fetchPullDiff(client(), ref(3))
    expect(source).toMatchObject({
      kind: 'files',
      fallbackReason: 'Sorry, the diff exceeded the maximum number of lines (20000)',
      truncated: false
    })
  })

  it('reports truncation at GitHub’s 3,000-file cap, and stops early at a lower maxFiles', async () => {
    const capped = await fetchPullDiff(client(), ref(4))
    expect(capped).toMatchObject({ kind: 'files', truncated: true })
    expect(capped.kind === 'files' && capped.files.length).toBe(3_000)
    github.requests.splice(0)
    const limited = await fetchPullDiff(client(), ref(4), { maxFiles: 150 })
    expect(limited.kind === 'files' && limited.files.length).toBe(150)
    expect(limited).toMatchObject({ truncated: true })
    expect(github.requests.filter((r) => r.path.endsWith('/files'))).toHaveLength(2)
  })

  it('keeps the patch of a normal file as hunks only', async () => {
    github.inject({
      method: 'GET',
      pathPattern: /\/pulls\/1$/,
      times: 1,
      status: 406,
      body: { message: 'Sorry, the diff exceeded the maximum number of files (300).' }
    })
    const source = await fetchPullDiff(client(), ref(1))
    expect(source.kind === 'files' && source.files).toEqual([
      { filename: 'src/app.ts', status: 'modified', additions: 3, deletions: 2, patch: SAMPLE_APP_PATCH },
      { filename: 'logo.png', status: 'added', additions: 0, deletions: 0 },
      { filename: 'new-name.ts', status: 'renamed', previousFilename: 'old-name.ts', additions: 0, deletions: 0 }
    ])
  })

  it('names the pull request on 404 and the token input on 401', async () => {
    await expect(fetchPullDiff(client(), ref(99))).rejects.toThrow(
      'pull request #99 not found in octo/demo, or the token cannot read it'
    )
    await expect(fetchPullDiff(client('nope'), ref(1))).rejects.toThrow(/401.*github-token/)
  })

  it('retries a 502 and then says what failed, with the status', async () => {
    github.inject({
      method: 'GET',
      pathPattern: /\/pulls\/1$/,
      times: 5,
      status: 502,
      body: { message: 'Server Error' }
    })
    await expect(fetchPullDiff(client(), ref(1))).rejects.toThrow(
      /GitHub answered 502 while fetching the diff \(pull request #1 in octo\/demo\)/
    )
    expect(github.requests).toHaveLength(3)
  })
})
