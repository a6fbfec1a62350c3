/** Builds a LineIndex from RIGHT-side hunk ranges, the way buildLineIndex would from a diff. */
import type { LineIndex } from '../../src/diff/line-index.js'

/** `{ path: [[firstLine, lastLine], ...] }`, hunks in order; hunk index = position. */
export function makeLineIndex(files: Readonly<Record<string, readonly (readonly [number, number])[]>>): LineIndex {
  const index = new Map<string, { right: Map<number, number>; left: Map<number, number> }>()
  for (const [path, hunks] of Object.entries(files)) {
    const right = new Map<number, number>()
    hunks.forEach(([first, last], hunk) => {
      for (let line = first; line <= last; line += 1) right.set(line, hunk)
    })
    index.set(path, { right, left: new Map() })
  }
  return index
}
