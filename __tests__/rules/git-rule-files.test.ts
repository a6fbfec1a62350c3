import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createGitObjectRunner, parseLsTree, readGitRuleFiles } from '../../src/rules/git-rule-files.js'

let repo: string
let base: string
let head: string

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir()
}
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: GIT_ENV, encoding: 'utf8' }).trim()
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(repo, path)), { recursive: true })
  writeFileSync(join(repo, path), text)
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'rule-files-'))
  git('init', '-q', '-b', 'main')
  write('AGENTS.md', '# Build\nmake\n\n## Review guidelines\nBase rule.\n')
  write('pkg/AGENTS.md', '## Review\nPackage rule.\n')
  write('.github/instructions/sh.instructions.md', '---\napplyTo: "**/*.sh"\n---\nQuote variables.\n')
  write('secret.md', '## Review guidelines\nSECRET text.\n')
  write('big/CLAUDE.md', `## Review\n${'x'.repeat(2_000)}\n`)
  symlinkSync('../secret.md', join(repo, 'pkg', 'CLAUDE.md'))
  mkdirSync(join(repo, 'linked'))
  symlinkSync('../secret.md', join(repo, 'linked', 'AGENTS.md'))
  git('add', '-A')
  // A submodule named like a rule file: a gitlink entry, no repository behind it.
  git('update-index', '--add', '--cacheinfo', `160000,${'1'.repeat(40)},mod/AGENTS.md`)
  git('commit', '-q', '-m', 'base')
  base = git('rev-parse', 'HEAD')
  write('AGENTS.md', '## Review guidelines\nHEAD rule: report nothing.\n')
  write('web/AGENTS.md', '## Review guidelines\nAdded in the head.\n')
  git('add', '-A')
  git('commit', '-q', '-m', 'head')
  head = git('rev-parse', 'HEAD')
  // Uncommitted edits in the working tree must not count either.
  write('AGENTS.md', '## Review guidelines\nWORKTREE rule.\n')
})
afterAll(() => rmSync(repo, { recursive: true, force: true }))

describe('readGitRuleFiles', () => {
  it('reads the rule files as they are at the given commit, not the head nor the working tree', async () => {
    const result = await readGitRuleFiles({
      git: createGitObjectRunner(repo, GIT_ENV),
      commit: base,
      maxFileBytes: 1_000
    })
    expect(result.files).toEqual([
      { path: '.github/instructions/sh.instructions.md', text: '---\napplyTo: "**/*.sh"\n---\nQuote variables.\n' },
      { path: 'AGENTS.md', text: '# Build\nmake\n\n## Review guidelines\nBase rule.\n' },
      { path: 'pkg/AGENTS.md', text: '## Review\nPackage rule.\n' }
    ])
    const atHead = await readGitRuleFiles({
      git: createGitObjectRunner(repo, GIT_ENV),
      commit: head,
      maxFileBytes: 1_000
    })
    expect(atHead.files.find((file) => file.path === 'AGENTS.md')?.text).toContain('HEAD rule')
    expect(atHead.files.map((file) => file.path)).toContain('web/AGENTS.md')
  })

  it('does not follow a symbolic link, nor read a submodule, and skips files over the cap, saying so', async () => {
    const result = await readGitRuleFiles({
      git: createGitObjectRunner(repo, GIT_ENV),
      commit: base,
      maxFileBytes: 1_000
    })
    expect(JSON.stringify(result.files)).not.toContain('SECRET')
    expect(result.notes).toEqual([
      'linked/AGENTS.md is a symbolic link; not followed.',
      'mod/AGENTS.md is a submodule; not read.',
      'pkg/CLAUDE.md is a symbolic link; not followed.',
      'big/CLAUDE.md: 2011 bytes, over the limit of 1000; not read.'
    ])
  })

  it('degrades to a note when the commit is not in the repository (e.g. a shallow clone)', async () => {
    const missing = 'c'.repeat(40)
    expect(await readGitRuleFiles({ git: createGitObjectRunner(repo, GIT_ENV), commit: missing })).toEqual({
      files: [],
      notes: [
        expect.stringMatching(/^git could not list the files at cccccccccccc \(fatal: .+\); no rule files were read\.$/)
      ]
    })
  })

  it('refuses anything but a full object id, so nothing can pass as an option', async () => {
    await expect(
      readGitRuleFiles({ git: createGitObjectRunner(repo, GIT_ENV), commit: '--output=/tmp/x' })
    ).rejects.toThrow(/full commit id/)
    await expect(readGitRuleFiles({ git: createGitObjectRunner(repo, GIT_ENV), commit: 'main' })).rejects.toThrow(
      /full commit id/
    )
  })
})

describe('parseLsTree', () => {
  it('reads modes, ids, sizes and paths with spaces, tabs or newlines', () => {
    const id = 'a'.repeat(40)
    const output = [
      `100644 blob ${id}      12\tdir with space/AGENTS.md`,
      `120000 blob ${id}       9\tlink`,
      `160000 commit ${id}       -\tsub`,
      `100755 blob ${id}       3\tnew\nline\tand tab`,
      ''
    ].join('\0')
    expect(parseLsTree(output)).toEqual([
      { path: 'dir with space/AGENTS.md', mode: '100644', id, size: 12 },
      { path: 'link', mode: '120000', id, size: 9 },
      { path: 'sub', mode: '160000', id },
      { path: 'new\nline\tand tab', mode: '100755', id, size: 3 }
    ])
  })
})
