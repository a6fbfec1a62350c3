/**
 * A {@link FileSource} over a local git repository: the action's checkout (used only when its HEAD is the
 * reviewed head) or the CLI's repository. Files are read only through git objects at the head commit, never
 * from the file system, so a symlink, a submodule or an untracked file in the workspace is never followed.
 */
import { createGitRunner, GitCommandError, type GitRunner } from './git-command.js'
import {
  DEFAULT_MAX_FILE_BYTES,
  isSafeRepositoryPath,
  looksBinary,
  type BatchDefinitionSearchOptions,
  type DefinitionSearchOptions,
  type FileRead,
  type FileSource
} from './file-source.js'
import { EXCLUDED_SEARCH_PATHS, searchDefinitionFiles } from './definition-search.js'

/** Options for {@link openGitFileSource}. */
export interface OpenGitFileSourceOptions {
  /** A folder inside the repository (the action's workspace, the CLI's working directory). */
  readonly cwd: string
  /** The full id of the commit to read (the reviewed head). */
  readonly headSha: string
  /** `checkout`: use the repository only when its HEAD is `headSha`; `git`: any repository holding that commit. */
  readonly kind: 'checkout' | 'git'
  /** Files larger than this are skipped as too large (default {@link DEFAULT_MAX_FILE_BYTES}). */
  readonly maxFileBytes?: number
  readonly gitBinary?: string
  /** The environment git runs with, scrubbed of every `GIT_*` variable (default this process's). */
  readonly env?: NodeJS.ProcessEnv
  readonly log?: (message: string) => void
}

/** The source, or why this repository cannot be one. */
export type OpenGitFileSourceResult =
  { readonly ok: true; readonly source: FileSource } | { readonly ok: false; readonly reason: string }

/** Paths per `git ls-tree` call, well under any command-line length limit. */
const LS_TREE_BATCH = 200
/** A definition search that takes longer is abandoned (it only adds context). */
const GREP_TIMEOUT_MS = 20_000

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i
/** After a failed batch, at most this many blobs are retried one by one. */
const MAX_SINGLE_BLOB_RETRIES = 100
const SEARCHABLE_NAME = /^[A-Za-z_$][\w$]{0,99}$/

/** Checks the repository and commit, then returns a source reading that commit. */
export async function openGitFileSource(options: OpenGitFileSourceOptions): Promise<OpenGitFileSourceResult> {
  if (!FULL_SHA.test(options.headSha)) return { ok: false, reason: 'the head is not a full commit id' }
  const headSha = options.headSha.toLowerCase()
  const probe = createGitRunner({ cwd: options.cwd, ...gitOptions(options) })
  let topLevel: string
  try {
    topLevel = (await probe.run(['rev-parse', '--show-toplevel'])).toString('utf8').trim()
  } catch (error: unknown) {
    // git's own words tell "not a repository" from "dubious ownership" (a container running as another user).
    const detail =
      error instanceof GitCommandError ? error.message.replace(/^git rev-parse failed: /, '') : String(error)
    return { ok: false, reason: `git cannot read the repository (${detail})` }
  }
  const git = createGitRunner({ cwd: topLevel, ...gitOptions(options) })
  if (options.kind === 'checkout') {
    const head = await revParse(git, 'HEAD^{commit}')
    if (head === undefined) return { ok: false, reason: 'the checkout has no commit' }
    if (head !== headSha) {
      return { ok: false, reason: `checkout is at another commit (${head.slice(0, 12)}, not ${headSha.slice(0, 12)})` }
    }
  } else if ((await revParse(git, `${headSha}^{commit}`)) !== headSha) {
    return { ok: false, reason: `commit ${headSha.slice(0, 12)} is not in the repository` }
  }
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES
  return {
    ok: true,
    source: {
      kind: options.kind,
      read: (paths) => readAtCommit({ git, headSha, maxFileBytes, paths }),
      findDefinitionFiles: (name, searchOptions) =>
        findDefinitionFiles({ git, headSha, name, options: searchOptions, log: options.log }),
      searchDefinitions: (names, searchOptions: BatchDefinitionSearchOptions) =>
        searchDefinitionFiles({ git, treeish: headSha, names, options: searchOptions, log: options.log })
    }
  }
}

function gitOptions(options: OpenGitFileSourceOptions): { gitBinary?: string; env?: NodeJS.ProcessEnv } {
  return {
    ...(options.gitBinary === undefined ? {} : { gitBinary: options.gitBinary }),
    ...(options.env === undefined ? {} : { env: options.env })
  }
}

async function revParse(git: GitRunner, revision: string): Promise<string | undefined> {
  try {
    const output = (await git.run(['rev-parse', '--verify', '--quiet', '--end-of-options', revision]))
      .toString('utf8')
      .trim()
    return FULL_SHA.test(output) ? output.toLowerCase() : undefined
  } catch {
    return undefined
  }
}

