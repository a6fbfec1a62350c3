import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createGitRunner } from '../../src/context/git-command.js'
import type { FileRead, FileSource } from '../../src/context/file-source.js'
import { definitionPatterns, openGitFileSource, rankByProximity } from '../../src/context/git-file-source.js'
import { createTempRepo, type TempRepo } from './git-repo.js'

const TOKEN = 'c2VjcmV0LXRva2VuLWZyb20tY2hlY2tvdXQ='

async function openSource(
  repo: TempRepo,
  headSha: string,
  options: { kind?: 'checkout' | 'git'; maxFileBytes?: number; env?: NodeJS.ProcessEnv } = {}
): Promise<FileSource> {
  const opened = await openGitFileSource({ cwd: repo.dir, headSha, kind: options.kind ?? 'checkout', ...options })
  if (!opened.ok) throw new Error(opened.reason)
  return opened.source
}

function allText(reads: Map<string, FileRead>): string {
  return [...reads.values()].map((read) => (typeof read === 'string' ? read : '')).join('\n')
}

describe('openGitFileSource', () => {
  let repo: TempRepo
  let base: string
  let head: string

  beforeEach(() => {
    repo = createTempRepo()
    repo.write('src/app.ts', 'export const a = 1\n')
    repo.write('README.md', '# demo\n')
    base = repo.commitAll('base')
    repo.write('src/app.ts', 'export const a = 2\n')
    repo.write('src/util.ts', 'export function purgeTree(dir: string) {}\n')
    head = repo.commitAll('head')
  })
  afterEach(() => repo.remove())

  it('reads tracked files at the head commit, in the order asked, and reports what it cannot read', async () => {
    const source = await openSource(repo, head)
    const reads = await source.read([
      'src/util.ts',
      'src/app.ts',
      'src',
      'nope.ts',
      '../outside',
      '/etc/passwd',
      '.git/config',
      'src//app.ts'
    ])
    expect([...reads.entries()]).toEqual([
      ['src/util.ts', 'export function purgeTree(dir: string) {}\n'],
      ['src/app.ts', 'export const a = 2\n'],
      ['src', { skipped: 'not-a-file' }],
      ['nope.ts', { skipped: 'missing' }],
      ['../outside', { skipped: 'missing' }],
      ['/etc/passwd', { skipped: 'missing' }],
      ['.git/config', { skipped: 'missing' }],
      ['src//app.ts', { skipped: 'missing' }]
    ])
    expect(source.kind).toBe('checkout')
  })

  it('does not use a workspace whose HEAD is at another commit', async () => {
    repo.git('checkout', '--quiet', base)
    const opened = await openGitFileSource({ cwd: repo.dir, headSha: head, kind: 'checkout' })
    expect(opened).toEqual({
      ok: false,
      reason: `checkout is at another commit (${base.slice(0, 12)}, not ${head.slice(0, 12)})`
    })
  })

  it('refuses what is not a full commit id or not a repository', async () => {
    expect(await openGitFileSource({ cwd: repo.dir, headSha: 'HEAD', kind: 'checkout' })).toEqual({
      ok: false,
      reason: 'the head is not a full commit id'
    })
    const empty = mkdtempSync(join(tmpdir(), 'codex-pr-review-not-git-'))
    try {
      expect(await openGitFileSource({ cwd: empty, headSha: head, kind: 'checkout' })).toEqual({
        ok: false,
        reason: expect.stringMatching(/^git cannot read the repository \(fatal: not a git repository/)
      })
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
  })

  it('reads the given commit through git, never the working tree (the CLI case)', async () => {
    repo.write('src/app.ts', 'export const a = "uncommitted"\n')
    const source = await openSource(repo, base, { kind: 'git' })
    expect((await source.read(['src/app.ts'])).get('src/app.ts')).toBe('export const a = 1\n')
    const missing = await openGitFileSource({ cwd: repo.dir, headSha: 'f'.repeat(40), kind: 'git' })
    expect(missing).toEqual({ ok: false, reason: 'commit ffffffffffff is not in the repository' })
  })

  it('never follows a symlink the head commit adds, to .git/config or outside the repository', async () => {
    repo.git('config', 'http.https://github.com/.extraheader', `AUTHORIZATION: basic ${TOKEN}`)
    repo.symlink('config-link', '.git/config')
    repo.symlink('passwd-link', '/etc/passwd')
    repo.symlink('git-dir', '.git')
    const linked = repo.commitAll('links')
    const source = await openSource(repo, linked)
    const reads = await source.read(['config-link', 'passwd-link', 'git-dir', 'git-dir/config'])
    expect([...reads.entries()]).toEqual([
      ['config-link', { skipped: 'not-a-file' }],
      ['passwd-link', { skipped: 'not-a-file' }],
      ['git-dir', { skipped: 'not-a-file' }],
      ['git-dir/config', { skipped: 'missing' }]
    ])
    expect(allText(reads)).not.toContain(TOKEN)
    expect(allText(reads)).not.toContain('root:')
  })

  it('skips a file over the size cap and a binary file, with the reason', async () => {
    repo.write('big.txt', 'x'.repeat(2048))
    repo.write('image.bin', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]))
    repo.write('small.txt', 'hello\n')
    const commit = repo.commitAll('sizes')
    const source = await openSource(repo, commit, { maxFileBytes: 1024 })
    expect([...(await source.read(['big.txt', 'image.bin', 'small.txt'])).entries()]).toEqual([
      ['big.txt', { skipped: 'too-large' }],
      ['image.bin', { skipped: 'binary' }],
      ['small.txt', 'hello\n']
    ])
  })

  it('does not reach a submodule (a gitlink is not a file)', async () => {
    repo.git('update-index', '--add', '--cacheinfo', `160000,${base},vendor/lib`)
    repo.git('commit', '--quiet', '-m', 'submodule')
    const source = await openSource(repo, repo.git('rev-parse', 'HEAD').trim())
    expect((await source.read(['vendor/lib'])).get('vendor/lib')).toEqual({ skipped: 'not-a-file' })
  })

  it('reads names literally: a path with glob characters matches only itself', async () => {
    repo.write('src/[a].ts', 'literal\n')
    const commit = repo.commitAll('glob name')
    const source = await openSource(repo, commit)
    expect((await source.read(['src/[a].ts', 'src/*.ts'])).get('src/*.ts')).toEqual({ skipped: 'missing' })
    expect((await source.read(['src/[a].ts'])).get('src/[a].ts')).toBe('literal\n')
  })

  it('ignores GIT_* variables in its environment that would point git at another repository', async () => {
    const other = createTempRepo()
    try {
      other.write('src/app.ts', 'from the other repository\n')
      other.commitAll('other')
      const source = await openSource(repo, head, {
        env: { ...process.env, GIT_DIR: join(other.dir, '.git'), GIT_WORK_TREE: other.dir }
      })
      expect((await source.read(['src/app.ts'])).get('src/app.ts')).toBe('export const a = 2\n')
    } finally {
      other.remove()
    }
  })
})

