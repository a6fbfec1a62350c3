/**
 * Runs the CLI in-process with captured stdout/stderr, and builds throwaway git repositories with real
 * commits for it to diff.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { runCli, type CliIo } from '../../src/cli/run-cli.js'
import type { ReviewClock } from '../../src/engine/review-limits.js'

export interface CliRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs the CLI with `argv`; only PATH and HOME from this process's environment (so no API key unless `env` has one); no retries. */
export async function runCliCapture(
  argv: readonly string[],
  options: {
    readonly cwd?: string
    readonly env?: Record<string, string>
    readonly stdin?: string
    /** The time budget's and rate limiter's clock; real time when absent. */
    readonly clock?: ReviewClock
    /** Between plain progress lines (stderr not a terminal). */
    readonly progressIntervalMs?: number
    /** Make stdout and stderr look like a terminal of this many columns. */
    readonly terminalColumns?: number
  } = {}
): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    argv,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    cwd: options.cwd ?? process.cwd(),
    stdout: { write: (text: string) => (stdout += text), ...terminal(options.terminalColumns) },
    stderr: { write: (text: string) => (stderr += text), ...terminal(options.terminalColumns) },
    readStdin: async () => options.stdin ?? '',
    modelTransport: { sleep: async () => undefined, maxRetries: 0 },
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.progressIntervalMs === undefined ? {} : { progressIntervalMs: options.progressIntervalMs })
  }
  const code = await runCli(io)
  return { code, stdout, stderr }
}

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.com',
  GIT_CONFIG_NOSYSTEM: '1'
}

/** A temporary git repository on branch `main`. */
export interface TempRepo {
  readonly dir: string
  git(...args: string[]): string
  write(path: string, content: string): void
  commitAll(message: string): void
  remove(): void
}

export function createTempRepo(): TempRepo {
  const dir = mkdtempSync(join(tmpdir(), 'codex-pr-review-cli-'))
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, env: GIT_ENV, encoding: 'utf8' })
  git('init', '--quiet', '--initial-branch=main')
  return {
    dir,
    git,
    write(path, content) {
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      writeFileSync(join(dir, path), content)
    },
    commitAll(message) {
      git('add', '--all')
      git('commit', '--quiet', '--message', message)
    },
    remove: () => rmSync(dir, { recursive: true, force: true })
  }
}

/** Numbered lines of code, so diffs have real hunks. */
export function codeLines(count: number, label: string): string {
  return (
    Array.from(
      { length: count },
      (_, index) => `export const ${label}${index} = ${index} // ${label} line ${index}`
    ).join('\n') + '\n'
  )
}

/**
 * main: src/app.ts, src/old.ts, README.md. feature (checked out): app.ts edited, util.ts added, old.ts deleted,
 * a lockfile and a minified bundle added. Working tree: one uncommitted edit to util.ts.
 */
export function createFeatureRepo(): TempRepo {
  const repo = createTempRepo()
  repo.write('src/app.ts', codeLines(30, 'app'))
  repo.write('src/old.ts', codeLines(5, 'old'))
  repo.write('README.md', '# demo\n')
  repo.commitAll('Initial commit')
  repo.git('checkout', '--quiet', '-b', 'feature')
  repo.write('src/app.ts', codeLines(30, 'app').replace('app5 = 5', 'app5 = 55').replace('app20 = 20', 'app20 = 2020'))
  repo.write('src/util.ts', codeLines(12, 'util'))
  repo.write('package-lock.json', '{\n  "lockfileVersion": 3\n}\n')
  repo.write('public/bundle.min.js', 'var a=1;\n')
  rmSync(join(repo.dir, 'src/old.ts'))
  repo.commitAll('Add util, tweak app')
  repo.write('src/util.ts', `${codeLines(12, 'util')}export const uncommitted = true\n`)
  return repo
}

function terminal(columns: number | undefined): { isTTY?: boolean; columns?: number } {
  return columns === undefined ? {} : { isTTY: true, columns }
}
