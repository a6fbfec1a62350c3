/**
 * Reads the repository's rule files (AGENTS.md, CLAUDE.md, Copilot instructions) at a commit through the Git
 * database API: the tree says what each path is (a symbolic link named AGENTS.md is listed as one, where the
 * contents API would serve its target's text), and blobs are fetched by id, size-capped before download.
 *
 * Always call it with the pull request's BASE SHA, never the head: a pull request must not be able to rewrite
 * the rules it is reviewed by. Failures degrade: the review runs without rules and the notes say why.
 */
import { mapWithConcurrency } from '../util/concurrency.js'
import {
  planRuleFileReads,
  RULE_FILE_LIMITS,
  type RuleFileText,
  type RuleFilesResult,
  type RuleTreeEntry
} from '../rules/rule-candidates.js'
import type { GitHubApi } from './client.js'
import { describeGitHubError } from './http-errors.js'

export type { RuleFileText, RuleFilesResult }

export interface RuleFilesRequest {
  readonly owner: string
  readonly repo: string
  /** Commit SHA to read at: the pull request's base. */
  readonly ref: string
  /** Defaults to RULE_FILE_LIMITS.maxFiles. */
  readonly maxFiles?: number
  /** Defaults to RULE_FILE_LIMITS.maxFileBytes. */
  readonly maxFileBytes?: number
}

/** Blob requests in flight at once: a handful keeps the wait short without tripping secondary limits. */
const BLOB_CONCURRENCY = 4

interface ListedTree {
  readonly entries: RuleTreeEntry[]
  readonly truncated: boolean
}

async function listTree(
  api: GitHubApi,
  request: RuleFilesRequest,
  sha: string,
  recursive: boolean
): Promise<ListedTree> {
  const { data } = await api.rest.git.getTree({
    owner: request.owner,
    repo: request.repo,
    tree_sha: sha,
    ...(recursive ? { recursive: '1' } : {})
  })
  const entries = data.tree.flatMap((item): RuleTreeEntry[] =>
    typeof item.path === 'string' && typeof item.mode === 'string' && typeof item.sha === 'string'
      ? [
          {
            path: item.path,
            mode: item.mode,
            id: item.sha,
            ...(typeof item.size === 'number' ? { size: item.size } : {})
          }
        ]
      : []
  )
  return { entries, truncated: data.truncated === true }
}

/**
 * When GitHub cuts the recursive listing (over 100,000 entries or 7 MB), the repository-wide files are still
 * found: the root is listed on its own and `.github/` recursively. Nested files outside the part listed are not.
 */
async function listRuleTree(
  api: GitHubApi,
  request: RuleFilesRequest
): Promise<{ entries: RuleTreeEntry[]; notes: string[] }> {
  const full = await listTree(api, request, request.ref, true)
  if (!full.truncated) return { entries: full.entries, notes: [] }
  const root = await listTree(api, request, request.ref, false)
  const dotGithub = root.entries.find((entry) => entry.path === '.github' && entry.mode === '040000')
  const github =
    dotGithub === undefined
      ? []
      : (await listTree(api, request, dotGithub.id, true)).entries.map((entry) => ({
          ...entry,
          path: `.github/${entry.path}`
        }))
  const byPath = new Map([...full.entries, ...root.entries, ...github].map((entry) => [entry.path, entry]))
  const note =
    `The file tree at ${request.ref.slice(0, 12)} is too large for GitHub to list at once (truncated): rule files ` +
    'were looked for at the root, in .github/ and in the part listed; nested ones elsewhere may have been missed.'
  return { entries: [...byPath.values()], notes: [note] }
}

async function fetchBlobText(api: GitHubApi, request: RuleFilesRequest, entry: RuleTreeEntry): Promise<string> {
  const { data } = await api.rest.git.getBlob({ owner: request.owner, repo: request.repo, file_sha: entry.id })
  return data.encoding === 'base64' ? Buffer.from(data.content, 'base64').toString('utf8') : data.content
}

/**
 * The rule files at `request.ref` in reading order (rule-candidates.ts), each at most `maxFileBytes`, and
 * notes on what was left out: symbolic links and submodules by those names, files over the limits, a
 * truncated tree, and GitHub errors (then without those files, or without any).
 */
export async function fetchRuleFiles(api: GitHubApi, request: RuleFilesRequest): Promise<RuleFilesResult> {
  const at = request.ref.slice(0, 12)
  let listed: { entries: RuleTreeEntry[]; notes: string[] }
  try {
    listed = await listRuleTree(api, request)
  } catch (error: unknown) {
    return {
      files: [],
      notes: [`${describeGitHubError(error, `listing the files at ${at}`)}; no rule files were read.`]
    }
  }
  const maxFileBytes = request.maxFileBytes ?? RULE_FILE_LIMITS.maxFileBytes
  const plan = planRuleFileReads(listed.entries, {
    maxFileBytes,
    ...(request.maxFiles === undefined ? {} : { maxFiles: request.maxFiles })
  })
  const notes = [...listed.notes, ...plan.notes]
  const reads = await mapWithConcurrency(plan.reads, BLOB_CONCURRENCY, async (entry) => {
    try {
      return { text: await fetchBlobText(api, request, entry) }
    } catch (error: unknown) {
      return { note: `${describeGitHubError(error, `reading ${entry.path} at ${at}`)}; not used.` }
    }
  })
  const files = plan.reads.flatMap((entry, index): RuleFileText[] => {
    const read = reads[index]
    if (read?.text === undefined) {
      notes.push(read?.note ?? `${entry.path}: not read.`)
      return []
    }
    // The tree's size is what the cap was checked against; a listing without sizes is checked here.
    if (Buffer.byteLength(read.text, 'utf8') > maxFileBytes) {
      notes.push(`${entry.path}: over the limit of ${maxFileBytes} bytes; not used.`)
      return []
    }
    return [{ path: entry.path, text: read.text }]
  })
  return { files, notes }
}
