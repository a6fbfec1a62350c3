import { ConfigError } from '../../src/errors.js'
import { filterFiles, validateGlobs, type FilterOptions } from '../../src/diff/filter.js'
import type { DiffFile, DiffHunk, DiffLine, SkipReason } from '../../src/types.js'

const OPTIONS: FilterOptions = { include: [], exclude: [], maxFileChangedLines: 1000, maxFiles: 300 }

/** A modified file whose one hunk adds `added` (default: two short lines) starting at head line `startLine`. */
function makeFile(
  path: string,
  options: { added?: readonly string[]; startLine?: number } & Partial<DiffFile> = {}
): DiffFile {
  const { added = ['const a = 1', 'const b = 2'], startLine = 10, ...overrides } = options
  const lines: DiffLine[] = added.map((content, offset) => ({ kind: 'add', content, newNumber: startLine + offset }))
  const hunk = {
    header: `@@ -${startLine},0 +${startLine},${lines.length} @@`,
    oldStart: startLine,
    oldLines: 0,
    newStart: startLine,
    newLines: lines.length,
    lines
  }
  return { path, status: 'modified', binary: false, hunks: [hunk], additions: lines.length, deletions: 0, ...overrides }
}

function reasonFor(file: DiffFile, options: Partial<FilterOptions> = {}): SkipReason | 'reviewed' {
  const result = filterFiles([file], { ...OPTIONS, ...options })
  return result.skipped[0]?.reason ?? 'reviewed'
}

describe('filterFiles: default skips by path', () => {
  it.each<[string, SkipReason | 'reviewed']>([
    ['src/index.ts', 'reviewed'],
    ['README.md', 'reviewed'],
    ['.github/workflows/ci.yml', 'reviewed'],
    ['assets/logo.png', 'image'],
    ['docs/diagram.SVG', 'image'],
    ['design/mock.psd', 'image'],
    ['fonts/icons.woff2', 'binary'],
    ['lib/native.so', 'binary'],
    ['bin/tool.exe', 'binary'],
    ['app.wasm', 'binary'],
    ['docs/spec.pdf', 'binary'],
    ['target.jar', 'binary'],
    ['package-lock.json', 'lockfile'],
    ['packages/web/yarn.lock', 'lockfile'],
    ['pnpm-lock.yaml', 'lockfile'],
    ['bun.lockb', 'lockfile'],
    ['Cargo.lock', 'lockfile'],
    ['go.sum', 'lockfile'],
    ['ios/Podfile.lock', 'lockfile'],
    ['tools/pixi.lock', 'lockfile'],
    ['src/lock.ts', 'reviewed'],
    ['dist/index.js', 'build-output'],
    ['packages/app/build/main.js', 'build-output'],
    ['web/.next/server/page.js', 'build-output'],
    ['coverage/lcov-report/index.html', 'build-output'],
    ['crate/target/debug/out.rs', 'build-output'],
    ['src/build/config.ts', 'reviewed'],
    ['src/main/java/org/acme/target/Target.java', 'reviewed'],
    ['cmd/build/main.go', 'reviewed'],
    ['build.gradle', 'reviewed'],
    ['vendor/github.com/pkg/errors/errors.go', 'vendored'],
    ['web/node_modules/left-pad/index.js', 'vendored'],
    ['third_party/zlib/zlib.h', 'vendored'],
    ['.yarn/releases/yarn-4.js', 'vendored'],
    ['src/vendor/jquery.js', 'vendored'],
    ['public/app.min.js', 'minified'],
    ['styles/site.min.css', 'minified'],
    ['static/app.js.map', 'minified'],
    ['lib/jquery-min.js', 'minified'],
    ['api/user.pb.go', 'generated'],
    ['api/user_pb2.py', 'generated'],
    ['api/user_pb2_grpc.py', 'generated'],
    ['lib/model.g.dart', 'generated'],
    ['lib/model.freezed.dart', 'generated'],
    ['src/schema.generated.ts', 'generated'],
    ['Forms/Main.Designer.cs', 'generated'],
    ['src/__snapshots__/app.test.ts.snap', 'generated'],
    ['pkg/apis/zz_generated.deepcopy.go', 'generated']
  ])('%s ⇒ %s', (path, expected) => {
    expect(reasonFor(makeFile(path))).toBe(expected)
  })
})

