/**
 * Which files of a repository hold review rules, and which of them are read when there are too many. Pure:
 * both readers (GitHub's tree API and git objects) list the tree at the base commit and ask this module.
 *
 * The files, by the conventions of the tools that define them:
 * - `AGENTS.md` anywhere (OpenAI Codex, and the agents.md convention Copilot follows): applies to its own
 *   directory tree, the nearest one refining the ones above. `AGENTS.override.md` replaces `AGENTS.md` in the
 *   same directory, as Codex does.
 * - `CLAUDE.md` or `.claude/CLAUDE.md` (Claude Code), at the root or in a subdirectory it then governs.
 *   `CLAUDE.local.md` is a person's own file, normally not committed, and is not read.
 * - `.github/copilot-instructions.md` (Copilot, repository-wide).
 * - `.github/instructions/**` files named `*.instructions.md` (Copilot, scoped by their `applyTo` globs).
 */

export const RULE_FILE_LIMITS = Object.freeze({
  /** Rule files read per run; each costs a request (GitHub) or a process (git). Shallowest first. */
  maxFiles: 50,
  /** Larger files are not read: a rules file this size is not written for a reviewer to follow. */
  maxFileBytes: 64 * 1024
})

/** What kind of rule file a path is. */
export type RuleFileKind = 'agents' | 'claude' | 'copilot' | 'copilot-path'

/** A rule file's kind and the directory it governs ('' = the whole repository). */
export interface RuleFileInfo {
  readonly kind: RuleFileKind
  readonly dir: string
}

const COPILOT_REPOSITORY_FILE = '.github/copilot-instructions.md'
const COPILOT_PATH_DIR = '.github/instructions/'
const COPILOT_PATH_SUFFIX = '.instructions.md'
const AGENTS_OVERRIDE = 'AGENTS.override.md'

function splitPath(path: string): { readonly dir: string; readonly name: string } {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? { dir: '', name: path } : { dir: path.slice(0, slash), name: path.slice(slash + 1) }
}

/**
 * The kind of rule file `path` (relative to the repository root, `/`-separated) is, and the directory it
 * governs; undefined for any other file. Names are matched exactly, as the tools do (case-sensitive).
 */
export function classifyRuleFile(path: string): RuleFileInfo | undefined {
  if (path === COPILOT_REPOSITORY_FILE) return { kind: 'copilot', dir: '' }
  const copilotName = path.startsWith(COPILOT_PATH_DIR) ? splitPath(path).name : ''
  if (copilotName.endsWith(COPILOT_PATH_SUFFIX) && copilotName.length > COPILOT_PATH_SUFFIX.length) {
    return { kind: 'copilot-path', dir: '' }
  }
  const { dir, name } = splitPath(path)
  if (name === 'AGENTS.md' || name === AGENTS_OVERRIDE) return { kind: 'agents', dir }
  if (name !== 'CLAUDE.md') return undefined
  const parent = splitPath(dir)
  return parent.name === '.claude' ? { kind: 'claude', dir: parent.dir } : { kind: 'claude', dir }
}

function depthOf(dir: string): number {
  return dir === '' ? 0 : dir.split('/').length
}

/** Shallowest governed directory first (repository-wide files before nested ones), then by path. */
function compareCandidates(a: { path: string; info: RuleFileInfo }, b: { path: string; info: RuleFileInfo }): number {
  const depth = depthOf(a.info.dir) - depthOf(b.info.dir)
  if (depth !== 0) return depth
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0
}

/** Drops `AGENTS.md` where the same directory has `AGENTS.override.md` (Codex reads only the override there). */
function dropOverridden(
  candidates: readonly { path: string; info: RuleFileInfo }[]
): { path: string; info: RuleFileInfo }[] {
  const overridden = new Set(
    candidates
      .map((candidate) => splitPath(candidate.path))
      .filter((parts) => parts.name === AGENTS_OVERRIDE)
      .map((parts) => parts.dir)
  )
  return candidates.filter((candidate) => {
    const { dir, name } = splitPath(candidate.path)
    return name !== 'AGENTS.md' || !overridden.has(dir)
  })
}

