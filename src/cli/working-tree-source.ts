/**
 * The CLI's file source when it reviews the working tree (no `--head`): the diff is `git diff <merge-base>`, so
 * the new-file line numbers are the working tree's, and context must come from the same text.
 *
 * - A changed file is read the way the review's own diff read it: through `git diff` with every line as
 *   context (`--unified=<max>`), whose new side IS the working-tree file as git sees it. We never open a path
 *   ourselves, so a symlink (even one `git add -N` put in the index) is git's business: its new mode (from
 *   `git diff --raw`) is 120000 and it is skipped, never followed; only regular files (100644, 100755) are read.
 * - Every other file equals its merge-base version (else it would be in the diff), so it is read, and searched
 *   for definitions, through git objects at the merge-base (src/context/git-file-source.ts).
 * git runs through the hardened runner (no shell, no configured programs; `--no-ext-diff --no-textconv`).
 */
import { GitCommandError, createGitRunner, type GitRunner } from '../context/git-command.js'
import { DEFAULT_MAX_FILE_BYTES, isSafeRepositoryPath, type FileRead, type FileSource } from '../context/file-source.js'
import { openGitFileSource } from '../context/git-file-source.js'
import { parseUnifiedDiff } from '../diff/parse.js'

/** Every line of a file as context: git's largest accepted `--unified`. */
const WHOLE_FILE_CONTEXT = 2_147_483_647
/** Changed files diffed per git call. */
const PATHS_PER_DIFF = 50
const REGULAR_MODES = new Set(['100644', '100755'])

/** Options for {@link openWorkingTreeSource}. */
export interface OpenWorkingTreeSourceOptions {
  readonly cwd: string
  /** The commit the working tree is diffed from (the review's merge-base). */
  readonly mergeBase: string
  /** Every path the diff changes: read from the working tree; all others at the merge-base. */
  readonly changedPaths: ReadonlySet<string>
  readonly maxFileBytes?: number
  readonly env?: NodeJS.ProcessEnv
  readonly log?: (message: string) => void
}

/** The source, or why the repository cannot be one. */
export async function openWorkingTreeSource(
  options: OpenWorkingTreeSourceOptions
): Promise<{ ok: true; source: FileSource } | { ok: false; reason: string }> {
  const base = await openGitFileSource({
    cwd: options.cwd,
    headSha: options.mergeBase,
    kind: 'git',
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.log === undefined ? {} : { log: options.log })
  })
  if (!base.ok) return base
  const probe = createGitRunner({ cwd: options.cwd, ...(options.env === undefined ? {} : { env: options.env }) })
  const topLevel = (await probe.run(['rev-parse', '--show-toplevel'])).toString('utf8').trim()
  const git = createGitRunner({ cwd: topLevel, ...(options.env === undefined ? {} : { env: options.env }) })
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES
  const baseSource = base.source
  return {
    ok: true,
    source: {
      kind: 'git',
      async read(paths) {
        const changed = paths.filter((path) => options.changedPaths.has(path))
        const fromWorkingTree = await readChanged({ git, mergeBase: options.mergeBase, paths: changed, maxFileBytes })
        const rest = paths.filter((path) => !fromWorkingTree.has(path))
        const fromBase = rest.length === 0 ? new Map<string, FileRead>() : await baseSource.read(rest)
        return new Map(
          paths.map((path) => [path, fromWorkingTree.get(path) ?? fromBase.get(path) ?? { skipped: 'missing' }])
        )
      },
      ...(baseSource.findDefinitionFiles === undefined ? {} : { findDefinitionFiles: baseSource.findDefinitionFiles }),
      ...(baseSource.searchDefinitions === undefined ? {} : { searchDefinitions: baseSource.searchDefinitions })
    }
  }
}

/**
 * The working-tree text of changed files. A path git reports no change for is left out (the caller reads it at
 * the merge-base, which it equals).
 */
