/**
 * Real-world diffs for tests and benchmarks: two published versions of an npm package, diffed by
 * `../shared/tools/npm-pair-diff` (beside the repository). Made when a test runs and cached in the temp dir,
 * never committed: the project commits only code its authors wrote.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
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

const CACHE_DIR = path.join(os.tmpdir(), 'codex-pr-review-npm-pair-diff')
/** The first run downloads both tarballs from the npm registry. */
const TOOL_TIMEOUT_MS = 5 * 60 * 1000
/** The largest diffs run to tens of MB. */
const MAX_DIFF_BYTES = 512 * 1024 * 1024

/** Prints the unified diff between two published versions of `pkg` (cached after the first run). */
export function loadPackageDiff(pkg: string, oldVersion: string, newVersion: string): string {
  const tool = path.join(findRepoRoot(process.cwd()), '..', 'shared', 'tools', 'npm-pair-diff')
  if (!existsSync(tool)) {
    throw new Error(`npm-pair-diff not found at ${tool}: shared/ must sit beside the repository`)
  }
  try {
    return execFileSync(tool, [pkg, oldVersion, newVersion, CACHE_DIR], {
      encoding: 'utf8',
      timeout: TOOL_TIMEOUT_MS,
      maxBuffer: MAX_DIFF_BYTES,
      stdio: ['ignore', 'pipe', 'pipe']
    })
  } catch (error: unknown) {
    throw new Error(`npm-pair-diff ${pkg} ${oldVersion} ${newVersion} failed: ${describeFailure(error)}`)
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
