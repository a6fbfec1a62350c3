/**
 * Every skipped file is shown as `reason` or `reason: detail`: the detail must add something the reason
 * does not already say (issue 15: "deleted: deleted in the pull request: nothing left to comment on").
 */
import { describeSkip, filterFiles, type FilterOptions } from '../../src/diff/filter.js'
import { parseFilePatches } from '../../src/diff/file-patches.js'
import type { DiffFile, DiffLine } from '../../src/types.js'

const OPTIONS: FilterOptions = { include: [], exclude: [], maxFileChangedLines: 1000, maxFiles: 300 }

function makeFile(path: string, overrides: Partial<DiffFile> & { added?: readonly string[] } = {}): DiffFile {
  const { added = ['const a = 1'], ...rest } = overrides
  const lines: DiffLine[] = added.map((content, offset) => ({ kind: 'add', content, newNumber: 1 + offset }))
  const hunk = { header: '@@ -0,0 +1 @@', oldStart: 0, oldLines: 0, newStart: 1, newLines: lines.length, lines }
  return { path, status: 'modified', binary: false, hunks: [hunk], additions: lines.length, deletions: 0, ...rest }
}

const context: DiffLine = { kind: 'context', content: 'same', oldNumber: 1, newNumber: 1 }
const unchanged = [{ header: '@@ -1 +1 @@', oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: [context] }]
const [noPatch] = parseFilePatches([{ filename: 'big.js', status: 'modified', additions: 30_000, deletions: 2 }])
const [submodule] = parseFilePatches([
  {
    filename: 'libs/core',
    status: 'modified',
    additions: 1,
    deletions: 1,
    patch: `@@ -1 +1 @@\n-Subproject commit ${'a'.repeat(40)}\n+Subproject commit ${'b'.repeat(40)}`
  }
])

describe('describeSkip', () => {
  it.each<[string, DiffFile, Partial<FilterOptions>, string]>([
    ['a deleted file', makeFile('gone.ts', { status: 'deleted' }), {}, 'deleted'],
    ['a binary git reports', makeFile('blob.dat', { binary: true, hunks: [] }), {}, 'binary'],
    ['a binary by name', makeFile('fonts/icons.woff2'), {}, 'binary: .woff2'],
    ['an image', makeFile('assets/logo.png'), {}, 'image: .png'],
    [
      'a file GitHub sent no patch for',
      noPatch as DiffFile,
      {},
      'no-patch: GitHub sent none (binary, or its diff is too large)'
    ],
    [
      'a pure rename',
      makeFile('new.ts', { status: 'renamed', previousPath: 'old.ts', hunks: [] }),
      {},
      'no-changes: renamed from old.ts'
    ],
    ['a mode change', makeFile('run.sh', { hunks: unchanged }), {}, 'no-changes'],
    ['a named lockfile', makeFile('package-lock.json'), {}, 'lockfile'],
    ['another lockfile', makeFile('tools/pixi.lock'), {}, 'lockfile: matches *.lock'],
    ['vendored code', makeFile('src/vendor/x.js'), {}, 'vendored: under "src/vendor/"'],
    ['build output', makeFile('web/dist/app.js'), {}, 'build-output: under "web/dist/"'],
    ['a minified name', makeFile('public/app.min.js'), {}, 'minified: matches *.min.js'],
    [
      'a long added line',
      makeFile('blob.js', { added: ['x'.repeat(6_000)] }),
      {},
      'minified: an added line has 6000 characters (over 5000)'
    ],
    ['a generated name', makeFile('api/x.pb.go'), {}, 'generated: matches *.pb.go'],
    [
      'a generated marker',
      makeFile('x.ts', { added: ['// @generated'] }),
      {},
      'generated: "@generated" marker on line 1'
    ],
    [
      'a huge file',
      makeFile('huge.ts', { additions: 5_000 }),
      {},
      'too-large: 5000 changed lines, over the limit of 1000 per file'
    ],
    ['an excluded file', makeFile('src/a.ts'), { exclude: ['src/**'] }, 'excluded: matches "src/**"'],
    [
      'a file outside include',
      makeFile('docs/a.md'),
      { include: ['src/**/*.ts', 'lib/**'] },
      'not-included: matches none of "src/**/*.ts", "lib/**"'
    ],
    ['a submodule', submodule as DiffFile, {}, `submodule: ${'a'.repeat(12)} → ${'b'.repeat(12)}`]
  ])('%s ⇒ %j', (_label, file, options, expected) => {
    const [skipped] = filterFiles([file], { ...OPTIONS, ...options }).skipped
    if (skipped === undefined) throw new Error('expected the file to be skipped')
    expect(describeSkip(skipped)).toBe(expected)
    // The detail never repeats the reason's own words (quoted patterns and markers are data, not wording).
    const detailWords = skipped.detail
      .replace(/"[^"]*"/g, '')
      .toLowerCase()
      .split(/[^a-z]+/)
    expect(skipped.reason.split('-').filter((word) => detailWords.includes(word))).toEqual([])
  })

  it('says how far past the file limit a file was', () => {
    const skipped = filterFiles([makeFile('a.ts'), makeFile('b.ts')], { ...OPTIONS, maxFiles: 1 }).skipped
    expect(skipped.map(describeSkip)).toEqual(['over-file-limit: file 2 of 2; only the first 1 are reviewed'])
  })
})
