/**
 * Which lines of each file GitHub accepts review comments on: only lines inside a hunk.
 * RIGHT (the head) = added + context lines by new number; LEFT (the base) = deleted + context lines by old number.
 */
import type { DiffFile } from '../types.js'

/** For one file and side: line number → index of the hunk (in `DiffFile.hunks`) that holds it. */
export interface FileLines {
  readonly right: ReadonlyMap<number, number>
  readonly left: ReadonlyMap<number, number>
}

/** File path (head path; base path for deleted files) → its commentable lines. */
export type LineIndex = ReadonlyMap<string, FileLines>

/** Indexes the commentable lines of every file with hunks. Files without hunks get empty maps. */
export function buildLineIndex(files: readonly DiffFile[]): LineIndex {
  const index = new Map<string, FileLines>()
  for (const file of files) {
    const right = new Map<number, number>()
    const left = new Map<number, number>()
    file.hunks.forEach((hunk, hunkIndex) => {
      for (const line of hunk.lines) {
        if (line.kind !== 'del' && line.newNumber !== undefined) right.set(line.newNumber, hunkIndex)
        if (line.kind !== 'add' && line.oldNumber !== undefined) left.set(line.oldNumber, hunkIndex)
      }
    })
    index.set(file.path, { right, left })
  }
  return index
}

/** True when `line` (numbered in the head file) is an added or context line of `path`'s diff. */
export function isCommentable(index: LineIndex, path: string, line: number): boolean {
  return index.get(path)?.right.has(line) ?? false
}

/** The hunk holding head line `line` of `path`, or undefined when the line is outside every hunk. */
export function hunkIndexOf(index: LineIndex, path: string, line: number): number | undefined {
  return index.get(path)?.right.get(line)
}