describe('hostile repository configuration', () => {
  let repo: TempRepo
  let marker: string
  beforeEach(() => {
    repo = createTempRepo()
    repo.write('src/app.js', 'function purgeTree(dir) {}\n')
    repo.commitAll('base')
    marker = join(repo.dir, 'fsmonitor-ran')
  })
  afterEach(() => repo.remove())

  it('never runs a core.fsmonitor command, even for commands that read the index', async () => {
    repo.git('config', 'core.fsmonitor', `touch '${marker}'; echo`)
    // The configuration is live: plain `git status` runs it.
    repo.git('status', '--porcelain')
    expect(existsSync(marker)).toBe(true)
    rmSync(marker)

    const head = repo.git('rev-parse', 'HEAD').trim()
    const source = await openSource(repo, head)
    await source.read(['src/app.js'])
    await source.findDefinitionFiles?.('purgeTree', { exclude: new Set(), limit: 5 })
    await createGitRunner({ cwd: repo.dir }).run(['status', '--porcelain'])
    expect(existsSync(marker)).toBe(false)
  })

  it("never runs a promisor remote's upload-pack command to fetch a missing blob of a partial clone", async () => {
    repo.git('config', 'uploadpack.allowFilter', 'true')
    const parent = mkdtempSync(join(tmpdir(), 'codex-pr-review-partial-'))
    const clone = join(parent, 'clone')
    const fetched = join(parent, 'upload-pack-ran')
    try {
      execFileSync('git', ['clone', '--quiet', '--no-checkout', '--filter=blob:none', `file://${repo.dir}`, clone], {
        env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' }
      })
      execFileSync('git', ['config', 'remote.origin.uploadpack', `touch '${fetched}'; git-upload-pack`], { cwd: clone })
      const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: clone, encoding: 'utf8' }).trim()
      const opened = await openGitFileSource({ cwd: clone, headSha: head, kind: 'git' })
      if (!opened.ok) throw new Error(opened.reason)
      expect((await opened.source.read(['src/app.js'])).get('src/app.js')).toEqual({ skipped: 'missing' })
      expect(existsSync(fetched)).toBe(false)
    } finally {
      rmSync(parent, { recursive: true, force: true })
    }
  })
})