async function readChanged(request: {
  readonly git: GitRunner
  readonly mergeBase: string
  readonly paths: readonly string[]
  readonly maxFileBytes: number
}): Promise<Map<string, FileRead>> {
  const results = new Map<string, FileRead>()
  const safe = request.paths.filter((path) => {
    if (isSafeRepositoryPath(path)) return true
    results.set(path, { skipped: 'missing' })
    return false
  })
  for (let start = 0; start < safe.length; start += PATHS_PER_DIFF) {
    const batch = safe.slice(start, start + PATHS_PER_DIFF)
    const modes = await readNewModes(request.git, request.mergeBase, batch)
    const regular: string[] = []
    for (const path of batch) {
      const mode = modes.get(path)
      if (mode === undefined) continue
      if (mode === '000000') results.set(path, { skipped: 'missing', detail: 'deleted in the working tree' })
      else if (!REGULAR_MODES.has(mode)) results.set(path, { skipped: 'not-a-file', detail: `mode ${mode}` })
      else regular.push(path)
    }
    for (const [path, read] of await readWholeFiles({ ...request, paths: regular })) results.set(path, read)
  }
  return results
}

/** The working tree's mode of each changed path (`git diff --raw`), 000000 for a deleted one. */
async function readNewModes(git: GitRunner, mergeBase: string, paths: readonly string[]): Promise<Map<string, string>> {
  if (paths.length === 0) return new Map()
  const output = await git.run([
    '--literal-pathspecs',
    'diff',
    '--raw',
    '-z',
    '--no-renames',
    '--no-color',
    '--no-ext-diff',
    '--ignore-submodules=none',
    mergeBase,
    '--',
    ...paths
  ])
  const fields = output.toString('utf8').split('\0')
  const modes = new Map<string, string>()
  for (let index = 0; index + 1 < fields.length; index += 2) {
    const [, newMode] = (fields[index] ?? '').split(' ')
    const path = fields[index + 1]
    if (newMode !== undefined && path !== undefined) modes.set(path, newMode)
  }
  return modes
}

/** Each regular changed file's whole text, from its diff with every line as context. */
async function readWholeFiles(request: {
  readonly git: GitRunner
  readonly mergeBase: string
  readonly paths: readonly string[]
  readonly maxFileBytes: number
}): Promise<Map<string, FileRead>> {
  const reads = new Map<string, FileRead>()
  if (request.paths.length === 0) return reads
  let output: Buffer
  try {
    output = await request.git.run(
      [
        '--literal-pathspecs',
        'diff',
        '--no-color',
        '--no-ext-diff',
        '--no-textconv',
        '--no-renames',
        '--src-prefix=a/',
        '--dst-prefix=b/',
        `--unified=${WHOLE_FILE_CONTEXT}`,
        request.mergeBase,
        '--',
        ...request.paths
      ],
      // Each file appears with its old and new lines at most once.
      { maxBuffer: request.paths.length * (2 * request.maxFileBytes + 4096) + 65_536 }
    )
  } catch (error: unknown) {
    const detail = error instanceof GitCommandError ? error.message : String(error)
    for (const path of request.paths) reads.set(path, { skipped: 'too-large', detail })
    return reads
  }
  for (const file of parseUnifiedDiff(output.toString('utf8'))) {
    if (!request.paths.includes(file.path)) continue
    if (file.binary) {
      reads.set(file.path, { skipped: 'binary' })
      continue
    }
    const lines = file.hunks
      .flatMap((hunk) => hunk.lines)
      .filter((line) => line.kind !== 'del' && line.newNumber !== undefined)
      .sort((a, b) => (a.newNumber ?? 0) - (b.newNumber ?? 0))
    // No line at all: a new empty file, or a change of mode only (then the merge-base text is the file's).
    if (lines.length === 0 && file.status !== 'added') continue
    const text = lines.length === 0 ? '' : `${lines.map((line) => line.content).join('\n')}\n`
    if (Buffer.byteLength(text, 'utf8') > request.maxFileBytes) reads.set(file.path, { skipped: 'too-large' })
    else if (text.includes('\0')) reads.set(file.path, { skipped: 'binary' })
    else reads.set(file.path, text)
  }
  return reads
}
