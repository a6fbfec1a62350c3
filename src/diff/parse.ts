/**
 * Unified diff text → DiffFile[]. parse-diff reads the hunks; the git extended headers (paths, renames, copies,
 * binary markers, modes) are read here, because parse-diff ignores `rename`/`copy`/`Binary files` lines, does not
 * decode git's quoted paths and splits `diff --git` paths with spaces at the wrong place.
 */
import parseDiff from 'parse-diff'
import type { DiffFile, DiffHunk, DiffLine, FileStatus } from '../types.js'

const GIT_FILE_START = 'diff --git '
const DEV_NULL = '/dev/null'
/** git's default (a/, b/) and mnemonic (i/, w/, c/, o/) prefixes, and 1/ 2/ from `git diff --no-index`. */
const GIT_PREFIX = /^[abciwo12]\//
/** git's mode for a gitlink (submodule) entry, on `index`, `new file mode`, `deleted file mode`, `old/new mode` lines. */
const SUBMODULE_MODE = /(?:^index \S+ |mode )160000$/
const C_ESCAPES: Readonly<Record<string, number>> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 }

/**
 * Parses `git diff` output (also plain `diff -u` output) into files, hunks and numbered lines.
 * Never throws: whatever cannot be read is left out. Line terminators are not part of `content`
 * (a CRLF diff, or CRLF lines inside an LF diff, parse the same as LF).
 */
export function parseUnifiedDiff(text: string): DiffFile[] {
  const files: DiffFile[] = []
  for (const section of splitFileSections(toLines(text))) {
    if (section[0]?.startsWith(GIT_FILE_START)) {
      const file = parseGitSection(section)
      if (file) files.push(file)
    } else {
      files.push(...parsePlainSection(section))
    }
  }
  return files
}

/** Parses text holding only hunks (`@@ ... @@` and their lines), as GitHub's `pulls.listFiles` `patch` field. */
export function parseHunks(patch: string): DiffHunk[] {
  return readHunks(toLines(patch))
}

/** Counts added and deleted lines, so a file's counts always agree with its lines. */
export function countChanges(hunks: readonly DiffHunk[]): { additions: number; deletions: number } {
  let additions = 0
  let deletions = 0
  for (const hunk of hunks) {
    for (const line of hunk.lines) {
      if (line.kind === 'add') additions++
      else if (line.kind === 'del') deletions++
    }
  }
  return { additions, deletions }
}

