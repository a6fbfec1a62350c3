/**
 * Round trip: random files rendered as `git diff` text (__fixtures__/diffs/render-diff.ts) parse back to the
 * same files, hunks, lines and line numbers, whatever the paths (spaces, quotes, non-ASCII, tabs), the
 * content (header look-alikes, unicode) or the `\ No newline at end of file` markers.
 */
import fc from 'fast-check'
import { parseUnifiedDiff } from '../../src/diff/parse.js'
import type { DiffFile, DiffHunk, DiffLine, FileStatus, LineKind } from '../../src/types.js'
import { renderUnifiedDiff, type RenderableFile } from '../../__fixtures__/diffs/render-diff.js'

const segmentChar = fc.constantFrom('a', 'b', 'z', 'Q', '0', '7', '-', '_', '.', ' ', 'é', '日', '"', '\\', '\t', '🚀')
const segmentArb = fc
  .string({ unit: segmentChar, minLength: 1, maxLength: 8 })
  .filter((segment) => segment !== '.' && segment !== '..')
const pathArb = fc.array(segmentArb, { minLength: 1, maxLength: 3 }).map((segments) => segments.join('/'))

/** Line content: anything but line terminators, often shaped like diff syntax. */
const contentArb = fc
  .oneof(
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }), weight: 3 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 2 },
    {
      arbitrary: fc.constantFrom(
        '',
        ' ',
        '-- comment',
        '++ x',
        '--- a/x',
        '+++ b/x',
        '@@ -1 +1 @@',
        'diff --git a/x b/x',
        '\\ No newline at end of file',
        'Binary files a and b differ',
        '\t'
      ),
      weight: 3
    }
  )
  .map((text) => text.replace(/[\r\n]/g, ''))

const sectionArb = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 20 }).map((text) => ` ${text.replace(/[\r\n]/g, '')}`)
)

const mixedHunkArb = fc.record({
  gap: fc.nat(50),
  section: sectionArb,
  omitSingleCounts: fc.boolean(),
  lines: fc.array(fc.tuple(fc.constantFrom<LineKind>('add', 'del', 'context'), contentArb), {
    minLength: 1,
    maxLength: 12
  })
})
type HunkSpec = typeof mixedHunkArb extends fc.Arbitrary<infer T> ? T : never

const fileSpecArb = fc.record({
  path: pathArb,
  previousPath: pathArb,
  status: fc.constantFrom<FileStatus>('modified', 'added', 'deleted', 'renamed', 'copied'),
  binary: fc.boolean(),
  modeChange: fc.boolean(),
  hunks: fc.array(mixedHunkArb, { maxLength: 3 }),
  noNewlineAtEnd: fc.boolean(),
  noNewlineAfterLastDel: fc.boolean()
})
type FileSpec = typeof fileSpecArb extends fc.Arbitrary<infer T> ? T : never

function range(start: number, count: number, omitOne: boolean): string {
  return count === 1 && omitOne ? `${start}` : `${start},${count}`
}

/** Numbers the lines of hunk specs from line 1 on both sides, with git's conventions for empty sides. */
function buildHunks(specs: readonly HunkSpec[]): DiffHunk[] {
  let oldNumber = 1
  let newNumber = 1
  return specs.map((spec) => {
    oldNumber += spec.gap
    newNumber += spec.gap
    const firstOld = oldNumber
    const firstNew = newNumber
    const lines = spec.lines.map(([kind, content]): DiffLine => {
      if (kind === 'add') return { kind, content, newNumber: newNumber++ }
      if (kind === 'del') return { kind, content, oldNumber: oldNumber++ }
      return { kind, content, oldNumber: oldNumber++, newNumber: newNumber++ }
    })
    const oldLines = oldNumber - firstOld
    const newLines = newNumber - firstNew
    // An empty side is numbered from the line before it (`-0,0` for a new file).
    const oldStart = oldLines === 0 ? firstOld - 1 : firstOld
    const newStart = newLines === 0 ? firstNew - 1 : firstNew
    const header = `@@ -${range(oldStart, oldLines, spec.omitSingleCounts)} +${range(newStart, newLines, spec.omitSingleCounts)} @@${spec.section}`
    return { header, oldStart, oldLines, newStart, newLines, lines }
  })
}

