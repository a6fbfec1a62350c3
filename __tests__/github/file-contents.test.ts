import { createGitHubClient } from '../../src/github/client.js'
import {
  DEFAULT_MAX_FILE_BYTES,
  PATHS_PER_QUERY,
  TEXT_BYTES_PER_QUERY,
  createApiFileSource,
  judgeObject,
  packTextBatches,
  readFilesAtCommit
} from '../../src/github/file-contents.js'
import { startGitHubServer, type FakeGitHub } from '../../__fixtures__/servers/github-server.js'

const TOKEN = 'ghs_filecontentstesttoken00000'
const SHA = 'c'.repeat(40)
const QUOTED = 'odd/say "hi" \\ to\\"you".ts'
const FILES: Record<string, string> = {
  'src/a.ts': 'export const a = 1\n',
  'src/copy-of-a.ts': 'export const a = 1\n',
  'src/deep/b.ts': 'export const b = 2\n',
  'logo.png': '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR',
  'big.json': `[${'1,'.repeat(300_000)}1]`,
  [QUOTED]: 'quoted path\n',
  'unicode.md': 'naïve — ✓\n'
}
let github: FakeGitHub

beforeEach(async () => {
  github = await startGitHubServer({ owner: 'octo', repo: 'demo', token: TOKEN, pulls: [], files: { [SHA]: FILES } })
})
afterEach(async () => github.close())

const client = () =>
  createGitHubClient({ token: TOKEN, baseUrl: github.baseUrl, throttle: { writeSpacingMs: 0, retryAfterUnitMs: 1 } })
const read = (paths: readonly string[], maxFileBytes?: number) =>
  readFilesAtCommit(client(), {
    owner: 'octo',
    repo: 'demo',
    sha: SHA,
    paths,
    ...(maxFileBytes === undefined ? {} : { maxFileBytes })
  })
const graphqlBodies = () =>
  github.requests
    .filter((request) => request.path === '/graphql')
    .map((request) => request.body as { query: string; variables: Record<string, unknown> })

describe('readFilesAtCommit', () => {
  it('reads a mixed batch in two calls: sizes first, then only the text worth reading', async () => {
    const result = await read(
      ['src/a.ts', 'logo.png', 'big.json', QUOTED, 'src/deep', 'gone.ts', 'unicode.md'],
      100_000
    )
    expect(Object.fromEntries(result.files)).toEqual({
      'src/a.ts': 'export const a = 1\n',
      'logo.png': { skipped: 'binary', detail: '17 bytes' },
      'big.json': { skipped: 'too-large', detail: '600003 bytes; the limit is 100000' },
      [QUOTED]: 'quoted path\n',
      'src/deep': { skipped: 'not-a-file', detail: 'a directory' },
      'gone.ts': { skipped: 'missing', detail: 'not in the commit' },
      'unicode.md': 'naïve — ✓\n'
    })
    expect(result.apiCalls).toBe(2)
    const [sizes, texts] = graphqlBodies()
    // Paths travel only as variables: the query text never contains one.
    expect(sizes?.variables).toMatchObject({ e3: `${SHA}:${QUOTED}` })
    expect(sizes?.query).not.toContain('say')
    // The text call asks for the three readable blobs only: not the binary one, not the one over the cap.
    expect(Object.keys(texts?.variables ?? {}).filter((name) => /^o\d+$/.test(name))).toHaveLength(3)
  })

  it('fetches the text of identical files once', async () => {
    const result = await read(['src/a.ts', 'src/copy-of-a.ts'])
    expect(result.files.get('src/copy-of-a.ts')).toEqual('export const a = 1\n')
    expect(Object.keys(graphqlBodies()[1]?.variables ?? {}).filter((name) => /^o\d+$/.test(name))).toEqual(['o0'])
  })

  it('skips a file GitHub truncates when the cap is set above GitHub’s 512,000-byte text limit', async () => {
    const result = await read(['big.json'], 1_000_000)
    expect(result.files.get('big.json')).toEqual({ skipped: 'too-large', detail: 'GitHub cut its text short' })
  })

  it('looks up more than 100 paths in several calls and counts them', async () => {
    const paths = Array.from({ length: 250 }, (_, index) => `missing-${index}.ts`)
    const result = await read(['src/a.ts', ...paths])
    expect(result.files.size).toBe(251)
    // 3 size lookups (100 + 100 + 51) and 1 text call.
    expect(result.apiCalls).toBe(4)
    expect(graphqlBodies()).toHaveLength(4)
  })

  it('makes no call for no paths', async () => {
    expect(await read([])).toEqual({ files: new Map(), apiCalls: 0 })
    expect(github.requests).toHaveLength(0)
  })

  it('names the repository and commit when GitHub refuses', async () => {
    const error = await readFilesAtCommit(client(), { owner: 'octo', repo: 'gone', sha: SHA, paths: ['a.ts'] }).then(
      () => undefined,
      (caught: unknown) => caught
    )
    expect(error).toMatchObject({
      kind: 'not-found',
      message: expect.stringContaining(`looking up 1 files in octo/gone at ${SHA.slice(0, 12)}`)
    })
  })
})

