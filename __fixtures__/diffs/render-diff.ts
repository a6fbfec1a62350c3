/**
 * Renders DiffFile[] as `git diff` would print them: extended headers (new/deleted file mode, rename/copy,
 * old/new mode, index), `---`/`+++` lines (a trailing tab after names with spaces), C-quoted paths with
 * octal UTF-8 escapes, `Binary files … differ`, and `\ No newline at end of file` after chosen lines.
 * The property tests parse this text back and expect the same files.
 */
import type { DiffFile, DiffHunk, DiffLine } from '../../src/types.js'

/** Where to put `\ No newline at end of file`: after line `index` of hunk `hunk` of a file. */
export interface NoNewlineMark {
  readonly hunk: number
  readonly line: number
}

export interface RenderableFile extends DiffFile {
  /** Mode change without content (`old mode`/`new mode`). */
  readonly modeChange?: boolean
  readonly noNewline?: readonly NoNewlineMark[]
}

const C_ESCAPES: Readonly<Record<string, string>> = {
  '\u0007': 'a',
  '\b': 'b',
  '\t': 't',
  '\n': 'n',
  '\v': 'v',
  '\f': 'f',
  '\r': 'r',
  '"': '"',
  '\\': '\\'
}

/** git's quoting (core.quotePath=true): quoted when any byte is a control, non-ASCII, `"` or `\`. */
export function quotePath(path: string): string {
  if (!/[^\x20-\x7e]|["\\]/.test(path)) return path
  let out = ''
  for (const char of path) {
    const escape = C_ESCAPES[char]
    if (escape !== undefined) out += `\\${escape}`
    else if (/[\x20-\x7e]/.test(char)) out += char
    else for (const byte of Buffer.from(char, 'utf8')) out += `\\${byte.toString(8).padStart(3, '0')}`
  }
  return `"${out}"`
}

/** `a/` + path, quoted as a whole when needed, as git prints it. */
function prefixed(prefix: 'a' | 'b', path: string): string {
  return quotePath(`${prefix}/${path}`)
}

/** `---`/`+++` name: git adds a tab when an unquoted name has a space, so tools can find its end. */
function fileLineName(name: string): string {
  return !name.startsWith('"') && name.includes(' ') ? `${name}\t` : name
}

const MARKERS: Readonly<Record<DiffLine['kind'], string>> = { add: '+', del: '-', context: ' ' }

function renderHunk(hunk: DiffHunk, hunkIndex: number, marks: readonly NoNewlineMark[]): string[] {
  const rows = [hunk.header]
  hunk.lines.forEach((line, index) => {
    rows.push(`${MARKERS[line.kind]}${line.content}`)
    if (marks.some((mark) => mark.hunk === hunkIndex && mark.line === index)) rows.push('\\ No newline at end of file')
  })
  return rows
}

function renderFile(file: RenderableFile): string[] {
  const oldPath = file.previousPath ?? file.path
  const rows = [`diff --git ${prefixed('a', oldPath)} ${prefixed('b', file.path)}`]
  if (file.status === 'added') rows.push('new file mode 100644')
  if (file.status === 'deleted') rows.push('deleted file mode 100644')
  if (file.modeChange === true) rows.push('old mode 100644', 'new mode 100755')
  if (file.status === 'renamed' || file.status === 'copied') {
    const verb = file.status === 'renamed' ? 'rename' : 'copy'
    rows.push('similarity index 90%', `${verb} from ${quotePath(oldPath)}`, `${verb} to ${quotePath(file.path)}`)
  }
  const changed = file.binary || file.hunks.length > 0
  if (changed)
    rows.push(`index 1234567..89abcde${file.status === 'modified' || file.status === 'renamed' ? ' 100644' : ''}`)
  const minus = file.status === 'added' ? '/dev/null' : prefixed('a', oldPath)
  const plus = file.status === 'deleted' ? '/dev/null' : prefixed('b', file.path)
  if (file.binary) {
    rows.push(`Binary files ${minus} and ${plus} differ`)
    return rows
  }
  if (file.hunks.length === 0) return rows
  rows.push(`--- ${fileLineName(minus)}`, `+++ ${fileLineName(plus)}`)
  file.hunks.forEach((hunk, index) => rows.push(...renderHunk(hunk, index, file.noNewline ?? [])))
  return rows
}

/** The whole diff, newline-terminated like git's output. */
export function renderUnifiedDiff(files: readonly RenderableFile[]): string {
  const rows = files.flatMap(renderFile)
  return rows.length === 0 ? '' : `${rows.join('\n')}\n`
}