describe('findDefinitionFiles', () => {
  let repo: TempRepo
  let head: string
  beforeAll(() => {
    repo = createTempRepo()
    repo.write('src/fs/purge.js', 'export function purgeTree(dir) {\n  rm(dir)\n}\n')
    repo.write('src/upload.js', 'import { purgeTree } from "./fs/purge.js"\npurgeTree(uploadDir)\n')
    repo.write('lib/other.py', 'def purgeTree(path):\n    pass\n')
    repo.write('node_modules/pkg/index.js', 'function purgeTree() {}\n')
    repo.write('src/calls.js', 'if (purgeTree(x)) {}\n')
    head = repo.commitAll('definitions')
  })
  afterAll(() => repo.remove())

  it('returns files with a definition line at the head, not callers, not excluded or vendored files', async () => {
    const source = await openSource(repo, head)
    expect(await source.findDefinitionFiles?.('purgeTree', { exclude: new Set(), limit: 10 })).toEqual([
      'lib/other.py',
      'src/fs/purge.js'
    ])
    expect(await source.findDefinitionFiles?.('purgeTree', { exclude: new Set(['lib/other.py']), limit: 10 })).toEqual([
      'src/fs/purge.js'
    ])
    expect(
      await source.findDefinitionFiles?.('purgeTree', { exclude: new Set(), limit: 10, extensions: ['js'] })
    ).toEqual(['src/fs/purge.js'])
    expect(
      await source.findDefinitionFiles?.('purgeTree', { exclude: new Set(), limit: 1, near: 'src/upload.js' })
    ).toEqual(['src/fs/purge.js'])
    expect(await source.findDefinitionFiles?.('nothingLikeThis', { exclude: new Set(), limit: 10 })).toEqual([])
    expect(await source.findDefinitionFiles?.('--output=x', { exclude: new Set(), limit: 10 })).toEqual([])
  })
})

describe('definitionPatterns', () => {
  // Each pattern is an extended regular expression for git grep; check them with grep -E, the same dialect.
  const matches = (line: string, name: string): boolean => {
    try {
      execFileSync('grep', ['-q', '-E', ...definitionPatterns(name).flatMap((pattern) => ['-e', pattern])], {
        input: line + '\n'
      })
      return true
    } catch {
      return false
    }
  }
  it.each([
    ['export function purgeTree(dir) {', true],
    ['export async function* purgeTree(dir) {', true],
    ['const purgeTree = async (dir) => {', true],
    ['  purgeTree: function (dir) {', true],
    ['  async purgeTree(dir: string): Promise<void> {', true],
    ['  public static void purgeTree(Path dir) throws IOException {', true],
    ['def purgeTree(path):', true],
    ['func purgeTree(dir string) error {', true],
    ['func (s *Store) purgeTree(dir string) error {', true],
    ['purgeTree = lambda d: None', true],
    ['exports.purgeTree = purge', true],
    ['class purgeTree extends Base {', true],
    ['purgeTree(uploadDir)', false],
    ['  await purgeTree(uploadDir);', false],
    ['if (purgeTree(x)) {', false],
    ['const x = purgeTree(dir)', false],
    ['function purgeTreeAll(dir) {', false],
    ['purgeTree == other', false]
  ])('%s → %s', (line, expected) => {
    expect(matches(line, 'purgeTree')).toBe(expected)
  })
})

describe('rankByProximity', () => {
  it('puts files sharing more folders with the referencing file first, keeping order otherwise', () => {
    expect(rankByProximity(['a/x.ts', 'src/lib/y.ts', 'src/z.ts', 'src/lib/deep/w.ts'], 'src/lib/caller.ts')).toEqual([
      'src/lib/y.ts',
      'src/lib/deep/w.ts',
      'src/z.ts',
      'a/x.ts'
    ])
    expect(rankByProximity(['b', 'a'], undefined)).toEqual(['b', 'a'])
  })
})
