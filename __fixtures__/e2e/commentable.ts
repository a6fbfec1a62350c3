/**
 * An independent reading of which RIGHT-side lines a unified diff makes commentable, for assertions:
 * added and context lines inside hunks, numbered in the new file. Deliberately not src/diff.
 */
export function commentableRightLines(diff: string): Map<string, Set<number>> {
  const result = new Map<string, Set<number>>()
  let path = ''
  let next = 0
  let inHunk = false
  for (const line of diff.split('\n')) {
    if (line.startsWith('diff --git ')) {
      inHunk = false
      path = ''
      continue
    }
    if (!inHunk && line.startsWith('+++ ')) {
      path = line === '+++ /dev/null' ? '' : line.slice(6)
      continue
    }
    const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line)
    if (header?.[1] !== undefined) {
      inHunk = true
      next = Number(header[1])
      continue
    }
    if (!inHunk || path === '') continue
    if (line.startsWith('+') || line.startsWith(' ')) {
      const set = result.get(path) ?? new Set<number>()
      set.add(next)
      result.set(path, set)
      next += 1
    }
  }
  return result
}
