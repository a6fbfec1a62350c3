/**
 * The fake GitHub's own reading of a unified git diff: files, hunks, and which lines GitHub would let a
 * review comment on. Deliberately independent of src/diff so a bug there cannot hide in the server.
 */

export interface FakeHunk {
  /** New-file line numbers of added and context lines (RIGHT side). */
  readonly right: ReadonlySet<number>
  /** Old-file line numbers of deleted and context lines (LEFT side). */
  readonly left: ReadonlySet<number>
}

export interface FakeDiffFile {
  /** Path in the head; for a deleted file, its path in the base. */
  readonly filename: string
  readonly previousFilename?: string
  readonly status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied'
  readonly binary: boolean
  readonly additions: number
  readonly deletions: number
  /** The hunks' text only (from the first `@@`), as `pulls.listFiles` returns it; '' when none. */
  readonly patch: string
  readonly hunks: readonly FakeHunk[]
}

interface Draft {
  oldPath: string
  newPath: string
  status: FakeDiffFile['status']
  binary: boolean
  additions: number
  deletions: number
  patchLines: string[]
  hunks: { right: Set<number>; left: Set<number> }[]
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/

function stripPrefix(path: string): string {
  return path.replace(/^"?[ab]\//, '').replace(/"$/, '')
}

function startFile(header: string): Draft {
  // `diff --git a/x b/y`: good enough for test paths without " b/" inside them.
  const [, oldPart = '', newPart = ''] = /^diff --git (\S+) (\S+)$/.exec(header) ?? []
  return {
    oldPath: stripPrefix(oldPart),
    newPath: stripPrefix(newPart),
    status: 'modified',
    binary: false,
    additions: 0,
    deletions: 0,
    patchLines: [],
    hunks: []
  }
}

function readHeaderLine(draft: Draft, line: string): void {
  if (line.startsWith('new file mode')) draft.status = 'added'
  else if (line.startsWith('deleted file mode')) draft.status = 'removed'
  else if (line.startsWith('rename from ')) [draft.status, draft.oldPath] = ['renamed', line.slice(12)]
  else if (line.startsWith('rename to ')) draft.newPath = line.slice(10)
  else if (line.startsWith('copy from ')) [draft.status, draft.oldPath] = ['copied', line.slice(10)]
  else if (line.startsWith('copy to ')) draft.newPath = line.slice(8)
  else if (line.startsWith('Binary files ') || line.startsWith('GIT binary patch')) draft.binary = true
  else if (line.startsWith('--- ') && line !== '--- /dev/null') draft.oldPath = stripPrefix(line.slice(4))
  else if (line.startsWith('+++ ') && line !== '+++ /dev/null') draft.newPath = stripPrefix(line.slice(4))
}

function finish(draft: Draft): FakeDiffFile {
  const removed = draft.status === 'removed'
  const moved = draft.status === 'renamed' || draft.status === 'copied'
  return {
    filename: removed ? draft.oldPath : draft.newPath,
    ...(moved ? { previousFilename: draft.oldPath } : {}),
    status: draft.status,
    binary: draft.binary,
    additions: draft.additions,
    deletions: draft.deletions,
    patch: draft.patchLines.join('\n'),
    hunks: draft.hunks
  }
}

interface Cursor {
  oldLine: number
  newLine: number
  /** Lines of the current hunk still to come on each side, from its header. */
  oldLeft: number
  newLeft: number
}

/** Reads one line inside a hunk; returns false when the hunk had already ended. */
function readHunkLine(draft: Draft, cursor: Cursor, line: string): boolean {
  const hunk = draft.hunks[draft.hunks.length - 1]
  if (hunk === undefined) return false
  if (line.startsWith('\\')) {
    draft.patchLines.push(line)
    return true
  }
  if (cursor.oldLeft <= 0 && cursor.newLeft <= 0) return false
  const marker = line === '' ? ' ' : line[0]
  if (marker === '+') {
    hunk.right.add(cursor.newLine++)
    cursor.newLeft--
    draft.additions++
  } else if (marker === '-') {
    hunk.left.add(cursor.oldLine++)
    cursor.oldLeft--
    draft.deletions++
  } else {
    hunk.right.add(cursor.newLine++)
    hunk.left.add(cursor.oldLine++)
    cursor.oldLeft--
    cursor.newLeft--
  }
  draft.patchLines.push(line)
  return true
}

/** Splits a `git diff` into files with their hunks and commentable lines. */
export function parseFakeDiff(text: string): FakeDiffFile[] {
  const files: FakeDiffFile[] = []
  let draft: Draft | undefined
  const cursor: Cursor = { oldLine: 0, newLine: 0, oldLeft: 0, newLeft: 0 }
  for (const line of text.split('\n')) {
    if (line.startsWith('diff --git ')) {
      if (draft !== undefined) files.push(finish(draft))
      draft = startFile(line)
      Object.assign(cursor, { oldLeft: 0, newLeft: 0 })
      continue
    }
    if (draft === undefined) continue
    const header = HUNK_HEADER.exec(line)
    if (header !== null) {
      Object.assign(cursor, {
        oldLine: Number(header[1]),
        oldLeft: Number(header[2] ?? '1'),
        newLine: Number(header[3]),
        newLeft: Number(header[4] ?? '1')
      })
      draft.hunks.push({ right: new Set(), left: new Set() })
      draft.patchLines.push(line)
      continue
    }
    if (!readHunkLine(draft, cursor, line)) readHeaderLine(draft, line)
  }
  if (draft !== undefined) files.push(finish(draft))
  return files
}

/** Index of the hunk holding `line` on `side`, or -1 when GitHub would say it is not part of the diff. */
export function findHunk(file: FakeDiffFile, side: 'LEFT' | 'RIGHT', line: number): number {
  return file.hunks.findIndex((hunk) => (side === 'RIGHT' ? hunk.right : hunk.left).has(line))
}
