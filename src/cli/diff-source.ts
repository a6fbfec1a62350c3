/**
 * Where the CLI's diff comes from: a file, stdin, or a git range. Whatever the source, the rest of the
 * pipeline sees the same `PullDiffSource` the GitHub adapter produces.
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { PullDiffSource } from '../types.js'
import { readGitDiff, type GitRange, type GitRunner } from './git.js'
import { UsageError } from './usage-error.js'

/** The diff to review, what it is called in reports, and the text standing in for the PR's title and body. */
export interface LoadedDiff {
  readonly source: PullDiffSource
  /** E.g. "origin/main (merge-base 1a2b3c4d5e6f) → working tree" or "diff from stdin". */
  readonly label: string
  /** Short id of the reviewed head, shown where the action shows the head commit. */
  readonly head: string
  readonly pullRequest: { readonly title: string; readonly body: string }
  /** The base ref and its commit, for a git range; undefined for --diff, which has no base commit to read from. */
  readonly base?: { readonly ref: string; readonly sha: string }
  /** The git range diffed (merge-base, head commit or the working tree); undefined for --diff. */
  readonly range?: GitRange
}

export interface LoadDiffOptions {
  readonly base?: string | undefined
  readonly head?: string | undefined
  /** A path, or `-` for stdin. */
  readonly diff?: string | undefined
  readonly title?: string | undefined
  readonly description?: string | undefined
  readonly cwd: string
  readonly git: GitRunner
  readonly readStdin: () => Promise<string>
}

const SHORT_SHA = 12

/** Reads the diff from --diff (file or stdin) or from git. Throws UsageError naming the flag on failure. */
export async function loadDiff(options: LoadDiffOptions): Promise<LoadedDiff> {
  const override = (fallback: { title: string; body: string }): { title: string; body: string } => ({
    title: options.title ?? fallback.title,
    body: options.description ?? fallback.body
  })
  if (options.diff !== undefined) {
    const text = options.diff === '-' ? await options.readStdin() : await readDiffFile(options.diff, options.cwd)
    const label = options.diff === '-' ? 'diff from stdin' : `diff file ${options.diff}`
    return {
      source: { kind: 'unified', text },
      label,
      head: label,
      pullRequest: override({ title: 'Local diff', body: '' })
    }
  }
  const local = await readGitDiff(options.git, { base: options.base, head: options.head })
  const { range } = local
  const head = range.headSha === undefined ? 'working tree' : range.headSha.slice(0, SHORT_SHA)
  const headLabel = range.headRef === undefined ? head : `${range.headRef} (${head})`
  return {
    source: { kind: 'unified', text: local.text },
    label: `${range.baseRef} (merge-base ${range.mergeBase.slice(0, SHORT_SHA)}) → ${headLabel}`,
    head,
    pullRequest: override({ title: local.title, body: local.description }),
    base: { ref: range.baseRef, sha: range.baseSha },
    range
  }
}

async function readDiffFile(path: string, cwd: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, path), 'utf8')
  } catch (error: unknown) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(code ?? error)
    throw new UsageError(`Flag --diff: cannot read "${path}" (${why}). Pass a unified diff file, or - to read stdin.`)
  }
}
