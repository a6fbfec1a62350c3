import { createGitHubClient } from '../../src/github/client.js'
import { fetchPullRequest } from '../../src/github/pull-request.js'
import { startGitHubServer, type FakeGitHub, type FakePull } from '../../__fixtures__/servers/github-server.js'
import { SAMPLE_DIFF } from '../../__fixtures__/servers/github-sample-diffs.js'

const TOKEN = 'ghs_pullrequesttesttoken00000'
const base: FakePull = {
  number: 7,
  title: 'Add feature',
  body: 'Does things',
  headSha: '1'.repeat(40),
  baseSha: '2'.repeat(40),
  headRef: 'feature',
  baseRef: 'main',
  draft: true,
  author: 'alice',
  labels: ['bug', 'needs-review'],
  diff: SAMPLE_DIFF
}
let github: FakeGitHub

beforeAll(async () => {
  github = await startGitHubServer({
    owner: 'octo',
    repo: 'demo',
    token: TOKEN,
    pulls: [
      base,
      { ...base, number: 8, body: null, draft: false, labels: [], headRepo: 'fork-owner/demo' },
      { ...base, number: 9, headRepo: null }
    ]
  })
})
afterAll(async () => github.close())

const client = (token = TOKEN) =>
  createGitHubClient({ token, baseUrl: github.baseUrl, throttle: { writeSpacingMs: 0, retryAfterUnitMs: 1 } })
const ref = (pullNumber: number) => ({ owner: 'octo', repo: 'demo', pullNumber })

describe('fetchPullRequest', () => {
  it('translates GitHub’s pull request into ours', async () => {
    expect(await fetchPullRequest(client(), ref(7))).toEqual({
      owner: 'octo',
      repo: 'demo',
      pullNumber: 7,
      title: 'Add feature',
      body: 'Does things',
      headSha: '1'.repeat(40),
      baseSha: '2'.repeat(40),
      headRef: 'feature',
      baseRef: 'main',
      draft: true,
      authorLogin: 'alice',
      labels: ['bug', 'needs-review'],
      headRepoFullName: 'octo/demo',
      changedFiles: 3
    })
  })

  it('turns a null body into "" and keeps the fork’s name', async () => {
    expect(await fetchPullRequest(client(), ref(8))).toMatchObject({
      body: '',
      draft: false,
      labels: [],
      headRepoFullName: 'fork-owner/demo'
    })
  })

  it('gives "" as the head repo of a deleted fork', async () => {
    expect((await fetchPullRequest(client(), ref(9))).headRepoFullName).toBe('')
  })

  it('says which pull request was not found, without retrying a 404', async () => {
    const before = github.requests.length
    await expect(fetchPullRequest(client(), ref(404))).rejects.toThrow(
      'pull request #404 not found in octo/demo, or the token cannot read it'
    )
    expect(github.requests.length - before).toBe(1)
  })

  it('says GitHub could not be reached when nothing listens', async () => {
    const closed = await startGitHubServer({ owner: 'octo', repo: 'demo', token: TOKEN, pulls: [] })
    await closed.close()
    const api = createGitHubClient({ token: TOKEN, baseUrl: closed.baseUrl, throttle: { maxRetries: 0 } })
    await expect(fetchPullRequest(api, ref(7))).rejects.toThrow(
      /^Could not reach GitHub while reading the pull request \(pull request #7 in octo\/demo\)/
    )
  })

  it('points at the github-token input on 401, never echoing the token', async () => {
    const attempt = fetchPullRequest(client('ghs_wrongtokenvalue0000000000'), ref(7))
    await expect(attempt).rejects.toThrow(/401.*check the github-token input/)
    await expect(attempt).rejects.not.toThrow(/ghs_wrong/)
  })
})
