/**
 * Real-world diffs for tests and benchmarks: two published versions of an npm package, diffed by
 * `../shared/tools/npm-pair-diff` (beside the repository) or, where that is absent (a fresh clone), by a
 * byte-identical TypeScript port of it. Made when a test runs and cached in the temp dir, never committed:
 * the project commits only code its authors wrote.
 */
import { execFileSync } from 'node:child_process'
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export interface PackagePair {
  readonly pkg: string
  readonly oldVersion: string
  readonly newVersion: string
}

/**
 * summernote 0.8.9 → 0.8.10: 406 files, ~3,700 changed lines, 2 renames (one with edits, one without),
 * 8 binary files (fonts, zips; added, deleted and modified), 235 deleted files, `\ No newline` markers.
 */
export const REAL_WORLD_PAIR = { pkg: 'summernote', oldVersion: '0.8.9', newVersion: '0.8.10' } as const

/** Pairs of increasing size for benchmarks (changed lines counted as `^[+-]` lines, headers included). */
export const BENCH_PAIRS = [
  /** ~360 changed lines, 36 files, 2 renames, 1 binary (font). */
  { pkg: '@vscode/codicons', oldVersion: '0.0.32', newVersion: '0.0.35' },
  /** ~10,100 changed lines, 61 files, 7 deleted. */
  { pkg: 'jquery', oldVersion: '3.6.0', newVersion: '3.7.1' },
  /** ~57,000 changed lines, 249 files, 4 renames, 8 binaries, 107 deleted (over GitHub's 20,000-line diff limit). */
  { pkg: 'bootstrap', oldVersion: '3.4.1', newVersion: '4.0.0' }
] as const satisfies readonly PackagePair[]

/**
 * Pairs for the context benchmark: real code changes in JavaScript, where context can be parsed. Small (commander),
 * the semver change issue 11 sets targets on, medium (jquery) and large (bootstrap, mostly SCSS plus 12 JS files).
 */
export const CONTEXT_BENCH_PAIRS = [
  /** ~1,000 diff lines, 9 files: index.js, lib/*.js, typings. */
  { pkg: 'commander', oldVersion: '11.0.0', newVersion: '11.1.0' },
  /** ~1,500 diff lines, 17 files: classes/, functions/, internal/, ranges/. */
  { pkg: 'semver', oldVersion: '7.3.8', newVersion: '7.7.1' },
  { pkg: 'jquery', oldVersion: '3.6.0', newVersion: '3.7.1' },
  { pkg: 'bootstrap', oldVersion: '3.4.1', newVersion: '4.0.0' }
] as const satisfies readonly PackagePair[]

/** A pair as a git repository: the old version's commit, the new version's on top of it. */
export interface PackageRepository {
  readonly dir: string
  readonly oldCommit: string
  readonly newCommit: string
}

/**
 * The two versions of `pair` as commits of a git repository, made the way npm-pair-diff makes its diff (pack both,
 * commit the old tree, replace it with the new one, commit), so `git diff -M old new` there is that diff. Kept in
 * the cache dir (`<name>.repo`) for the next run; the first run downloads both tarballs from the npm registry.
 */
