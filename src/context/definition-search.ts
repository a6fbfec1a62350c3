/**
 * One search for the definitions of many names in a commit: `git grep -F -w` lists, in one pass over the
 * commit's files, every line holding one of the names as a word (fast fixed-string matching, however many
 * names), and the lines that look like a definition of a name (the patterns of git-file-source.ts's
 * `definitionPatterns`, as JavaScript expressions) make their files its candidates. The code index confirms a
 * candidate by parsing it; this only narrows down which files to read. Reads git objects only (no checkout
 * file is opened), through the hardened runner.
 */
import type { BatchDefinitionSearchOptions } from './file-source.js'
import { GitCommandError, type GitRunner } from './git-command.js'

/** Folders whose files are never searched for definitions: installed, vendored or built code. */
export const EXCLUDED_SEARCH_PATHS = [
  ':(exclude,glob)**/node_modules/**',
  ':(exclude,glob)**/vendor/**',
  ':(exclude,glob)**/dist/**',
  ':(exclude,glob)**/*.min.js'
]

/** Names per `git grep` call: far under any command-line limit, and the output of one call stays small. */
const NAMES_PER_SEARCH = 200
/** A search that takes longer is abandoned: it only adds context. */
const SEARCH_TIMEOUT_MS = 30_000
/** Output one search may print (lines using the names); more and the names are searched in smaller groups. */
const SEARCH_MAX_BUFFER = 128 * 1024 * 1024
/** Longer lines are not definitions people write (minified or generated code), and regexes on them are slow. */
const MAX_DEFINITION_LINE_CHARS = 1_000
const SEARCHABLE_NAME = /^[A-Za-z_$][\w$]{0,99}$/
const KEYWORDS =
  'function\\*?|class|interface|type|enum|struct|trait|def|func|fn|const|let|var|val|module|namespace|record|object'

/**
 * Regular expressions for a line that defines `name` (the same shapes as git-file-source.ts's
 * definitionPatterns): a keyword before it, a Go method, an assigned function, a method with a body, a top-level
 * assignment, a CommonJS export.
 */
export function definitionLineRegexes(name: string): RegExp[] {
  const n = name.replace(/\$/g, '\\$')
  const before = '(?:^|[^A-Za-z0-9_$.])'
  const after = '(?:[^A-Za-z0-9_$]|$)'
  return [
    new RegExp(`${before}(?:${KEYWORDS})\\s+${n}${after}`),
    new RegExp(`func\\s*\\([^)]*\\)\\s*${n}\\s*[([]`),
    new RegExp(`${before}${n}\\s*[:=]\\s*(?:async\\s+)?(?:function|\\(|[A-Za-z0-9_$]+\\s*=>)`),
    new RegExp(`^\\s*(?:[A-Za-z0-9_$<>,.?@]+\\s+)*${n}\\s*\\([^;]*\\)\\s*(?:\\{|throws|:)`),
    new RegExp(`^${n}\\s*(?::[^=]*)?=(?:[^=]|$)`),
    new RegExp(`exports\\.${n}\\s*=`)
  ]
}

/** For each name, up to `perName` files of `treeish` with a line that may define it. */
export async function searchDefinitionFiles(request: {
  readonly git: GitRunner
  /** The commit (or tree) to search. */
  readonly treeish: string
  readonly names: readonly string[]
  readonly options: BatchDefinitionSearchOptions
  readonly log?: ((message: string) => void) | undefined
}): Promise<Map<string, string[]>> {
  const names = [...new Set(request.names)].filter((name) => SEARCHABLE_NAME.test(name))
  const found = new Map<string, string[]>()
  for (let start = 0; start < names.length; start += NAMES_PER_SEARCH) {
    const group = names.slice(start, start + NAMES_PER_SEARCH)
    for (const [name, paths] of await searchGroup({ ...request, names: group })) found.set(name, paths)
  }
  return found
}

