/**
 * A submodule's "diff" is a moved commit pointer (`Subproject commit …`, mode 160000): nothing a model can
 * review. It must be skipped with the reason `submodule` whichever way the diff arrived.
 */
import { parseFilePatches } from '../../src/diff/file-patches.js'
import { filterFiles, type FilterOptions } from '../../src/diff/filter.js'
import { parseUnifiedDiff } from '../../src/diff/parse.js'
import type { DiffFile } from '../../src/types.js'

const OLD = 'a'.repeat(40)
const NEW = 'b'.repeat(40)
const OPTIONS: FilterOptions = { include: [], exclude: [], maxFileChangedLines: 1000, maxFiles: 300 }

const MOVED = [
  'diff --git a/libs/core b/libs/core',
  `index ${OLD.slice(0, 7)}..${NEW.slice(0, 7)} 160000`,
  '--- a/libs/core',
  '+++ b/libs/core',
  '@@ -1 +1 @@',
  `-Subproject commit ${OLD}`,
  `+Subproject commit ${NEW}`
]
const ADDED = [
  'diff --git a/vendor-sdk b/vendor-sdk',
  'new file mode 160000',
  `index 0000000..${NEW.slice(0, 7)}`,
  '--- /dev/null',
  '+++ b/vendor-sdk',
  '@@ -0,0 +1 @@',
  `+Subproject commit ${NEW}`
]
const REMOVED = [
  'diff --git a/old-sdk b/old-sdk',
  'deleted file mode 160000',
  `index ${OLD.slice(0, 7)}..0000000`,
  '--- a/old-sdk',
  '+++ /dev/null',
  '@@ -1 +0,0 @@',
  `-Subproject commit ${OLD}`
]
const CODE = [
  'diff --git a/src/a.ts b/src/a.ts',
  'index 1111111..2222222 100644',
  '--- a/src/a.ts',
  '+++ b/src/a.ts',
  '@@ -1 +1 @@',
  '-export const a = 1',
  '+export const a = 2'
]

function reasons(files: readonly DiffFile[]): Array<[string, string]> {
  const result = filterFiles(files, OPTIONS)
  return [
    ...result.reviewable.map((file): [string, string] => [file.path, 'reviewed']),
    ...result.skipped.map((file): [string, string] => [file.path, file.reason])
  ]
}

describe('submodule pointer changes', () => {
  it('are marked by the unified-diff parser (mode 160000) and skipped as `submodule`', () => {
    const files = parseUnifiedDiff([...MOVED, ...ADDED, ...REMOVED, ...CODE, ''].join('\n'))
    expect(files.map((file) => [file.path, file.submodule === true])).toEqual([
      ['libs/core', true],
      ['vendor-sdk', true],
      ['old-sdk', true],
      ['src/a.ts', false]
    ])
    expect(reasons(files)).toEqual([
      ['src/a.ts', 'reviewed'],
      ['libs/core', 'submodule'],
      ['vendor-sdk', 'submodule'],
      ['old-sdk', 'submodule']
    ])
  })

  it('say which commits the pointer moved between, once', () => {
    const [skipped] = filterFiles(parseUnifiedDiff(MOVED.join('\n')), OPTIONS).skipped
    expect(skipped).toEqual({
      path: 'libs/core',
      reason: 'submodule',
      detail: `${OLD.slice(0, 12)} → ${NEW.slice(0, 12)}`
    })
  })

  it('are recognised in GitHub’s file list, which has no modes: the patch is only Subproject lines', () => {
    const files = parseFilePatches([
      {
        filename: 'libs/core',
        status: 'modified',
        additions: 1,
        deletions: 1,
        patch: `@@ -1 +1 @@\n-Subproject commit ${OLD}\n+Subproject commit ${NEW}`
      },
      {
        filename: 'vendor-sdk',
        status: 'added',
        additions: 1,
        deletions: 0,
        patch: `@@ -0,0 +1 @@\n+Subproject commit ${NEW}-dirty`
      },
      // A text file that merely mentions the phrase is still code to review.
      {
        filename: 'docs/git.md',
        status: 'modified',
        additions: 2,
        deletions: 0,
        patch: `@@ -1 +1,3 @@\n intro\n+Subproject commit ${NEW}\n+is what git prints`
      },
      {
        filename: 'src/a.ts',
        status: 'modified',
        additions: 1,
        deletions: 1,
        patch: '@@ -1 +1 @@\n-export const a = 1\n+export const a = 2'
      }
    ])
    expect(reasons(files)).toEqual([
      ['docs/git.md', 'reviewed'],
      ['src/a.ts', 'reviewed'],
      ['libs/core', 'submodule'],
      ['vendor-sdk', 'submodule']
    ])
  })
})