describe('createApiFileSource', () => {
  it('is the api FileSource: no definition search, calls counted across reads, each read logged', async () => {
    const messages: string[] = []
    const source = createApiFileSource(client(), {
      owner: 'octo',
      repo: 'demo',
      sha: SHA,
      log: (message) => messages.push(message)
    })
    expect(source.kind).toBe('api')
    expect(source.findDefinitionFiles).toBeUndefined()
    await source.read(['src/a.ts', 'logo.png'])
    await source.read(['src/deep/b.ts'])
    expect(source.apiCalls).toBe(4)
    expect(messages).toEqual([
      'Read 1 of 2 files at ccccccc through the GitHub API in 2 GraphQL calls (1 skipped)',
      'Read 1 of 1 files at ccccccc through the GitHub API in 2 GraphQL calls'
    ])
  })
})

describe('judgeObject', () => {
  it.each([
    ['nothing there', null, { skipped: 'missing', detail: 'not in the commit' }],
    ['a submodule', { __typename: 'Commit' }, { skipped: 'not-a-file', detail: 'a submodule' }],
    [
      'a binary blob',
      { __typename: 'Blob', oid: 'x', byteSize: 10, isBinary: true },
      { skipped: 'binary', detail: '10 bytes' }
    ],
    [
      'a blob at the cap',
      { __typename: 'Blob', oid: 'x', byteSize: 100, isBinary: false },
      { oid: 'x', byteSize: 100 }
    ],
    [
      'a blob over the cap',
      { __typename: 'Blob', oid: 'x', byteSize: 101, isBinary: false },
      { skipped: 'too-large', detail: '101 bytes; the limit is 100' }
    ],
    [
      'a blob GitHub cannot classify',
      { __typename: 'Blob', oid: 'x', byteSize: 5, isBinary: null },
      { oid: 'x', byteSize: 5 }
    ]
  ])('%s', (_name, meta, expected) => {
    expect(judgeObject(meta, 100)).toEqual(expected)
  })
})

describe('packTextBatches', () => {
  const blobs = (sizes: readonly number[]) => sizes.map((byteSize, index) => ({ oid: `o${index}`, byteSize }))
  it.each([
    ['nothing', [], []],
    ['small files under both limits', [10, 20, 30], [3]],
    [
      'files past the byte budget',
      [
        DEFAULT_MAX_FILE_BYTES,
        DEFAULT_MAX_FILE_BYTES,
        DEFAULT_MAX_FILE_BYTES,
        DEFAULT_MAX_FILE_BYTES,
        DEFAULT_MAX_FILE_BYTES
      ],
      [4, 1]
    ],
    ['one file bigger than the budget, alone', [5, TEXT_BYTES_PER_QUERY + 1, 5], [1, 1, 1]],
    ['more files than one query takes', Array.from({ length: PATHS_PER_QUERY + 1 }, () => 1), [PATHS_PER_QUERY, 1]]
  ])('%s', (_name, sizes, expected) => {
    expect(packTextBatches(blobs(sizes)).map((batch) => batch.length)).toEqual(expected)
  })
})
