import { MISSING_PATCH_REASON, parseFilePatches } from '../../src/diff/file-patches.js'
import type { PullFileEntry } from '../../src/types.js'

const PATCH = '@@ -1,3 +1,3 @@\n keep\n-old\n+new\n tail'

describe('parseFilePatches', () => {
  it.each([
    ['added', 'added'],
    ['removed', 'deleted'],
    ['modified', 'modified'],
    ['renamed', 'renamed'],
    ['copied', 'copied'],
    ['changed', 'modified'],
    ['unchanged', 'modified'],
    ['something-new', 'modified']
  ])('maps GitHub status %s to %s', (status, expected) => {
    const [file] = parseFilePatches([{ filename: 'a.ts', status, additions: 1, deletions: 1, patch: PATCH }])
    expect(file?.status).toBe(expected)
  })

  it('reads the hunks of a patch, with counts taken from its lines', () => {
    const [file] = parseFilePatches([
      { filename: 'src/a.ts', status: 'modified', additions: 99, deletions: 99, patch: PATCH }
    ])
    expect(file).toEqual({
      path: 'src/a.ts',
      status: 'modified',
      binary: false,
      additions: 1,
      deletions: 1,
      hunks: [
        {
          header: '@@ -1,3 +1,3 @@',
          oldStart: 1,
          oldLines: 3,
          newStart: 1,
          newLines: 3,
          lines: [
            { kind: 'context', content: 'keep', oldNumber: 1, newNumber: 1 },
            { kind: 'del', content: 'old', oldNumber: 2 },
            { kind: 'add', content: 'new', newNumber: 2 },
            { kind: 'context', content: 'tail', oldNumber: 3, newNumber: 3 }
          ]
        }
      ]
    })
  })

  it('keeps the previous name of renamed and copied files only', () => {
    const entries: PullFileEntry[] = [
      { filename: 'new.ts', previousFilename: 'old.ts', status: 'renamed', additions: 1, deletions: 1, patch: PATCH },
      { filename: 'copy.ts', previousFilename: 'orig.ts', status: 'copied', additions: 1, deletions: 1, patch: PATCH },
      {
        filename: 'odd.ts',
        previousFilename: 'ignored.ts',
        status: 'modified',
        additions: 1,
        deletions: 1,
        patch: PATCH
      }
    ]
    expect(parseFilePatches(entries).map((file) => file.previousPath)).toEqual(['old.ts', 'orig.ts', undefined])
  })

  it.each<[string, PullFileEntry, string | undefined]>([
    [
      'a binary or huge modified file',
      { filename: 'big.js', status: 'modified', additions: 30000, deletions: 2 },
      MISSING_PATCH_REASON
    ],
    [
      'an added file without patch',
      { filename: 'logo.png', status: 'added', additions: 0, deletions: 0 },
      MISSING_PATCH_REASON
    ],
    [
      'a renamed file with changes but no patch',
      { filename: 'b.js', previousFilename: 'a.js', status: 'renamed', additions: 3, deletions: 0 },
      MISSING_PATCH_REASON
    ],
    [
      'a pure rename',
      { filename: 'b.js', previousFilename: 'a.js', status: 'renamed', additions: 0, deletions: 0 },
      undefined
    ],
    [
      'a pure rename with an empty patch',
      { filename: 'b.js', previousFilename: 'a.js', status: 'renamed', additions: 0, deletions: 0, patch: '' },
      undefined
    ]
  ])('%s', (_label, entry, reason) => {
    const [file] = parseFilePatches([entry])
    expect(file?.missingPatchReason).toBe(reason)
    expect(file?.hunks).toEqual([])
    expect([file?.additions, file?.deletions]).toEqual([entry.additions, entry.deletions])
  })
})
