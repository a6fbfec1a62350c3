/**
 * A tiny git for the fake GitHub: commits with parents and whole-file snapshots, ancestry, merge bases,
 * and `git diff`-style unified diffs (3 lines of context) computed from the snapshots. With it the fake can
 * move a pull request's head and answer the compare API with diffs that agree with the PR's own diff, as
 * GitHub's do. Deliberately independent of src/diff. Text files only; contents end with a newline.
 */
import { createHash } from 'node:crypto'

export type FileTree = Readonly<Record<string, string>>

export interface FakeCommit {
  readonly sha: string
  readonly parents: readonly string[]
  readonly files: FileTree
  readonly message: string
}

export interface FakeCommitGraph {
  readonly commits: Map<string, FakeCommit>
}

const CONTEXT_LINES = 3

export function createCommitGraph(): FakeCommitGraph {
  return { commits: new Map() }
}

/**
 * Adds a commit: `changes` applied to the first parent's files (null deletes a file). Returns its SHA,
 * derived from its content and parents like git's, so the same commit made twice has the same SHA.
 */
export function addCommit(
  graph: FakeCommitGraph,
  options: { parents: readonly string[]; changes: Readonly<Record<string, string | null>>; message?: string }
): string {
  const base = options.parents[0] === undefined ? {} : requireCommit(graph, options.parents[0]).files
  const files: Record<string, string> = { ...base }
  for (const [path, content] of Object.entries(options.changes)) {
    if (content === null) delete files[path]
    else files[path] = content
  }
  const message = options.message ?? `commit ${graph.commits.size + 1}`
  const sha = createHash('sha1')
    .update(JSON.stringify([options.parents, files, message]))
    .digest('hex')
  graph.commits.set(sha, { sha, parents: [...options.parents], files, message })
  return sha
}

export function requireCommit(graph: FakeCommitGraph, sha: string): FakeCommit {
  const commit = graph.commits.get(sha)
  if (commit === undefined) throw new Error(`fake git: no commit ${sha}`)
  return commit
}

/** Every commit reachable from `sha` (itself included), with its distance. */
export function ancestorsOf(graph: FakeCommitGraph, sha: string): Map<string, number> {
  const seen = new Map<string, number>([[sha, 0]])
  const queue = [sha]
  while (queue.length > 0) {
    const current = queue.shift() as string
    for (const parent of graph.commits.get(current)?.parents ?? []) {
      if (seen.has(parent)) continue
      seen.set(parent, (seen.get(current) ?? 0) + 1)
      queue.push(parent)
    }
  }
  return seen
}

/** The common ancestor of `a` and `b` nearest to both, or undefined for unrelated histories. */
export function mergeBaseOf(graph: FakeCommitGraph, a: string, b: string): string | undefined {
  const fromA = ancestorsOf(graph, a)
  const fromB = ancestorsOf(graph, b)
  let best: { sha: string; distance: number } | undefined
  for (const [sha, distance] of fromB) {
    const other = fromA.get(sha)
    if (other === undefined) continue
    if (best === undefined || distance + other < best.distance) best = { sha, distance: distance + other }
  }
  return best?.sha
}

function linesOf(text: string | undefined): string[] {
  if (text === undefined || text === '') return []
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

export type EditOp = { kind: ' ' | '-' | '+'; oldIndex: number; newIndex: number; text: string }

/** A shortest edit script by LCS (fine for the small files of tests). Indices are 0-based positions. */
export function editScript(oldLines: readonly string[], newLines: readonly string[]): EditOp[] {
  const n = oldLines.length
  const m = newLines.length
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = oldLines[i] === newLines[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
    }
  }
  const ops: EditOp[] = []
  let i = 0
  let j = 0
  while (i < n || j < m) {
    if (i < n && j < m && oldLines[i] === newLines[j]) {
      ops.push({ kind: ' ', oldIndex: i, newIndex: j, text: newLines[j]! })
      i++
      j++
    } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      // Deletions before additions, as git prints a changed line.
      ops.push({ kind: '-', oldIndex: i, newIndex: j, text: oldLines[i]! })
      i++
    } else {
      ops.push({ kind: '+', oldIndex: i, newIndex: j, text: newLines[j]! })
      j++
    }
  }
  return ops
}

/** Maps a 1-based line of the old text to the new text when the line itself is unchanged. */
export function mapLine(oldText: string | undefined, newText: string | undefined, line: number): number | undefined {
  const op = editScript(linesOf(oldText), linesOf(newText)).find(
    (candidate) => candidate.kind === ' ' && candidate.oldIndex === line - 1
  )
  return op === undefined ? undefined : op.newIndex + 1
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`
}

/** Groups the changes of an edit script into hunks with context, as `git diff -U3` does. */
function hunksOf(ops: readonly EditOp[]): string[] {
  const changed = ops.flatMap((op, index) => (op.kind === ' ' ? [] : [index]))
  const groups: { from: number; to: number }[] = []
  for (const index of changed) {
    const from = Math.max(0, index - CONTEXT_LINES)
    const to = Math.min(ops.length - 1, index + CONTEXT_LINES)
    const last = groups[groups.length - 1]
    if (last !== undefined && from <= last.to + 1) last.to = to
    else groups.push({ from, to })
  }
  return groups.map(({ from, to }) => {
    const slice = ops.slice(from, to + 1)
    const oldCount = slice.filter((op) => op.kind !== '+').length
    const newCount = slice.filter((op) => op.kind !== '-').length
    const first = slice[0]!
    const oldStart = oldCount === 0 ? first.oldIndex : first.oldIndex + 1
    const newStart = newCount === 0 ? first.newIndex : first.newIndex + 1
    const header = `@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`
    return [header, ...slice.map((op) => `${op.kind}${op.text}`)].join('\n')
  })
}

function blobId(text: string | undefined): string {
  return text === undefined ? '0000000' : createHash('sha1').update(text).digest('hex').slice(0, 7)
}

/** `git diff from to` of two snapshots: per file, headers then hunks. Renames show as delete + add. */
export function diffTrees(from: FileTree, to: FileTree): string {
  const paths = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort()
  const files: string[] = []
  for (const path of paths) {
    const before = from[path]
    const after = to[path]
    if (before === after) continue
    const hunks = hunksOf(editScript(linesOf(before), linesOf(after)))
    const header = [`diff --git a/${path} b/${path}`]
    if (before === undefined)
      header.push('new file mode 100644', `index 0000000..${blobId(after)}`, '--- /dev/null', `+++ b/${path}`)
    else if (after === undefined)
      header.push('deleted file mode 100644', `index ${blobId(before)}..0000000`, `--- a/${path}`, '+++ /dev/null')
    else header.push(`index ${blobId(before)}..${blobId(after)} 100644`, `--- a/${path}`, `+++ b/${path}`)
    files.push([...header, ...hunks].join('\n'))
  }
  return files.length === 0 ? '' : `${files.join('\n')}\n`
}

/** A pull request's diff as GitHub makes it: from the merge base of base and head to the head. */
export function pullDiffOf(graph: FakeCommitGraph, baseSha: string, headSha: string): string {
  const mergeBase = mergeBaseOf(graph, baseSha, headSha)
  const from = mergeBase === undefined ? {} : requireCommit(graph, mergeBase).files
  return diffTrees(from, requireCommit(graph, headSha).files)
}