/** One entry of `git ls-tree -l`. */
interface TreeEntry {
  readonly mode: string
  readonly type: string
  readonly oid: string
  readonly size: number | undefined
}

async function readAtCommit(request: {
  git: GitRunner
  headSha: string
  maxFileBytes: number
  paths: readonly string[]
}): Promise<Map<string, FileRead>> {
  const results = new Map<string, FileRead>()
  const safePaths: string[] = []
  for (const path of new Set(request.paths)) {
    if (isSafeRepositoryPath(path)) safePaths.push(path)
    else results.set(path, { skipped: 'missing' })
  }
  const entries = await listEntries(request.git, request.headSha, safePaths)
  const wanted = new Map<string, string[]>()
  for (const path of safePaths) {
    const entry = entries.get(path)
    if (entry === undefined) results.set(path, { skipped: isFolderOf(path, entries) ? 'not-a-file' : 'missing' })
    // Only regular files: a symlink (120000) is never followed, a submodule (160000) or folder never read.
    else if (entry.type !== 'blob' || (entry.mode !== '100644' && entry.mode !== '100755'))
      results.set(path, { skipped: 'not-a-file' })
    else if (entry.size !== undefined && entry.size > request.maxFileBytes) results.set(path, { skipped: 'too-large' })
    else wanted.set(entry.oid, [...(wanted.get(entry.oid) ?? []), path])
  }
  const blobs = await readBlobs(request.git, [...wanted.keys()], request.maxFileBytes)
  for (const [oid, paths] of wanted) {
    const content = blobs.get(oid)
    const read: FileRead =
      content === undefined
        ? { skipped: 'missing' }
        : content.length > request.maxFileBytes
          ? { skipped: 'too-large' }
          : looksBinary(content)
            ? { skipped: 'binary' }
            : new TextDecoder('utf-8').decode(content)
    for (const path of paths) results.set(path, read)
  }
  // Answer in the order asked.
  return new Map(request.paths.map((path) => [path, results.get(path) as FileRead]))
}

async function listEntries(git: GitRunner, headSha: string, paths: readonly string[]): Promise<Map<string, TreeEntry>> {
  const entries = new Map<string, TreeEntry>()
  for (let index = 0; index < paths.length; index += LS_TREE_BATCH) {
    const batch = paths.slice(index, index + LS_TREE_BATCH)
    const output = await listTree(git, headSha, batch)
    for (const record of output.toString('utf8').split('\0')) {
      const tab = record.indexOf('\t')
      if (tab < 0) continue
      const [mode, type, oid, size] = record.slice(0, tab).split(/ +/)
      if (mode === undefined || type === undefined || oid === undefined) continue
      const bytes = size === undefined || size === '-' ? undefined : Number(size)
      entries.set(record.slice(tab + 1), { mode, type, oid, size: bytes })
    }
  }
  return entries
}

// Asked for `src` together with `src/app.ts`, ls-tree lists the folder's entries instead of the folder itself.
function isFolderOf(path: string, entries: ReadonlyMap<string, TreeEntry>): boolean {
  const prefix = `${path}/`
  for (const entryPath of entries.keys()) if (entryPath.startsWith(prefix)) return true
  return false
}

// `-l` needs each blob's size, which in a partial clone means fetching it: git refuses (lazy fetching is off),
// so list without sizes and let the read decide.
async function listTree(git: GitRunner, headSha: string, paths: readonly string[]): Promise<Buffer> {
  const args = ['--literal-pathspecs', 'ls-tree', '-z', '--full-tree', headSha, '--', ...paths]
  try {
    return await git.run([...args.slice(0, 3), '-l', ...args.slice(3)])
  } catch {
    return git.run(args)
  }
}

/** The contents of blobs by id, from one `git cat-file --batch` process. */
async function readBlobs(git: GitRunner, oids: readonly string[], maxFileBytes: number): Promise<Map<string, Buffer>> {
  if (oids.length === 0) return new Map()
  try {
    return await readBlobBatch(git, oids, maxFileBytes)
  } catch (error: unknown) {
    // git stops the whole batch at an object it cannot have, such as one a partial clone would have to fetch
    // (which the hardening forbids). Read one by one so the others still arrive; a failing one is missing.
    if (oids.length === 1 || !(error instanceof GitCommandError)) return new Map()
    const blobs = new Map<string, Buffer>()
    for (const oid of oids.slice(0, MAX_SINGLE_BLOB_RETRIES)) {
      for (const [id, content] of await readBlobs(git, [oid], maxFileBytes)) blobs.set(id, content)
    }
    return blobs
  }
}

