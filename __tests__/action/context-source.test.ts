/**
 * Which workspace the action trusts to hold the reviewed head: real repositories in temp folders, at the head,
 * at another commit, at a merge commit with and without the head in its history.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openWorkspaceSource } from '../../src/action/context-source.js'
import { readCheckoutDiff } from '../../src/action/checkout-diff.js'
import { GIT_DIFF_FLAGS } from '../../src/cli/git.js'
import { createTempRepo, type TempRepo } from '../context/git-repo.js'

describe('openWorkspaceSource (the checkout check)', () => {
  let repo: TempRepo
  let base: string
  let head: string

  beforeAll(() => {
    repo = createTempRepo()
    repo.write('src/app.js', 'export const version = 1\n')
    base = repo.commitAll('base')
    repo.git('checkout', '--quiet', '-b', 'feature')
    repo.write('src/app.js', 'export const version = 2\n')
    head = repo.commitAll('head')
  })
  afterAll(() => repo.remove())
  afterEach(() => repo.git('checkout', '--quiet', '--force', 'feature'))

  it('uses a workspace whose HEAD is the reviewed head', async () => {
    const opened = await openWorkspaceSource({ workspace: repo.dir, headSha: head })
    expect(opened.ok).toBe(true)
    if (!opened.ok) return
    expect(opened.files.kind).toBe('checkout')
    expect(await opened.files.source?.read(['src/app.js'])).toEqual(
      new Map([['src/app.js', 'export const version = 2\n']])
    )
  })

  it('does not use a workspace at another commit that lacks the head', async () => {
    const other = createTempRepo()
    try {
      other.write('src/app.js', 'export const version = 99\n')
      const otherHead = other.commitAll('unrelated')
      const opened = await openWorkspaceSource({ workspace: other.dir, headSha: head })
      expect(opened).toEqual({
        ok: false,
        reason: `the checkout is at another commit (${otherHead.slice(0, 12)}, not ${head.slice(0, 12)}) without the head commit in its history`
      })
    } finally {
      other.remove()
    }
  })

  it('reads the head, not what is checked out, when the head commit is in the repository (a merge checkout)', async () => {
    repo.git('checkout', '--quiet', '-b', 'merge-ref', base)
    repo.write('src/other.js', 'export const other = 1\n')
    repo.commitAll('base moves on')
    repo.git('merge', '--quiet', '--no-edit', '--no-ff', 'feature')
    repo.write('src/app.js', 'export const version = "working tree, not committed"\n')
    const opened = await openWorkspaceSource({ workspace: repo.dir, headSha: head })
    expect(opened.ok).toBe(true)
    if (!opened.ok) return
    expect(opened.files.kind).toBe('git')
    expect(opened.files.description).toMatch(/^the head commit [0-9a-f]{12} in the workspace's repository/)
    const reads = await opened.files.source?.read(['src/app.js', 'src/other.js'])
    expect(reads?.get('src/app.js')).toBe('export const version = 2\n')
    // Not at the head: a file only the merge has is missing.
    expect(reads?.get('src/other.js')).toEqual({ skipped: 'missing' })
  })

  it('says why there is no workspace source without a repository or a workspace', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'codex-pr-review-empty-workspace-'))
    try {
      const opened = await openWorkspaceSource({ workspace: empty, headSha: head })
      expect(opened.ok).toBe(false)
      if (!opened.ok) expect(opened.reason).toMatch(/^git cannot read the repository/)
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
    expect(await openWorkspaceSource({ workspace: '', headSha: head })).toEqual({
      ok: false,
      reason: 'GITHUB_WORKSPACE is not set'
    })
  })
})

describe('readCheckoutDiff (the whole diff past GitHub’s 3,000-file listing)', () => {
  let repo: TempRepo
  let base: string
  let head: string

  beforeAll(() => {
    repo = createTempRepo()
    repo.write('a.txt', 'one\n')
    base = repo.commitAll('base')
    repo.git('checkout', '--quiet', '-b', 'feature')
    repo.write('a.txt', 'one\ntwo\n')
    repo.write('b.txt', 'new\n')
    head = repo.commitAll('head')
    // The base branch moves on: the diff is from the merge-base, as GitHub diffs a pull request.
    repo.git('checkout', '--quiet', 'main')
    repo.write('c.txt', 'on main only\n')
    base = repo.commitAll('main moves')
  })
  afterAll(() => repo.remove())

  it('diffs the merge-base of base and head against the head, with the pinned flags', async () => {
    // The repository's own settings must not change the output.
    repo.git('config', 'diff.noprefix', 'true')
    repo.git('config', 'diff.external', 'false')
    const diff = await readCheckoutDiff({ workspace: repo.dir, baseSha: base, headSha: head })
    const mergeBase = repo.git('merge-base', base, head).trim()
    expect(diff).toEqual({
      ok: true,
      mergeBase,
      text: repo.git('-c', 'diff.noprefix=false', 'diff', ...GIT_DIFF_FLAGS, mergeBase, head)
    })
    if (diff.ok) {
      expect(diff.text).toContain('diff --git a/b.txt b/b.txt')
      expect(diff.text).not.toContain('c.txt')
    }
  })

  it('refuses a workspace that lacks the base or the head commit', async () => {
    const missing = 'f'.repeat(40)
    expect(await readCheckoutDiff({ workspace: repo.dir, baseSha: missing, headSha: head })).toEqual({
      ok: false,
      reason: `the workspace's repository does not have the base commit ${missing.slice(0, 12)}`
    })
    expect(await readCheckoutDiff({ workspace: '', baseSha: base, headSha: head })).toMatchObject({ ok: false })
  })
})