/** Added files hold only added lines, deleted files only deleted ones. */
function hunkSpecsFor(spec: FileSpec): HunkSpec[] {
  if (spec.binary) return []
  if (spec.status === 'added' || spec.status === 'deleted') {
    const kind: LineKind = spec.status === 'added' ? 'add' : 'del'
    const lines = spec.hunks.flatMap((hunk) => hunk.lines).map(([, content]) => [kind, content] as [LineKind, string])
    return lines.length === 0 ? [] : [{ gap: 0, section: '', omitSingleCounts: false, lines }]
  }
  return spec.hunks
}

function buildFile(spec: FileSpec, index: number): RenderableFile {
  const path = `f${index}/${spec.path}`
  const moved = spec.status === 'renamed' || spec.status === 'copied'
  const hunks = buildHunks(hunkSpecsFor(spec))
  const all = hunks.flatMap((hunk) => hunk.lines)
  const last = hunks.length - 1
  const lastLines = hunks[last]?.lines ?? []
  const lastDel = lastLines.map((line) => line.kind).lastIndexOf('del')
  const noNewline = [
    ...(spec.noNewlineAtEnd && last >= 0 ? [{ hunk: last, line: lastLines.length - 1 }] : []),
    ...(spec.noNewlineAfterLastDel && lastDel >= 0 && lastDel < lastLines.length - 1
      ? [{ hunk: last, line: lastDel }]
      : [])
  ]
  // git never prints a modified file with no content, mode or binary change.
  const modeChange = spec.modeChange || (spec.status === 'modified' && !spec.binary && hunks.length === 0)
  return {
    path,
    ...(moved ? { previousPath: `g${index}/${spec.previousPath}` } : {}),
    status: spec.status,
    binary: spec.binary,
    hunks,
    additions: all.filter((line) => line.kind === 'add').length,
    deletions: all.filter((line) => line.kind === 'del').length,
    modeChange: modeChange && spec.status !== 'added' && spec.status !== 'deleted',
    noNewline
  }
}

const filesArb = fc.array(fileSpecArb, { maxLength: 5 }).map((specs) => specs.map(buildFile))

/** What parse must return: the file without the rendering hints. */
function expected(file: RenderableFile): DiffFile {
  const { modeChange: _modeChange, noNewline: _noNewline, ...rest } = file
  return rest
}

describe('parseUnifiedDiff round trip (property)', () => {
  it('parses rendered files back to the same files, hunks, lines and numbers', () => {
    fc.assert(
      fc.property(filesArb, (files) => {
        const parsed = parseUnifiedDiff(renderUnifiedDiff(files))
        expect(parsed).toEqual(files.map(expected))
      }),
      { numRuns: 300 }
    )
  })

  it('reads CRLF output of the same diff the same way', () => {
    fc.assert(
      fc.property(filesArb, (files) => {
        const text = renderUnifiedDiff(files)
        expect(parseUnifiedDiff(text.replace(/\n/g, '\r\n'))).toEqual(parseUnifiedDiff(text))
      }),
      { numRuns: 100 }
    )
  })

  it('renders the fixture like git for a quoted, spaced rename with a no-newline marker', () => {
    const file: RenderableFile = {
      path: 'docs/naïve notes.md',
      previousPath: 'docs/old "name".md',
      status: 'renamed',
      binary: false,
      hunks: buildHunks([
        {
          gap: 0,
          section: '',
          omitSingleCounts: true,
          lines: [
            ['del', 'a'],
            ['add', 'b']
          ]
        }
      ]),
      additions: 1,
      deletions: 1,
      noNewline: [{ hunk: 0, line: 1 }]
    }
    expect(renderUnifiedDiff([file])).toBe(
      [
        'diff --git "a/docs/old \\"name\\".md" "b/docs/na\\303\\257ve notes.md"',
        'similarity index 90%',
        'rename from "docs/old \\"name\\".md"',
        'rename to "docs/na\\303\\257ve notes.md"',
        'index 1234567..89abcde 100644',
        '--- "a/docs/old \\"name\\".md"',
        '+++ "b/docs/na\\303\\257ve notes.md"',
        '@@ -1 +1 @@',
        '-a',
        '+b',
        '\\ No newline at end of file',
        ''
      ].join('\n')
    )
    expect(parseUnifiedDiff(renderUnifiedDiff([file]))).toEqual([expected(file)])
  })
})
