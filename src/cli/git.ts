/**
 * The local stand-in for the GitHub adapter's diff: `git diff` of a range, run with execFile (no shell, so no
 * ref or path is ever interpreted by one). Output flags are pinned so the user's git config (external diff
 * drivers, colour, noprefix, textconv) cannot change what the parser receives.
 */
import { execFile } from 'node:child_process'
import { UsageError } from './usage-error.js'

/** Diffs of generated or vendored trees run to tens of MB; the parser handles them, so let git print them. */
const MAX_GIT_OUTPUT_BYTES = 512 * 1024 * 1024
/** Commit subjects sent to the model as the "description" of a local change. */
const MAX_SUBJECTS = 50

/** `git diff` flags whose output parse.ts reads: a/ b/ prefixes, renames, no colour, no drivers. */
export const GIT_DIFF_FLAGS = [
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '-M',
  '--src-prefix=a/',
  '--dst-prefix=b/'
] as const

/** Runs git in `cwd` and resolves with its stdout; rejects with a GitFailure. */
export type GitRunner = (args: readonly string[]) => Promise<string>

/** git ran and failed (or could not start): carries the first line git printed. */
export class GitFailure extends Error {
  override readonly name = 'GitFailure'
  constructor(
    message: string,
    readonly details: { readonly exitCode?: number; readonly missing?: boolean }
  ) {
    super(message)
  }
}

/** A GitRunner for the repository at `cwd`. Messages are forced to English so errors read the same everywhere. */
export function createGitRunner(cwd: string, env: Readonly<Record<string, string | undefined>>): GitRunner {
  return (args) =>
    new Promise((resolve, reject) => {
      execFile(
        'git',
        [...args],
        {
          cwd,
          encoding: 'utf8',
          maxBuffer: MAX_GIT_OUTPUT_BYTES,
          env: { ...env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat' }
        },
        (error, stdout, stderr) => {
          if (error === null) return resolve(stdout)
          const code = (error as NodeJS.ErrnoException).code
          if (code === 'ENOENT') return reject(new GitFailure('git was not found on PATH', { missing: true }))
          const firstLine = stderr.split('\n').find((line) => line.trim() !== '') ?? error.message
          const exitCode = typeof error.code === 'number' ? error.code : undefined
          reject(new GitFailure(firstLine.trim(), exitCode === undefined ? {} : { exitCode }))
        }
      )
    })
}

/** What was diffed, for the report and for the model's "pull request" text. */
export interface GitRange {
  /** The commit diffed from: merge-base of the base ref and the head. */
  readonly mergeBase: string
  /** The ref given or found for the base, e.g. `origin/main`. */
  readonly baseRef: string
  /** The commit the base ref names: where the repository config file is read, as the action reads it at the PR's base. */
  readonly baseSha: string
  /** The head commit; undefined = the working tree. */
  readonly headSha?: string
  readonly headRef?: string
}

/** A local diff plus the text the model gets in place of a pull request's title and description. */
export interface LocalDiff {
  readonly text: string
  readonly range: GitRange
  readonly title: string
  readonly description: string
}

/** Resolves the range and runs `git diff`. Throws UsageError naming the flag when a ref cannot be used. */
export async function readGitDiff(
  git: GitRunner,
  options: { readonly base?: string | undefined; readonly head?: string | undefined }
): Promise<LocalDiff> {
  await ensureRepository(git)
  const headSha = options.head === undefined ? undefined : await resolveCommit(git, options.head, 'head')
  const baseRef = options.base ?? (await findDefaultBranch(git))
  const baseSha = await resolveCommit(git, baseRef, 'base')
  const mergeBase = await findMergeBase(git, { baseRef, baseSha, headSha, head: options.head })
  const text = await git(['diff', ...GIT_DIFF_FLAGS, mergeBase, ...(headSha === undefined ? [] : [headSha])])
  const range: GitRange = {
    mergeBase,
    baseRef,
    baseSha,
    ...(headSha === undefined ? {} : { headSha }),
    ...(options.head === undefined ? {} : { headRef: options.head })
  }
  return { text, range, ...(await describeRange(git, range)) }
}

async function ensureRepository(git: GitRunner): Promise<void> {
  try {
    await git(['rev-parse', '--git-dir'])
  } catch (error: unknown) {
    if (error instanceof GitFailure && error.details.missing === true) {
      throw new UsageError(
        'git was not found on PATH: install git, or pass a diff with --diff FILE (or --diff - for stdin).'
      )
    }
    throw new UsageError(
      `This is not a git repository (${describe(error)}): run inside one, or pass a diff with --diff FILE (or --diff -).`
    )
  }
}

/** Refs starting with "-" are refused by the flag parser, so git cannot read one as an option. */
async function resolveCommit(git: GitRunner, ref: string, flag: 'base' | 'head'): Promise<string> {
  try {
    return (await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim()
  } catch {
    throw new UsageError(
      `Flag --${flag}: "${ref}" is not a commit in this repository. Check the name (git branch -a), fetch it ` +
        `(e.g. git fetch origin ${ref.replace(/^origin\//, '')}), or pass another ref.`
    )
  }
}

/** origin/HEAD when the clone knows it, else the first of main, master, origin/main, origin/master that exists. */
async function findDefaultBranch(git: GitRunner): Promise<string> {
  try {
    const remoteHead = (await git(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'])).trim()
    if (remoteHead !== '') return remoteHead
  } catch {
    // No origin/HEAD (no remote, or `git remote set-head origin --auto` never ran): try the usual names.
  }
  for (const candidate of ['main', 'master', 'origin/main', 'origin/master']) {
    try {
      await git(['rev-parse', '--verify', '--quiet', `${candidate}^{commit}`])
      return candidate
    } catch {
      // Not this one.
    }
  }
  throw new UsageError(
    'Flag --base is needed here: no default branch was found (no origin/HEAD, main or master). ' +
      'Pass the commit to review from, e.g. --base HEAD~3 or --base origin/develop.'
  )
}

async function findMergeBase(
  git: GitRunner,
  range: { readonly baseRef: string; readonly baseSha: string; readonly headSha?: string; readonly head?: string }
): Promise<string> {
  const head = range.headSha ?? 'HEAD'
  try {
    return (await git(['merge-base', range.baseSha, head])).trim()
  } catch (error: unknown) {
    const what = range.head === undefined ? 'HEAD' : `--head ${range.head}`
    throw new UsageError(
      `Flag --base: "${range.baseRef}" and ${what} have no common commit (${describe(error)}). ` +
        'Pass a --base that shares history with the change.'
    )
  }
}

/** The newest commit's subject as the title; the commit subjects as the description. */
async function describeRange(git: GitRunner, range: GitRange): Promise<{ title: string; description: string }> {
  const head = range.headSha ?? 'HEAD'
  const log = await git(['log', `--max-count=${MAX_SUBJECTS}`, '--format=%s', `${range.mergeBase}..${head}`])
  const subjects = log.split('\n').filter((line) => line.trim() !== '')
  const workingTree = range.headSha === undefined ? ['Includes uncommitted changes in the working tree.'] : []
  const title = subjects[0] ?? (range.headSha === undefined ? 'Local uncommitted changes' : 'Local changes')
  const description = [...subjects.map((subject) => `- ${subject}`), ...workingTree].join('\n')
  return { title, description }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