/**
 * The rule files among `paths` (the regular files of the tree at the base commit), in reading order:
 * repository-wide first, then by directory depth and path; at most `maxFiles`. Notes say what was left out.
 */
export function pickRuleFiles(
  paths: readonly string[],
  options: { readonly maxFiles?: number } = {}
): { readonly paths: readonly string[]; readonly notes: readonly string[] } {
  const maxFiles = options.maxFiles ?? RULE_FILE_LIMITS.maxFiles
  const candidates = dropOverridden(
    [...new Set(paths)].flatMap((path) => {
      const info = classifyRuleFile(path)
      return info === undefined ? [] : [{ path, info }]
    })
  ).sort(compareCandidates)
  const kept = candidates.slice(0, maxFiles).map((candidate) => candidate.path)
  const left = candidates.slice(maxFiles).map((candidate) => candidate.path)
  if (left.length === 0) return { paths: kept, notes: [] }
  const named = left.slice(0, 3).join(', ') + (left.length > 3 ? ` and ${left.length - 3} more` : '')
  return {
    paths: kept,
    notes: [`${left.length} more rule files were not read (at most ${maxFiles} per run): ${named}.`]
  }
}

/** One entry of the tree at the base commit, as both readers list it. */
export interface RuleTreeEntry {
  readonly path: string
  /** Git's file mode: 100644 and 100755 are files, 120000 a symbolic link, 160000 a submodule, 040000 a tree. */
  readonly mode: string
  /** The object id (blob SHA for files). */
  readonly id: string
  /** Bytes, when the listing says. */
  readonly size?: number
}

/** A rule file's text as read at the base commit. */
export interface RuleFileText {
  readonly path: string
  readonly text: string
}

/** What a reader found: the rule files' texts in reading order, and notes on what it could not or would not read. */
export interface RuleFilesResult {
  readonly files: readonly RuleFileText[]
  readonly notes: readonly string[]
}

const REGULAR_FILE_MODES = new Set(['100644', '100755'])

function describeMode(mode: string): string {
  if (mode === '120000') return 'a symbolic link; not followed'
  if (mode === '160000') return 'a submodule; not read'
  return `not a regular file (mode ${mode}); not read`
}

/**
 * The blobs to read for the rule files in a tree listing, in reading order. Only regular files are read: a
 * symbolic link named AGENTS.md could point anywhere (another file, outside the repository), so it is noted
 * and never followed; a submodule is another repository. Files over `maxFileBytes` are noted and skipped.
 */
export function planRuleFileReads(
  entries: readonly RuleTreeEntry[],
  options: { readonly maxFiles?: number; readonly maxFileBytes?: number } = {}
): { readonly reads: readonly RuleTreeEntry[]; readonly notes: readonly string[] } {
  const maxFileBytes = options.maxFileBytes ?? RULE_FILE_LIMITS.maxFileBytes
  const named = entries.filter((entry) => classifyRuleFile(entry.path) !== undefined && entry.mode !== '040000')
  const notes = named
    .filter((entry) => !REGULAR_FILE_MODES.has(entry.mode))
    .map((entry) => `${entry.path} is ${describeMode(entry.mode)}.`)
  const regular = new Map(
    named.filter((entry) => REGULAR_FILE_MODES.has(entry.mode)).map((entry) => [entry.path, entry])
  )
  const picked = pickRuleFiles(
    [...regular.keys()],
    options.maxFiles === undefined ? {} : { maxFiles: options.maxFiles }
  )
  notes.push(...picked.notes)
  const reads: RuleTreeEntry[] = []
  for (const path of picked.paths) {
    const entry = regular.get(path)
    if (entry === undefined) continue
    if (entry.size === undefined || entry.size <= maxFileBytes) reads.push(entry)
    else notes.push(`${path}: ${entry.size} bytes, over the limit of ${maxFileBytes}; not read.`)
  }
  return { reads, notes }
}
