/** Throwaway git repositories with real commits, for the git file source's tests. */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.com',
  GIT_CONFIG_NOSYSTEM: '1'
}

/** A temporary repository on branch `main`. */
export interface TempRepo {
  readonly dir: string
  git(...args: string[]): string
  write(path: string, content: string | Uint8Array): void
  symlink(path: string, target: string): void
  /** Commits everything and returns the new commit's id. */
  commitAll(message: string): string
  remove(): void
}

/** A new empty repository in a temporary folder (`parent` when given). */
export function createTempRepo(parent?: string): TempRepo {
  const dir = parent === undefined ? mkdtempSync(join(tmpdir(), 'codex-pr-review-context-')) : parent
  mkdirSync(dir, { recursive: true })
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, env: GIT_ENV, encoding: 'utf8' })
  git('init', '--quiet', '--initial-branch=main')
  return {
    dir,
    git,
    write(path, content) {
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      writeFileSync(join(dir, path), content)
    },
    symlink(path, target) {
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      symlinkSync(target, join(dir, path))
    },
    commitAll(message) {
      git('add', '--all')
      git('commit', '--quiet', '--message', message)
      return git('rev-parse', 'HEAD').trim()
    },
    remove: () => rmSync(dir, { recursive: true, force: true })
  }
}
