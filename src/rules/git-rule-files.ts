/**
 * Reads the repository's rule files at a commit from git's object database: for the CLI and for runs with a
 * checkout. Only `git ls-tree` and `git cat-file blob` are used, through execFile (no shell): nothing in the
 * working tree is read, so uncommitted or checked-out head versions never count, a symbolic link named
 * AGENTS.md is seen as a link and not followed, and no textconv or filter driver from the user's git config
 * runs (`cat-file blob` applies none).
 *
 * Pass the base commit (the action: the pull request's base SHA; the CLI: the base ref's commit), never the
 * head. A commit missing from a shallow clone degrades to a note: the review runs without rules.
 */
import { execFile } from 'node:child_process'
import { getErrorMessage } from '../errors.js'
import {
  planRuleFileReads,
  RULE_FILE_LIMITS,
  type RuleFileText,
  type RuleFilesResult,
  type RuleTreeEntry
} from './rule-candidates.js'

export type { RuleFileText, RuleFilesResult }

/** Runs git with these arguments in the repository and resolves with its stdout. Rejects when git fails. */
export type GitObjectRunner = (args: readonly string[]) => Promise<string>

/** `ls-tree -r` of a large monorepo runs to tens of MB; more than this is not a repository we review. */
const MAX_GIT_OUTPUT_BYTES = 256 * 1024 * 1024
/** A full object id: SHA-1 or SHA-256. Refs are resolved by the caller, so nothing here is read as an option. */
const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i
/** `<mode> <type> <object> <size>\t<path>` (size right-aligned; `-` for submodules), one per NUL. */
const LS_TREE_RECORD = /^(\d{6}) (\w+) ([0-9a-f]{40,64}) +(-|\d+)\t([\s\S]+)$/

/**
 * A runner for the repository at `cwd`: execFile, no shell, messages in English (LC_ALL=C), never a prompt
 * or a pager. Rejects with git's first line of stderr.
 */
export function createGitObjectRunner(
  cwd: string,
  env: Readonly<Record<string, string | undefined>> = process.env
): GitObjectRunner {
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
          const firstLine = stderr.split('\n').find((line) => line.trim() !== '') ?? error.message
          reject(new Error(firstLine.trim(), { cause: error }))
        }
      )
    })
}

/** Parses `git ls-tree -r -l -z` output. */
export function parseLsTree(output: string): RuleTreeEntry[] {
  return output.split('\0').flatMap((record): RuleTreeEntry[] => {
    const match = LS_TREE_RECORD.exec(record)
    if (match === null) return []
    const [, mode = '', , id = '', size = '-', path = ''] = match
    return [{ path, mode, id, ...(size === '-' ? {} : { size: Number(size) }) }]
  })
}

export interface GitRuleFilesOptions {
  readonly git: GitObjectRunner
  /** Full object id of the commit to read at (the base). */
  readonly commit: string
  /** Defaults to RULE_FILE_LIMITS.maxFiles. */
  readonly maxFiles?: number
  /** Defaults to RULE_FILE_LIMITS.maxFileBytes. */
  readonly maxFileBytes?: number
}

/**
 * The rule files at `commit` in reading order (rule-candidates.ts), each at most `maxFileBytes`, and notes
 * on what was left out (symbolic links, submodules, sizes, git errors). Throws only for a `commit` that is
 * not a full object id.
 */
export async function readGitRuleFiles(options: GitRuleFilesOptions): Promise<RuleFilesResult> {
  if (!OBJECT_ID.test(options.commit))
    throw new Error(`readGitRuleFiles needs a full commit id; got "${options.commit}"`)
  const at = options.commit.slice(0, 12)
  let entries: RuleTreeEntry[]
  try {
    entries = parseLsTree(await options.git(['ls-tree', '-r', '-l', '-z', '--full-tree', options.commit]))
  } catch (error: unknown) {
    return {
      files: [],
      notes: [`git could not list the files at ${at} (${getErrorMessage(error)}); no rule files were read.`]
    }
  }
  const maxFileBytes = options.maxFileBytes ?? RULE_FILE_LIMITS.maxFileBytes
  const plan = planRuleFileReads(entries, {
    maxFileBytes,
    ...(options.maxFiles === undefined ? {} : { maxFiles: options.maxFiles })
  })
  const notes = [...plan.notes]
  const files: RuleFileText[] = []
  // One at a time: at most maxFiles small processes, and a stable order of notes.
  for (const entry of plan.reads) {
    try {
      files.push({ path: entry.path, text: await options.git(['cat-file', 'blob', entry.id]) })
    } catch (error: unknown) {
      notes.push(`git could not read ${entry.path} at ${at} (${getErrorMessage(error)}); not used.`)
    }
  }
  return { files, notes }
}