describe('filterFiles: decisions from content and status', () => {
  const longLine = 'x'.repeat(5001)
  const wideLines = Array.from({ length: 10 }, () => 'y'.repeat(450))
  const contextOnlyHunk: DiffHunk = {
    header: '@@ -1 +1 @@',
    oldStart: 1,
    oldLines: 1,
    newStart: 1,
    newLines: 1,
    lines: [{ kind: 'context', content: 'x', oldNumber: 1, newNumber: 1 }]
  }
  it.each<[string, DiffFile, SkipReason | 'reviewed']>([
    ['git binary flag', makeFile('data/blob', { binary: true, hunks: [] }), 'binary'],
    ['binary flag on an image', makeFile('a.png', { binary: true, hunks: [] }), 'image'],
    ['missing patch', makeFile('big.ts', { hunks: [], missingPatchReason: 'no patch' }), 'no-patch'],
    ['missing patch on an image', makeFile('big.png', { hunks: [], missingPatchReason: 'no patch' }), 'image'],
    ['missing patch on a font', makeFile('f.ttf', { hunks: [], missingPatchReason: 'no patch' }), 'binary'],
    ['deleted file', makeFile('old.ts', { status: 'deleted' }), 'deleted'],
    ['deleted lockfile', makeFile('yarn.lock', { status: 'deleted' }), 'deleted'],
    ['pure rename', makeFile('b.ts', { status: 'renamed', previousPath: 'a.ts', hunks: [] }), 'no-changes'],
    ['context-only hunk', makeFile('c.ts', { hunks: [contextOnlyHunk] }), 'no-changes'],
    ['an added line over 5,000 characters', makeFile('bundle.js', { added: ['short', longLine] }), 'minified'],
    ['added lines averaging over 400 characters', makeFile('data.js', { added: wideLines }), 'minified'],
    ['added lines averaging 400 characters', makeFile('ok.js', { added: ['z'.repeat(400)] }), 'reviewed'],
    [
      '@generated near the top',
      makeFile('gen.js', { added: ['/**', ' * @generated by relay', ' */'], startLine: 1 }),
      'generated'
    ],
    [
      'Go generated header',
      makeFile('x.go', { added: ['// Code generated by protoc-gen-go. DO NOT EDIT.'], startLine: 1 }),
      'generated'
    ],
    ['C# auto-generated header', makeFile('x.cs', { added: ['// <auto-generated>'], startLine: 3 }), 'generated'],
    [
      '@generated below line 5',
      makeFile('doc.ts', { added: ['// files marked @generated are skipped'], startLine: 6 }),
      'reviewed'
    ],
    [
      'over the changed-line limit',
      makeFile('huge.ts', { added: ['a', 'b', 'c'], additions: 2, deletions: 2 }),
      'too-large'
    ]
  ])('%s', (_label, file, expected) => {
    expect(reasonFor(file, { maxFileChangedLines: 3 })).toBe(expected)
  })
})

describe('filterFiles: limits and user globs', () => {
  it('skips files beyond max-files in diff order, before any other rule', () => {
    const files = [makeFile('a.ts'), makeFile('b.png'), makeFile('c.ts'), makeFile('d.lock')]
    const result = filterFiles(files, { ...OPTIONS, maxFiles: 2 })
    expect(result.reviewable.map((file) => file.path)).toEqual(['a.ts'])
    expect(result.skipped).toEqual([
      { path: 'b.png', reason: 'image', detail: '.png' },
      { path: 'c.ts', reason: 'over-file-limit', detail: 'file 3 of 4; only the first 2 are reviewed' },
      { path: 'd.lock', reason: 'over-file-limit', detail: 'file 4 of 4; only the first 2 are reviewed' }
    ])
  })

  it.each<[string, Partial<FilterOptions>, SkipReason | 'reviewed', string | undefined]>([
    ['src/a.ts', { exclude: ['**/*.md', 'src/**'] }, 'excluded', 'matches "src/**"'],
    ['.github/ci.yml', { exclude: ['**/*.yml'] }, 'excluded', 'matches "**/*.yml"'],
    ['docs/a.md', { include: ['src/**/*.ts', 'lib/**'] }, 'not-included', 'matches none of "src/**/*.ts", "lib/**"'],
    ['src/deep/a.ts', { include: ['src/**/*.ts'] }, 'reviewed', undefined],
    ['src/a.ts', { include: ['src/**'], exclude: ['src/a.ts'] }, 'excluded', 'matches "src/a.ts"'],
    ['package-lock.json', { include: ['*.json'] }, 'lockfile', '']
  ])('%s with %j ⇒ %s', (path, options, reason, detail) => {
    const result = filterFiles([makeFile(path)], { ...OPTIONS, ...options })
    expect(result.skipped[0]?.reason ?? 'reviewed').toBe(reason)
    expect(result.skipped[0]?.detail).toBe(detail)
  })

  it('explains each default skip with the rule that matched', () => {
    const files = [makeFile('web/dist/app.js'), makeFile('src/vendor/x.js'), makeFile('huge.ts', { additions: 5000 })]
    expect(filterFiles(files, OPTIONS).skipped.map((skip) => skip.detail)).toEqual([
      'under "web/dist/"',
      'under "src/vendor/"',
      '5000 changed lines, over the limit of 1000 per file'
    ])
  })
})

describe('validateGlobs', () => {
  it.each([['src/**/*.ts'], ['*.{js,ts}'], ['docs/file (1).md'], ['[!a]*.md'], ['[]x].md'], ['a\\[b'], ['!(foo)/**']])(
    'accepts %s',
    (pattern) => {
      expect(() => validateGlobs([pattern], 'include')).not.toThrow()
    }
  )

  it.each([
    ['src/[a', 'unbalanced "["'],
    ['src/{a,b', 'unbalanced "{"'],
    ['src/(a', 'unbalanced "("'],
    ['src/a}', 'unbalanced "}"'],
    ['{a,(b}', 'unbalanced "("'],
    ['   ', 'it is empty'],
    ['', 'it is empty'],
    ['x'.repeat(70_000), 'picomatch cannot compile it (Input length: 70000, exceeds maximum allowed length: 65536)']
  ])('rejects %j: %s', (pattern, problem) => {
    expect(() => validateGlobs(['ok/**', pattern], 'exclude')).toThrow(
      new ConfigError(
        `Input "exclude" has an invalid glob "${pattern}": ${problem}. Globs use picomatch syntax, e.g. "src/**/*.ts".`
      )
    )
  })

  it('throws a ConfigError', () => {
    expect(() => validateGlobs(['[z-a]'], 'include')).toThrow(ConfigError)
  })
})
