/**
 * The diff must belong to the head that is reviewed (commit_id): a push between reading the pull request and
 * reading its diff is detected, on the unified diff and on the file list alike (issue 12, item 6), and the
 * file list says how many files GitHub did not list (item 8).
 */
import { createGitHubClient } from '../../src/github/client.js'
import { PullHeadMovedError, fetchPullAtStableHead, fetchPullDiff } from '../../src/github/pull-diff.js'
import { fetchPullRequest } from '../../src/github/pull-request.js'
import { addCommit, createCommitGraph, pullDiffOf, type FakeCommitGraph } from '../../__fixtures__/servers/fake-git.js'
import {
  startGitHubServer,
  type FakeGitHub,
  type RecordedGitHubRequest
} from '../../__fixtures__/servers/github-server.js'
import { buildManyFilesDiff } from '../../__fixtures__/servers/github-sample-diffs.js'

const TOKEN = 'ghs_pinnedtesttoken00000000000'
const ref = { owner: 'octo', repo: 'demo', pullNumber: 1 }
const TOO_LARGE = { status: 406, body: { message: 'Sorry, the diff exceeded the maximum number of files (300).' } }
let github: FakeGitHub
let graph: FakeCommitGraph
let firstHead: string

beforeEach(async () => {
  graph = createCommitGraph()
  const base = addCommit(graph, { parents: [], changes: { 'src/a.ts': 'one\n' } })
  firstHead = addCommit(graph, { parents: [base], changes: { 'src/a.ts': 'one\ntwo\n' } })
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
        headSha: firstHead,
        baseSha: base,
        headRef: 'h',
        baseRef: 'main',
        diff: pullDiffOf(graph, base, firstHead)
      }
    ]
  })
})
afterEach(async () => github.close())

const client = () =>
  createGitHubClient({ token: TOKEN, baseUrl: github.baseUrl, throttle: { writeSpacingMs: 0, retryAfterUnitMs: 1 } })
const isDiffRead = (request: RecordedGitHubRequest) => /diff/.test(request.headers.accept ?? '')
const isLastFilesPage = (request: RecordedGitHubRequest) => request.path.endsWith('/files')
let pushes = 0
/** Pushes a commit right after each request that `when` picks, up to `times` times. */
function pushAfter(when: (request: RecordedGitHubRequest) => boolean, times = 1): void {
  pushes = 0
  github.onHandled((request) => {
    if (!when(request) || pushes >= times) return
    pushes++
    github.pushCommit({ pullNumber: 1, changes: { 'src/a.ts': `one\ntwo\npush ${pushes}\n` } })
  })
}
const describeRequests = () => github.requests.map((r) => `${r.method} ${r.path}${isDiffRead(r) ? ' (diff)' : ''}`)

describe('fetchPullDiff pinned to the head that was read', () => {
  it('reads the diff, then the head again, and returns the diff when the head did not move', async () => {
    const pull = await fetchPullRequest(client(), ref)
    const source = await fetchPullDiff(client(), pull)
    expect(source).toEqual({ kind: 'unified', text: pullDiffOf(graph, pull.baseSha, firstHead) })
    expect(describeRequests()).toEqual([
      'GET /repos/octo/demo/pulls/1',
      'GET /repos/octo/demo/pulls/1 (diff)',
      'GET /repos/octo/demo/pulls/1'
    ])
  })

  it('throws PullHeadMovedError when a push lands between the head and the diff', async () => {
    const pull = await fetchPullRequest(client(), ref)
    pushAfter(isDiffRead)
    const attempt = fetchPullDiff(client(), pull)
    await expect(attempt).rejects.toThrow(PullHeadMovedError)
    await expect(attempt).rejects.toThrow(
      new RegExp(
        `pull request #1 in octo/demo moved from ${firstHead.slice(0, 12)} to [0-9a-f]{12} while its diff was read`
      )
    )
  })

  it('detects the move on the file-list path (406) too, which GitHub serves per pull request, not per commit', async () => {
    const pull = await fetchPullRequest(client(), ref)
    github.inject({ method: 'GET', pathPattern: /\/pulls\/1$/, times: 1, ...TOO_LARGE })
    pushAfter(isLastFilesPage)
    await expect(fetchPullDiff(client(), pull)).rejects.toThrow(PullHeadMovedError)
    expect(describeRequests().slice(1)).toEqual([
      'GET /repos/octo/demo/pulls/1 (diff)',
      'GET /repos/octo/demo/pulls/1/files',
      'GET /repos/octo/demo/pulls/1'
    ])
  })
})

describe('fetchPullAtStableHead', () => {
  it('starts again when the head moved, and returns the new head with its own diff', async () => {
    pushAfter(isDiffRead)
    const logs: string[] = []
    const { pullRequest, source } = await fetchPullAtStableHead(client(), ref, { log: (message) => logs.push(message) })
    expect(pullRequest.headSha).not.toBe(firstHead)
    expect(source).toEqual({ kind: 'unified', text: pullDiffOf(graph, pullRequest.baseSha, pullRequest.headSha) })
    expect(logs.join('\n')).toMatch(/moved.*reading it again/)
  })

  it('gives up with a clear error when every attempt sees a new push', async () => {
    pushAfter(isDiffRead, 10)
    await expect(fetchPullAtStableHead(client(), ref, { maxAttempts: 3 })).rejects.toThrow(
      /pull request #1 in octo\/demo moved 3 times while its diff was read/
    )
    expect(pushes).toBe(3)
  })
})

describe('files GitHub did not list', () => {
  it('reads changed_files into the pull request and counts what the 3,000-file listing left out', async () => {
    const many = await startGitHubServer({
      owner: 'octo',
      repo: 'demo',
      token: TOKEN,
      pulls: [
        {
          number: 4,
          title: 't',
          body: null,
          headSha: '1'.repeat(40),
          baseSha: '2'.repeat(40),
          headRef: 'h',
          baseRef: 'main',
          diff: buildManyFilesDiff({ count: 3_050 })
        }
      ]
    })
    try {
      const api = createGitHubClient({
        token: TOKEN,
        baseUrl: many.baseUrl,
        throttle: { writeSpacingMs: 0, retryAfterUnitMs: 1 }
      })
      const pull = await fetchPullRequest(api, { ...ref, pullNumber: 4 })
      expect(pull.changedFiles).toBe(3_050)
      expect(await fetchPullDiff(api, pull)).toMatchObject({ kind: 'files', truncated: true, unlistedFiles: 50 })
      expect(await fetchPullDiff(api, pull, { maxFiles: 150 })).toMatchObject({
        kind: 'files',
        truncated: true,
        unlistedFiles: 2_900
      })
    } finally {
      await many.close()
    }
  })
})
