/**
 * What is worth showing around one file's part of a chunk, found with the code index: the enclosing scope of
 * each hunk, the same-file declarations its added lines use, and the names they call or read that other files
 * may define. Pure apart from the index's (cached) parse of the file.
 */
import type { ChunkPiece, DiffHunk } from '../types.js'
import type { CodeIndex, SourceFile } from './code-index.js'
import type { LineRange } from './line-range.js'

/** A range of one file worth showing, and the lines to keep when it must be cut (see chunk/pack-context.ts). */
export interface FoundContext {
  readonly path: string
  readonly kind: 'scope' | 'declaration'
  readonly label: string
  readonly range: LineRange
  readonly focus: readonly number[]
}

/** What one piece of a chunk asks for. */
export interface PieceContext {
  readonly scopes: readonly FoundContext[]
  readonly declarations: readonly FoundContext[]
  /** Names the added lines use that another file may define, most important first (interleaved over hunks). */
  readonly names: readonly string[]
  /** New-file numbers of every line the piece's diff shows (context and added lines). */
  readonly shown: ReadonlySet<number>
}

/** The added lines of a hunk, or where a pure deletion sits (its neighbours in the new file). */
export function changedNewLines(hunk: DiffHunk): number[] {
  const added = hunk.lines.flatMap((line) =>
    line.kind === 'add' && line.newNumber !== undefined ? [line.newNumber] : []
  )
  if (added.length > 0) return added
  const near = new Set<number>()
  hunk.lines.forEach((line, index) => {
    if (line.kind !== 'del') return
    const after = hunk.lines.slice(index + 1).find((next) => next.kind !== 'del')?.newNumber
    const before = hunk.lines
      .slice(0, index)
      .reverse()
      .find((previous) => previous.kind !== 'del')?.newNumber
    if (after !== undefined) near.add(after)
    else if (before !== undefined) near.add(before)
  })
  return [...near]
}

function addedLines(hunk: DiffHunk): number[] {
  return hunk.lines.flatMap((line) => (line.kind === 'add' && line.newNumber !== undefined ? [line.newNumber] : []))
}

function describeLines(lines: readonly number[]): string {
  const first = Math.min(...lines)
  const last = Math.max(...lines)
  return first === last ? `line ${first}` : `lines ${first}–${last}`
}

/** The scopes, declarations and names of one piece, whose file at the head is `file`. */
export function findPieceContext(options: {
  readonly piece: ChunkPiece
  readonly file: SourceFile
  readonly index: CodeIndex
}): PieceContext {
  const { piece, file, index } = options
  const shown = new Set<number>()
  for (const hunk of piece.hunks)
    for (const line of hunk.lines) if (line.newNumber !== undefined && line.kind !== 'del') shown.add(line.newNumber)

  const scopes = new Map<string, { range: LineRange; focus: number[] }>()
  const namesPerHunk: string[][] = []
  const added: number[] = []
  for (const hunk of piece.hunks) {
    const changed = changedNewLines(hunk)
    if (changed.length === 0) continue
    for (const range of index.enclosingScopes(file, changed)) {
      const key = `${range.start}-${range.end}`
      const known = scopes.get(key)
      if (known === undefined) scopes.set(key, { range, focus: [...changed] })
      else known.focus.push(...changed)
    }
    const hunkAdded = addedLines(hunk)
    added.push(...hunkAdded)
    if (hunkAdded.length > 0) namesPerHunk.push(index.referencedIdentifiers(file, hunkAdded))
  }
  const used =
    added.length === 0
      ? []
      : [
          ...index.usedDeclarations(file, added).map(({ name, range }) => ({ name, range })),
          // Locals of an enclosing function (or of a module wrapped in one): the line that binds them.
          ...index.usedBindings(file, added).map(({ name, line }) => ({ name, range: { start: line, end: line } }))
        ]
  const declarations = used.map(({ name, range }): FoundContext => ({
    path: file.path,
    kind: 'declaration',
    label: `declaration of ${name}`,
    range,
    focus: []
  }))
  return {
    scopes: [...scopes.values()].map(({ range, focus }) => ({
      path: file.path,
      kind: 'scope',
      label: `enclosing scope of ${describeLines(focus)}`,
      range,
      focus
    })),
    declarations,
    names: interleave(namesPerHunk),
    shown
  }
}

/** The first name of every list, then the second of every list, ...; each name once. */
export function interleave(lists: readonly (readonly string[])[]): string[] {
  const result: string[] = []
  const seen = new Set<string>()
  const longest = Math.max(0, ...lists.map((list) => list.length))
  for (let position = 0; position < longest; position += 1) {
    for (const list of lists) {
      const name = list[position]
      if (name !== undefined && !seen.has(name)) {
        seen.add(name)
        result.push(name)
      }
    }
  }
  return result
}
