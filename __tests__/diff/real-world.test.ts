import { loadRealWorldDiff } from '../../__fixtures__/real-world-diff.js'
import { filterFiles } from '../../src/diff/filter.js'
import { buildLineIndex } from '../../src/diff/line-index.js'
import { parseUnifiedDiff } from '../../src/diff/parse.js'
import type { DiffFile } from '../../src/types.js'

/** The first run downloads two tarballs from the npm registry. */
const DOWNLOAD_TIMEOUT_MS = 6 * 60 * 1000

function countLinesStartingWith(text: string, prefix: string): number {
  return text.split('\n').filter((line) => line.startsWith(prefix)).length
}

function numbersOf(file: DiffFile, side: 'right' | 'left'): number[] {
  const lines = file.hunks.flatMap((hunk) => hunk.lines)
  return side === 'right'
    ? lines.flatMap((line) => (line.kind !== 'del' && line.newNumber !== undefined ? [line.newNumber] : []))
    : lines.flatMap((line) => (line.kind !== 'add' && line.oldNumber !== undefined ? [line.oldNumber] : []))
}

describe('a real-world diff (two published versions of an npm package)', () => {
  let text = ''
  let files: DiffFile[] = []

  beforeAll(() => {
    text = loadRealWorldDiff()
    files = parseUnifiedDiff(text)
  }, DOWNLOAD_TIMEOUT_MS)

  it('finds every file, rename, deletion and binary file git reported', () => {
    expect(files).toHaveLength(countLinesStartingWith(text, 'diff --git '))
    const renamed = files.filter((file) => file.status === 'renamed')
    const deleted = files.filter((file) => file.status === 'deleted')
    const binary = files.filter((file) => file.binary)
    expect(renamed.length).toBeGreaterThan(0)
    expect(deleted.length).toBeGreaterThan(0)
    expect(binary.length).toBeGreaterThan(0)
    expect(renamed).toHaveLength(countLinesStartingWith(text, 'rename from '))
    expect(deleted).toHaveLength(countLinesStartingWith(text, 'deleted file mode '))
    expect(binary).toHaveLength(countLinesStartingWith(text, 'Binary files '))
    expect(renamed.every((file) => file.previousPath !== undefined && file.previousPath !== file.path)).toBe(true)
  })

  it('reads every hunk whole: counts agree with the lines and with the hunk headers', () => {
    const withHunks = files.filter((file) => file.hunks.length > 0)
    expect(withHunks.length).toBeGreaterThan(0)
    for (const file of withHunks) {
      const lines = file.hunks.flatMap((hunk) => hunk.lines)
      expect([file.path, file.additions, file.deletions]).toEqual([
        file.path,
        lines.filter((line) => line.kind === 'add').length,
        lines.filter((line) => line.kind === 'del').length
      ])
      for (const hunk of file.hunks) {
        const oldSide = hunk.lines.filter((line) => line.kind !== 'add').length
        const newSide = hunk.lines.filter((line) => line.kind !== 'del').length
        expect([file.path, hunk.header, oldSide, newSide]).toEqual([
          file.path,
          hunk.header,
          hunk.oldLines,
          hunk.newLines
        ])
      }
    }
  })

  it('marks exactly the added and context lines as commentable', () => {
    const index = buildLineIndex(files)
    for (const file of files) {
      const lines = index.get(file.path)
      expect([file.path, [...(lines?.right.keys() ?? [])].sort((a, b) => a - b)]).toEqual([
        file.path,
        numbersOf(file, 'right')
      ])
      expect([file.path, [...(lines?.left.keys() ?? [])].sort((a, b) => a - b)]).toEqual([
        file.path,
        numbersOf(file, 'left')
      ])
    }
  })

  it('leaves some files to review and gives every skipped file a reason', () => {
    const result = filterFiles(files, { include: [], exclude: [], maxFileChangedLines: 1000, maxFiles: 1000 })
    expect(result.reviewable.length).toBeGreaterThan(0)
    expect(result.reviewable.length + result.skipped.length).toBe(files.length)
    const reasons = new Set(result.skipped.map((skip) => skip.reason))
    expect([...reasons]).toEqual(expect.arrayContaining(['binary', 'deleted', 'no-changes']))
  })
})