/** The final newline ends the last line; it does not start an empty one (which a short hunk would read as context). */
function toLines(text: string): string[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

/** Hunk lines start with ' ', '+', '-' or '\', so a line starting with `diff --git ` always begins a file. */
function splitFileSections(lines: readonly string[]): string[][] {
  const sections: string[][] = [[]]
  for (const line of lines) {
    if (line.startsWith(GIT_FILE_START)) sections.push([line])
    else sections[sections.length - 1]?.push(line)
  }
  return sections.filter((section) => section.length > 0)
}

interface GitHeader {
  gitOld?: string
  gitNew?: string
  minus?: string
  plus?: string
  renameFrom?: string
  renameTo?: string
  copyFrom?: string
  copyTo?: string
  added: boolean
  deleted: boolean
  binary: boolean
  submodule: boolean
}

function parseGitSection(section: readonly string[]): DiffFile | undefined {
  const firstHunk = section.findIndex((line) => line.startsWith('@@'))
  const headerLines = firstHunk === -1 ? section : section.slice(0, firstHunk)
  const header = readGitHeader(headerLines)
  const oldPath = header.renameFrom ?? header.copyFrom ?? nonNull(header.minus) ?? header.gitOld
  const newPath = header.renameTo ?? header.copyTo ?? nonNull(header.plus) ?? header.gitNew
  const status = decideStatus(header)
  const path = status === 'deleted' ? (oldPath ?? newPath) : (newPath ?? oldPath)
  if (path === undefined || path.length === 0) return undefined
  const hunks = header.binary || firstHunk === -1 ? [] : readHunks(section.slice(firstHunk))
  const previousPath =
    (status === 'renamed' || status === 'copied') && oldPath !== undefined ? { previousPath: oldPath } : {}
  const submodule = header.submodule ? { submodule: true } : {}
  return { path, ...previousPath, status, binary: header.binary, hunks, ...countChanges(hunks), ...submodule }
}

function readGitHeader(lines: readonly string[]): GitHeader {
  const [gitOld, gitNew] = splitGitPaths(lines[0]?.slice(GIT_FILE_START.length) ?? '')
  const header: GitHeader = { gitOld, gitNew, added: false, deleted: false, binary: false, submodule: false }
  for (const line of lines.slice(1)) {
    if (SUBMODULE_MODE.test(line)) header.submodule = true
    if (line.startsWith('new file mode ')) header.added = true
    else if (line.startsWith('deleted file mode ')) header.deleted = true
    else if (line.startsWith('rename from ')) header.renameFrom = readPathToken(line.slice(12))
    else if (line.startsWith('rename to ')) header.renameTo = readPathToken(line.slice(10))
    else if (line.startsWith('copy from ')) header.copyFrom = readPathToken(line.slice(10))
    else if (line.startsWith('copy to ')) header.copyTo = readPathToken(line.slice(8))
    else if (line.startsWith('--- ')) header.minus = readFileLinePath(line.slice(4))
    else if (line.startsWith('+++ ')) header.plus = readFileLinePath(line.slice(4))
    else if (line.startsWith('Binary files ') && line.endsWith(' differ')) header.binary = true
    else if (line === 'GIT binary patch') {
      header.binary = true
      break // base85 data follows, no more headers
    }
  }
  return header
}

function decideStatus(header: GitHeader): FileStatus {
  if (header.deleted || (header.plus === DEV_NULL && header.minus !== DEV_NULL)) return 'deleted'
  if (header.added || header.minus === DEV_NULL) return 'added'
  if (header.renameFrom !== undefined || header.renameTo !== undefined) return 'renamed'
  if (header.copyFrom !== undefined || header.copyTo !== undefined) return 'copied'
  return 'modified'
}

function nonNull(path: string | undefined): string | undefined {
  return path === DEV_NULL ? undefined : path
}

/** `--- a/x` / `+++ b/x`: git appends a tab when the name has a space; other tools append a tab and a date. */
function readFileLinePath(value: string): string {
  const raw = value.startsWith('"') ? (readQuoted(value, 0)?.value ?? value) : (value.split('\t')[0] ?? value)
  return raw === DEV_NULL ? raw : raw.replace(GIT_PREFIX, '')
}

/** A path in `rename from`/`copy to` lines: no prefix, quoted when it has unusual characters. */
function readPathToken(value: string): string {
  return value.startsWith('"') ? (readQuoted(value, 0)?.value ?? value) : value
}

/**
 * `diff --git a/x b/y`, each side possibly quoted. Unquoted paths with spaces are ambiguous; they are
 * resolved when both sides name the same file, which is every case without rename/copy lines to go by.
 */
function splitGitPaths(rest: string): [string | undefined, string | undefined] {
  const strip = (path: string): string => path.replace(GIT_PREFIX, '')
  if (rest.startsWith('"')) {
    const first = readQuoted(rest, 0)
    if (first === undefined || rest[first.end] !== ' ') return [undefined, undefined]
    return [strip(first.value), strip(readPathToken(rest.slice(first.end + 1)))]
  }
  const quotedSecond = rest.lastIndexOf(' "')
  if (quotedSecond !== -1 && rest.endsWith('"')) {
    const second = readQuoted(rest, quotedSecond + 1)
    if (second !== undefined) return [strip(rest.slice(0, quotedSecond)), strip(second.value)]
  }
  const half = (rest.length - 1) / 2
  if (Number.isInteger(half) && rest[half] === ' ' && strip(rest.slice(0, half)) === strip(rest.slice(half + 1))) {
    return [strip(rest.slice(0, half)), strip(rest.slice(half + 1))]
  }
  const parts = rest.split(' b/')
  return parts.length === 2 ? [strip(parts[0] ?? ''), parts[1]] : [undefined, undefined]
}

/** Decodes a C-style quoted string as git writes paths: `"caf\303\251.txt"` ⇒ `café.txt` (octal escapes are UTF-8 bytes). */
function readQuoted(text: string, start: number): { value: string; end: number } | undefined {
  const bytes: number[] = []
  let index = start + 1
  while (index < text.length) {
    const char = text[index] ?? ''
    if (char === '"') return { value: Buffer.from(bytes).toString('utf8'), end: index + 1 }
    if (char === '\\') {
      const octal = /^[0-7]{3}/.exec(text.slice(index + 1, index + 4))
      const escape = C_ESCAPES[text[index + 1] ?? '']
      if (octal) bytes.push(parseInt(octal[0], 8))
      else if (escape !== undefined) bytes.push(escape)
      else return undefined
      index += octal ? 4 : 2
      continue
    }
    const codePoint = String.fromCodePoint(text.codePointAt(index) ?? 0)
    bytes.push(...Buffer.from(codePoint, 'utf8'))
    index += codePoint.length
  }
  return undefined
}

/** Files of a diff without `diff --git` lines (plain `diff -u`), as far as parse-diff can tell. */
function parsePlainSection(section: readonly string[]): DiffFile[] {
  const files: DiffFile[] = []
  for (const file of parseDiff(withoutNoNewlineMarkers(section))) {
    const from = nonNull(file.from)
    const to = nonNull(file.to)
    const status = decidePlainStatus(from, to)
    const path = status === 'deleted' ? from : to
    if (path === undefined || path.length === 0) continue
    const hunks = translateChunks(file.chunks)
    files.push({ path, status, binary: false, hunks, ...countChanges(hunks) })
  }
  return files
}

function decidePlainStatus(from: string | undefined, to: string | undefined): FileStatus {
  if (from === undefined && to !== undefined) return 'added'
  if (to === undefined && from !== undefined) return 'deleted'
  return 'modified'
}

function readHunks(lines: readonly string[]): DiffHunk[] {
  return parseDiff(withoutNoNewlineMarkers(lines)).flatMap((file) => translateChunks(file.chunks))
}

/**
 * `\ No newline at end of file` carries no line: parse-diff would emit it as a copy of the previous change
 * (and throws when it follows a hunk header directly), so the markers are removed before parsing.
 */
function withoutNoNewlineMarkers(lines: readonly string[]): string {
  return lines.filter((line) => !line.startsWith('\\')).join('\n')
}

function translateChunks(chunks: readonly parseDiff.Chunk[]): DiffHunk[] {
  const hunks: DiffHunk[] = []
  for (const chunk of chunks) {
    const lines = chunk.changes.map(translateChange)
    if (lines.length === 0) continue // a header with no lines (truncated input) gives nothing to review or anchor
    const { content: header, oldStart, oldLines, newStart, newLines } = chunk
    hunks.push({ header, oldStart, oldLines, newStart, newLines, lines })
  }
  return hunks
}

function translateChange(change: parseDiff.Change): DiffLine {
  const content = change.content.slice(1)
  switch (change.type) {
    case 'add':
      return { kind: 'add', content, newNumber: change.ln }
    case 'del':
      return { kind: 'del', content, oldNumber: change.ln }
    case 'normal':
      return { kind: 'context', content, oldNumber: change.ln1, newNumber: change.ln2 }
  }
}
