/**
 * The whole diff of a pull request GitHub lists only in part (over its 3,000-file listing cap), from the
 * workspace's repository, when it has both the head commit and the base commit with their common history
 * (`actions/checkout` with `fetch-depth: 0`). It is `git diff <merge-base> <head>`, the range GitHub diffs a pull
 * request over, with the output flags pinned as the CLI pins them (src/cli/git.ts) and the diff algorithm
 * fixed, run through the hardened runner: the checkout is the pull request's code, so no configured program
 * (external diff, textconv, fsmonitor, pager) may run, and nothing is fetched. Commits are named by id, so what
 * is checked out does not matter.
 */
import { createGitRunner, GitCommandError, type GitRunner } from '../context/git-command.js'

/** Diffs of thousands of files run to hundreds of MB; the parser handles them. */
const MAX_DIFF_BYTES = 512 * 1024 * 1024
/** A diff that takes longer is abandoned; the listed files are reviewed instead. */
const DIFF_TIMEOUT_MS = 5 * 60 * 1000
const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i
const SHORT_SHA = 12

/**
 * `git diff` flags whose output parse.ts reads, as src/cli/git.ts pins them (a/ b/ prefixes, renames, no colour,
 * no drivers), plus the default (Myers) algorithm whatever the repository configures, as GitHub uses.
 */
export const CHECKOUT_DIFF_FLAGS = [
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--diff-algorithm=myers',
  '--no-relative',
  '--ignore-submodules=none',
  '-M',
  '--src-prefix=a/',
  '--dst-prefix=b/'
] as const

/** The diff, or why the workspace cannot give it. */
export type CheckoutDiff =
  | { readonly ok: true; readonly text: string; readonly mergeBase: string }
  | { readonly ok: false; readonly reason: string }

/** `git diff <merge-base of base and head> <head>` in the workspace's repository, or why not. */
export async function readCheckoutDiff(options: {
  readonly workspace: string
  readonly baseSha: string
  readonly headSha: string
  readonly env?: NodeJS.ProcessEnv
}): Promise<CheckoutDiff> {
  if (options.workspace === '') return { ok: false, reason: 'GITHUB_WORKSPACE is not set' }
  if (!FULL_SHA.test(options.baseSha) || !FULL_SHA.test(options.headSha)) {
    return { ok: false, reason: 'the base or head is not a full commit id' }
  }
  const env = options.env === undefined ? {} : { env: options.env }
  let git: GitRunner
  try {
    const probe = createGitRunner({ cwd: options.workspace, ...env })
    const topLevel = (await probe.run(['rev-parse', '--show-toplevel'])).toString('utf8').trim()
    git = createGitRunner({ cwd: topLevel, ...env })
  } catch (error: unknown) {
    return { ok: false, reason: `the workspace holds no git repository (${describe(error)})` }
  }
  for (const [what, sha] of [
    ['head', options.headSha],
    ['base', options.baseSha]
  ] as const) {
    if (!(await hasCommit(git, sha))) {
      return {
        ok: false,
        reason: `the workspace's repository does not have the ${what} commit ${sha.slice(0, SHORT_SHA)}`
      }
    }
  }
  let mergeBase: string
  try {
    mergeBase = (await git.run(['merge-base', options.baseSha, options.headSha])).toString('utf8').trim()
  } catch (error: unknown) {
    return { ok: false, reason: `the base and head have no common history in the workspace (${describe(error)})` }
  }
  if (!FULL_SHA.test(mergeBase)) return { ok: false, reason: 'git found no merge-base of the base and head' }
  try {
    const output = await git.run(
      ['-c', 'diff.suppressBlankEmpty=false', 'diff', ...CHECKOUT_DIFF_FLAGS, mergeBase, options.headSha],
      { maxBuffer: MAX_DIFF_BYTES, timeoutMs: DIFF_TIMEOUT_MS }
    )
    return { ok: true, text: output.toString('utf8'), mergeBase: mergeBase.toLowerCase() }
  } catch (error: unknown) {
    return { ok: false, reason: `git diff failed (${describe(error)})` }
  }
}

async function hasCommit(git: GitRunner, sha: string): Promise<boolean> {
  try {
    const output = await git.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${sha}^{commit}`])
    return output.toString('utf8').trim().toLowerCase() === sha.toLowerCase()
  } catch {
    return false
  }
}

function describe(error: unknown): string {
  return error instanceof GitCommandError || error instanceof Error ? error.message : String(error)
}
