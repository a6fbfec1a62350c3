import { createGitHubClient } from '../../src/github/client.js'
import { fetchRepoAccess, hasWriteAccess } from '../../src/github/permission.js'
import { fetchRepoFile } from '../../src/github/repo-file.js'
import { ConfigError } from '../../src/errors.js'
import { startGitHubServer, type FakeGitHub } from '../../__fixtures__/servers/github-server.js'

const TOKEN = 'ghs_repofiletesttoken000000000'
const BASE = 'b'.repeat(40)
const HEAD = 'a'.repeat(40)
const CONFIG = '.github/codex-review.yml'
let github: FakeGitHub

beforeAll(async () => {
  github = await startGitHubServer({
    owner: 'octo',
    repo: 'demo',
    token: TOKEN,
    pulls: [],
    files: {
      [BASE]: { [CONFIG]: 'severity_threshold: high\n# ünïcode\n', 'big.yml': 'x'.repeat(5_000), 'dir/a.yml': 'a: 1' },
      [HEAD]: { [CONFIG]: 'severity_threshold: nit\n' }
    },
    permissions: {
      admin1: 'admin',
      maint: 'maintain',
      writer: 'write',
      triager: 'triage',
      reader: 'read',
      'bot[bot]': 'write'
    }
  })
})
afterAll(async () => github.close())

const client = (token = TOKEN) =>
  createGitHubClient({
    token,
    baseUrl: github.baseUrl,
    throttle: { writeSpacingMs: 0, retryAfterUnitMs: 1, maxRetries: 0 }
  })
const read = (path: string, ref: string, maxBytes = 1_000) =>
  fetchRepoFile(client(), { owner: 'octo', repo: 'demo', path, ref, maxBytes })

describe('fetchRepoFile', () => {
  it('reads the file as it is at the given commit, decoded', async () => {
    expect(await read(CONFIG, BASE)).toBe('severity_threshold: high\n# ünïcode\n')
    expect(await read(CONFIG, HEAD)).toBe('severity_threshold: nit\n')
    const request = github.requests.filter((r) => r.path.includes('/contents/')).at(-1)
    expect(request?.query).toEqual({ ref: HEAD })
  })

  it('answers undefined when the file does not exist (404)', async () => {
    expect(await read('.github/missing.yml', BASE)).toBeUndefined()
  })

  it('refuses a file over the size cap before decoding it', async () => {
    await expect(read('big.yml', BASE)).rejects.toThrow(new ConfigError('big.yml is 5000 bytes; the limit is 1000.'))
  })

  it('refuses a directory', async () => {
    await expect(read('dir', BASE)).rejects.toThrow(/dir at bbbbbbbbbbbb is a directory/)
  })

  it('fails with GitHub’s status on other errors, with a hint for 403', async () => {
    github.inject({
      method: 'GET',
      pathPattern: /\/contents\//,
      times: 1,
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    })
    await expect(read(CONFIG, BASE)).rejects.toThrow(
      /GitHub answered 403 while reading \.github\/codex-review\.yml at bbbbbbbbbbbb: Resource not accessible by integration \(the workflow token needs `contents: read`\)/
    )
  })
})

describe('fetchRepoAccess and hasWriteAccess', () => {
  it.each([
    ['admin1', true],
    ['maint', true],
    ['writer', true],
    ['bot[bot]', true],
    ['triager', false],
    ['reader', false],
    ['stranger', false]
  ])('%s may request a review: %s', async (username, allowed) => {
    const access = await fetchRepoAccess(client(), { owner: 'octo', repo: 'demo', username })
    expect(hasWriteAccess(access)).toBe(allowed)
  })

  it('reads maintain from role_name, since permission says write', async () => {
    expect(await fetchRepoAccess(client(), { owner: 'octo', repo: 'demo', username: 'maint' })).toEqual({
      permission: 'write',
      roleName: 'maintain'
    })
  })

  it('treats a user GitHub does not know (404) as having no access', async () => {
    github.inject({
      method: 'GET',
      pathPattern: /\/permission$/,
      times: 1,
      status: 404,
      body: { message: 'Not Found' }
    })
    expect(await fetchRepoAccess(client(), { owner: 'octo', repo: 'demo', username: 'ghost' })).toEqual({
      permission: 'none'
    })
  })

  it('accepts a custom role built on write', () => {
    expect(hasWriteAccess({ permission: 'write', roleName: 'release-manager' })).toBe(true)
    expect(hasWriteAccess({ permission: 'read', roleName: 'auditor' })).toBe(false)
  })
})