async function readBlobBatch(
  git: GitRunner,
  oids: readonly string[],
  maxFileBytes: number
): Promise<Map<string, Buffer>> {
  const blobs = new Map<string, Buffer>()
  const output = await git.run(['cat-file', '--batch'], {
    input: oids.join('\n') + '\n',
    maxBuffer: oids.length * (maxFileBytes + 200) + 1024
  })
  let offset = 0
  while (offset < output.length) {
    const lineEnd = output.indexOf(0x0a, offset)
    if (lineEnd < 0) break
    const [oid, type, size] = output.subarray(offset, lineEnd).toString('utf8').split(' ')
    offset = lineEnd + 1
    if (oid === undefined || type === 'missing' || size === undefined) continue
    const length = Number(size)
    if (type === 'blob') blobs.set(oid, output.subarray(offset, offset + length))
    offset += length + 1
  }
  return blobs
}

const DEFINITION_KEYWORDS =
  'function\\*?|class|interface|type|enum|struct|trait|def|func|fn|const|let|var|val|module|namespace|record|object'

/** Extended regular expressions for lines that define `name`, in the languages we read and common others. */
export function definitionPatterns(name: string): string[] {
  const n = name.replace(/\$/g, '\\$')
  const before = '(^|[^[:alnum:]_$.])'
  const after = '([^[:alnum:]_$]|$)'
  return [
    // function purgeTree, class Store, def purge_tree, func PurgeTree, const apiSecret, type Mode...
    `${before}(${DEFINITION_KEYWORDS})[[:space:]]+${n}${after}`,
    // Go methods: func (s *Store) Save(
    `func[[:space:]]*\\([^)]*\\)[[:space:]]*${n}[[:space:]]*[([]`,
    // purgeTree = function / purgeTree: (dir) => / purgeTree = async dir =>
    `${before}${n}[[:space:]]*[:=][[:space:]]*(async[[:space:]]+)?(function|\\(|[[:alnum:]_$]+[[:space:]]*=>)`,
    // Methods with a body or return type: `async purgeTree(dir) {`, `purgeTree(dir: string): void`, `void f() throws`
    `^[[:space:]]*([[:alnum:]_$<>,.?@]+[[:space:]]+)*${n}[[:space:]]*\\([^;]*\\)[[:space:]]*(\\{|throws|:)`,
    // Top-level constants and variables: API_SECRET = ..., apiSecret: str = ...
    `^${n}[[:space:]]*(:[^=]*)?=([^=]|$)`,
    // CommonJS: exports.purgeTree = / module.exports.purgeTree =
    `exports\\.${n}[[:space:]]*=`
  ]
}

async function findDefinitionFiles(request: {
  git: GitRunner
  headSha: string
  name: string
  options: DefinitionSearchOptions
  log: ((message: string) => void) | undefined
}): Promise<string[]> {
  const { name, options } = request
  if (!SEARCHABLE_NAME.test(name) || options.limit < 1) return []
  const include = (options.extensions ?? [])
    .filter((extension) => /^[\w.+-]+$/.test(extension))
    .map((extension) => `:(glob)**/*.${extension}`)
  const args = ['grep', '-l', '-z', '-I', '-E', '--no-textconv', '--no-color']
  for (const pattern of definitionPatterns(name)) args.push('-e', pattern)
  args.push(request.headSha, '--', ...include, ...EXCLUDED_SEARCH_PATHS)
  let output: Buffer
  try {
    output = await request.git.run(args, { timeoutMs: GREP_TIMEOUT_MS })
  } catch (error: unknown) {
    // Exit code 1 means no line matched.
    if (error instanceof GitCommandError && error.exitCode === 1) return []
    request.log?.(`definition search for ${name} failed: ${error instanceof Error ? error.message : String(error)}`)
    return []
  }
  const prefix = `${request.headSha}:`
  const paths = output
    .toString('utf8')
    .split('\0')
    .filter((entry) => entry.startsWith(prefix))
    .map((entry) => entry.slice(prefix.length))
    .filter((path) => !options.exclude.has(path))
  return rankByProximity(paths, options.near).slice(0, options.limit)
}

/** Paths sharing more leading folders with `near` first; otherwise git's (sorted) order. */
export function rankByProximity(paths: readonly string[], near: string | undefined): string[] {
  if (near === undefined) return [...paths]
  const nearFolders = near.split('/').slice(0, -1)
  const shared = (path: string): number => {
    const folders = path.split('/').slice(0, -1)
    let count = 0
    while (count < folders.length && count < nearFolders.length && folders[count] === nearFolders[count]) count += 1
    return count
  }
  return paths
    .map((path, index) => ({ path, index, score: shared(path) }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((entry) => entry.path)
}