export function loadPackageRepository(
  pair: PackagePair,
  options: { readonly cacheDir?: string } = {}
): PackageRepository {
  const cacheDir = options.cacheDir ?? CACHE_DIR
  const dir = cacheFilePath(cacheDir, pair).replace(/\.diff$/, '.repo')
  const label = `${pair.pkg} ${pair.oldVersion} ${pair.newVersion}`
  const commits = (): PackageRepository | undefined => {
    try {
      const log = execFileSync('git', ['-C', dir, 'log', '--format=%H', '-n', '2', 'main'], { encoding: 'utf8' })
      const [newCommit, oldCommit] = log.trim().split('\n')
      return newCommit !== undefined && oldCommit !== undefined ? { dir, oldCommit, newCommit } : undefined
    } catch {
      return undefined
    }
  }
  const cached = existsSync(dir) ? commits() : undefined
  if (cached !== undefined) return cached
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const work = mkdtempSync(path.join(os.tmpdir(), 'npm-pair-repo-'))
  try {
    const oldTarball = packVersion(pair.pkg, pair.oldVersion, path.join(work, 'old'))
    const newTarball = packVersion(pair.pkg, pair.newVersion, path.join(work, 'new'))
    runStep(label, 'git', ['init', '-q', '--initial-branch=main', dir])
    runStep(label, 'git', ['-C', dir, 'config', 'user.email', 'bench@localhost'])
    runStep(label, 'git', ['-C', dir, 'config', 'user.name', 'bench'])
    commitTarball(label, dir, oldTarball, `${pair.pkg}@${pair.oldVersion}`)
    runStep(label, 'git', ['-C', dir, 'rm', '-rq', '.'])
    runStep(label, 'git', ['-C', dir, 'clean', '-fdq'])
    commitTarball(label, dir, newTarball, `${pair.pkg}@${pair.newVersion}`)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  const made = commits()
  if (made === undefined) throw new Error(`${label}: the repository has no two commits`)
  return made
}

/** Default cache: shared by both paths, so a diff made by one is a cache hit for the other. */
const CACHE_DIR = path.join(os.tmpdir(), 'codex-pr-review-npm-pair-diff')
/** The first run downloads both tarballs from the npm registry. */
const TOOL_TIMEOUT_MS = 5 * 60 * 1000
/** The largest diffs run to tens of MB. */
const MAX_DIFF_BYTES = 512 * 1024 * 1024
/** Timeout for one `npm pack`, `tar` or `git` step of the built-in path. */
const STEP_TIMEOUT_MS = 2 * 60 * 1000

/**
 * Which implementation makes the diff: `shared` is `../shared/tools/npm-pair-diff` (the project's tool),
 * `builtin` is the TypeScript port below (for a fresh clone, which has no `../shared`), `auto` picks `shared`
 * when the tool exists.
 */
export type DiffSource = 'auto' | 'shared' | 'builtin'

export interface LoadPackageDiffOptions {
  /** Default `auto`. */
  readonly using?: DiffSource
  /** Default: `codex-pr-review-npm-pair-diff` in the OS temp dir. */
  readonly cacheDir?: string
}

/** Prints the unified diff between two published versions of `pkg` (cached after the first run). */
export function loadPackageDiff(
  pkg: string,
  oldVersion: string,
  newVersion: string,
  options: LoadPackageDiffOptions = {}
): string {
  const pair: PackagePair = { pkg, oldVersion, newVersion }
  const cacheDir = options.cacheDir ?? CACHE_DIR
  const using = options.using ?? 'auto'
  const tool = findSharedTool()
  if (using === 'builtin' || (using === 'auto' && tool === undefined)) return makeDiffBuiltin(pair, cacheDir)
  if (tool === undefined) {
    throw new Error(`npm-pair-diff not found at ${sharedToolPath()}: shared/ must sit beside the repository`)
  }
  return runSharedTool(tool, pair, cacheDir)
}

/** Path of `../shared/tools/npm-pair-diff` beside the repository, or undefined when there is none (a fresh clone). */
export function findSharedTool(): string | undefined {
  const tool = sharedToolPath()
  return existsSync(tool) ? tool : undefined
}

/** Where both paths cache a pair's diff: `<cacheDir>/<pkg with / and @ as _>-<old>-<new>.diff`, as the script names it. */
export function cacheFilePath(cacheDir: string, pair: PackagePair): string {
  const safe = pair.pkg.replace(/[/@]/g, '_')
  return path.join(cacheDir, `${safe}-${pair.oldVersion}-${pair.newVersion}.diff`)
}

function sharedToolPath(): string {
  return path.join(findRepoRoot(process.cwd()), '..', 'shared', 'tools', 'npm-pair-diff')
}

function runSharedTool(tool: string, pair: PackagePair, cacheDir: string): string {
  try {
    return execFileSync(tool, [pair.pkg, pair.oldVersion, pair.newVersion, cacheDir], {
      encoding: 'utf8',
      timeout: TOOL_TIMEOUT_MS,
      maxBuffer: MAX_DIFF_BYTES,
      stdio: ['ignore', 'pipe', 'pipe']
    })
  } catch (error: unknown) {
    throw new Error(
      `npm-pair-diff ${pair.pkg} ${pair.oldVersion} ${pair.newVersion} failed: ${describeFailure(error)}`,
      { cause: error }
    )
  }
}

/**
 * The script's steps, one for one, so the output is byte-identical: pack both versions, commit the old tree,
 * replace it with the new one, commit, `git diff -M HEAD~1 HEAD`. Written to the cache atomically (tmp + rename).
 */
function makeDiffBuiltin(pair: PackagePair, cacheDir: string): string {
  const out = cacheFilePath(cacheDir, pair)
  if (isNonEmptyFile(out)) return readFileSync(out, 'utf8')
  mkdirSync(cacheDir, { recursive: true })
  const work = mkdtempSync(path.join(os.tmpdir(), 'npm-pair-diff-'))
  const tmp = `${out}.${process.pid}.tmp`
  try {
    const oldTarball = packVersion(pair.pkg, pair.oldVersion, path.join(work, 'old'))
    const newTarball = packVersion(pair.pkg, pair.newVersion, path.join(work, 'new'))
    const repo = path.join(work, 'repo')
    const label = `${pair.pkg} ${pair.oldVersion} ${pair.newVersion}`
    runStep(label, 'git', ['init', '-q', repo])
    runStep(label, 'git', ['-C', repo, 'config', 'user.email', 'bench@localhost'])
    runStep(label, 'git', ['-C', repo, 'config', 'user.name', 'bench'])
    commitTarball(label, repo, oldTarball, `${pair.pkg}@${pair.oldVersion}`)
    runStep(label, 'git', ['-C', repo, 'rm', '-rq', '.'])
    runStep(label, 'git', ['-C', repo, 'clean', '-fdq'])
    commitTarball(label, repo, newTarball, `${pair.pkg}@${pair.newVersion}`)
    writeDiff(label, repo, tmp)
    renameSync(tmp, out)
    return readFileSync(out, 'utf8')
  } finally {
    rmSync(tmp, { force: true })
    rmSync(work, { recursive: true, force: true })
  }
}

/** `npm pack PKG@VERSION` into `directory`; returns the tarball's path. */
function packVersion(pkg: string, version: string, directory: string): string {
  mkdirSync(directory, { recursive: true })
  runStep(`npm pack ${pkg}@${version}`, 'npm', ['pack', '--silent', `${pkg}@${version}`], directory)
  const tarballs = readdirSync(directory).filter((name) => name.endsWith('.tgz'))
  if (tarballs.length !== 1) {
    throw new Error(`npm pack ${pkg}@${version} failed: expected one tarball, found ${tarballs.length}`)
  }
  return path.join(directory, tarballs[0] as string)
}

function commitTarball(label: string, repo: string, tarball: string, message: string): void {
  runStep(label, 'tar', ['-xzf', tarball, '-C', repo, '--strip-components=1'])
  runStep(label, 'git', ['-C', repo, 'add', '-A'])
  runStep(label, 'git', ['-C', repo, 'commit', '-qm', message])
}

/** git writes straight into the file, as the script's `>` does: no buffer limit, no re-encoding. */
function writeDiff(label: string, repo: string, file: string): void {
  const fd = openSync(file, 'w')
  try {
    runStep(label, 'git', ['-C', repo, 'diff', '-M', 'HEAD~1', 'HEAD'], undefined, fd)
  } finally {
    closeSync(fd)
  }
}

/** Runs one command without a shell; failures name `label` (the package and version(s) involved). */
function runStep(label: string, command: string, args: readonly string[], cwd?: string, stdoutFd?: number): void {
  try {
    execFileSync(command, args, { cwd, timeout: STEP_TIMEOUT_MS, stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'] })
  } catch (error: unknown) {
    const what = label.startsWith('npm pack ') ? label : `${label}: ${command} ${args.join(' ')}`
    throw new Error(`${what} failed: ${describeFailure(error)}`, { cause: error })
  }
}

function isNonEmptyFile(file: string): boolean {
  try {
    return statSync(file).size > 0
  } catch {
    return false
  }
}

/** The diff of REAL_WORLD_PAIR. */
export function loadRealWorldDiff(): string {
  return loadPackageDiff(REAL_WORLD_PAIR.pkg, REAL_WORLD_PAIR.oldVersion, REAL_WORLD_PAIR.newVersion)
}

/** Walks up from `start` to the nearest directory with a package.json (jest runs at the repository root). */
function findRepoRoot(start: string): string {
  let directory = path.resolve(start)
  while (!existsSync(path.join(directory, 'package.json'))) {
    const parent = path.dirname(directory)
    if (parent === directory) throw new Error(`no package.json above ${start}: cannot locate the repository root`)
    directory = parent
  }
  return directory
}

function describeFailure(error: unknown): string {
  const stderr = typeof error === 'object' && error !== null && 'stderr' in error ? String(error.stderr).trim() : ''
  const message = error instanceof Error ? error.message : String(error)
  return stderr.length > 0 ? stderr : message
}