async function searchGroup(request: {
  readonly git: GitRunner
  readonly treeish: string
  readonly names: readonly string[]
  readonly options: BatchDefinitionSearchOptions
  readonly log?: ((message: string) => void) | undefined
}): Promise<Map<string, string[]>> {
  const { names, options } = request
  const include = (options.extensions ?? [])
    .filter((extension) => /^[\w.+-]+$/.test(extension))
    .map((extension) => `:(glob)**/*.${extension}`)
  const args = ['grep', '-n', '-z', '-I', '-F', '-w', '--no-textconv', '--no-color']
  for (const name of names) args.push('-e', name)
  args.push(request.treeish, '--', ...include, ...EXCLUDED_SEARCH_PATHS)
  let output: Buffer
  try {
    output = await request.git.run(args, { timeoutMs: SEARCH_TIMEOUT_MS, maxBuffer: SEARCH_MAX_BUFFER })
  } catch (error: unknown) {
    // Exit code 1 means no line matched.
    if (error instanceof GitCommandError && error.exitCode === 1) return new Map()
    if (names.length > 1 && isOutputOverflow(error)) {
      const half = Math.ceil(names.length / 2)
      const first = await searchGroup({ ...request, names: names.slice(0, half) })
      const second = await searchGroup({ ...request, names: names.slice(half) })
      return new Map([...first, ...second])
    }
    request.log?.(`definition search failed: ${error instanceof Error ? error.message : String(error)}`)
    return new Map()
  }
  return collectCandidates({ output, treeish: request.treeish, names, options })
}

function isOutputOverflow(error: unknown): boolean {
  return error instanceof GitCommandError && /maxBuffer|ENOBUFS/i.test(`${error.message} ${String(error.exitCode)}`)
}

/** Reads `<treeish>:<path>\0<line>\0<text>\n` records and keeps the files whose lines define a name. */
function collectCandidates(request: {
  readonly output: Buffer
  readonly treeish: string
  readonly names: readonly string[]
  readonly options: BatchDefinitionSearchOptions
}): Map<string, string[]> {
  const { output, options } = request
  const prefix = `${request.treeish}:`
  const wordOf = new RegExp(`(?<![A-Za-z0-9_$])(?:${request.names.map(escapeRegExp).join('|')})(?![A-Za-z0-9_$])`, 'g')
  const patterns = new Map<string, RegExp[]>()
  const regexesOf = (name: string): RegExp[] => {
    let found = patterns.get(name)
    if (found === undefined) patterns.set(name, (found = definitionLineRegexes(name)))
    return found
  }
  const found = new Map<string, Set<string>>()
  let offset = 0
  while (offset < output.length) {
    const pathEnd = output.indexOf(0, offset)
    const numberEnd = pathEnd < 0 ? -1 : output.indexOf(0, pathEnd + 1)
    const lineEnd = numberEnd < 0 ? -1 : output.indexOf(0x0a, numberEnd + 1)
    if (lineEnd < 0) break
    const location = output.subarray(offset, pathEnd).toString('utf8')
    offset = lineEnd + 1
    if (lineEnd - numberEnd > MAX_DEFINITION_LINE_CHARS || !location.startsWith(prefix)) continue
    const path = location.slice(prefix.length)
    if (options.exclude.has(path)) continue
    const text = output.subarray(numberEnd + 1, lineEnd).toString('utf8')
    for (const match of text.matchAll(wordOf)) {
      const name = match[0]
      const paths = found.get(name) ?? new Set<string>()
      if (paths.size >= options.perName || paths.has(path)) continue
      if (!regexesOf(name).some((pattern) => pattern.test(text))) continue
      paths.add(path)
      found.set(name, paths)
    }
  }
  return new Map([...found].map(([name, paths]) => [name, [...paths]]))
}

function escapeRegExp(text: string): string {
  return text.replace(/[$]/g, '\\$')
}
