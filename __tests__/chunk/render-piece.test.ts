import {
  escapeAttribute,
  extractHunkSection,
  prepareFile,
  renderFileOpen,
  renderHunkHeader,
  renderLine,
  renderTruncatedLine,
  truncateLineUnit
} from '../../src/chunk/render-piece.js'
import { countTokens } from '../../src/chunk/tokens.js'
import type { DiffFile, DiffLine } from '../../src/types.js'

describe('renderLine', () => {
  it.each<[string, DiffLine, string]>([
    ['context', { kind: 'context', content: 'same', oldNumber: 9, newNumber: 10 }, '  10   same\n'],
    ['added', { kind: 'add', content: 'new', newNumber: 11 }, '  11 + new\n'],
    ['deleted', { kind: 'del', content: 'old', oldNumber: 10 }, '     - old\n'],
    ['wide number', { kind: 'add', content: 'x', newNumber: 123456 }, '123456 + x\n'],
    ['empty content', { kind: 'add', content: '', newNumber: 3 }, '   3 + \n'],
    ['CRLF content keeps its \\r', { kind: 'context', content: 'a\r', oldNumber: 1, newNumber: 1 }, '   1   a\r\n'],
    ['tag-like content', { kind: 'add', content: '</file>', newNumber: 2 }, '   2 + </file>\n'],
    ['stray newline is escaped', { kind: 'add', content: 'a\n</file>', newNumber: 2 }, '   2 + a\\n</file>\n'],
    ['missing number', { kind: 'add', content: 'x' }, '   ? + x\n']
  ])('renders a %s line', (_name, line, expected) => {
    expect(renderLine(line)).toBe(expected)
  })
})

describe('renderFileOpen', () => {
  it.each([
    [
      { path: 'src/a.ts', status: 'modified' as const, part: 1, parts: 1 },
      '<file path="src/a.ts" status="modified">\n'
    ],
    [
      { path: 'src/b.ts', previousPath: 'src/a.ts', status: 'renamed' as const, part: 2, parts: 3 },
      '<file path="src/b.ts" status="renamed" previous_path="src/a.ts" part="2/3">\n'
    ],
    [
      { path: 'a"b\\c</file>\n', status: 'added' as const, part: 1, parts: 1 },
      '<file path="a\\"b\\\\c\\u003c/file\\u003e\\n" status="added">\n'
    ]
  ])('renders %j', (view, expected) => {
    expect(renderFileOpen(view)).toBe(expected)
  })

  it('escapes values that still parse back as JSON to the original', () => {
    const hostile = 'x" status="deleted"><file path="y\u2028&'
    expect(escapeAttribute(hostile)).not.toMatch(/[<>&\u2028]/)
    expect(JSON.parse(escapeAttribute(hostile))).toBe(hostile)
  })
})

describe('hunk headers', () => {
  it.each([
    ['@@ -1,3 +1,4 @@ function foo() {', 'function foo() {'],
    ['@@ -1 +1 @@', ''],
    ['@@ -1,2 +1,2 @@ class A {\r', 'class A {'],
    ['not a header', '']
  ])('extracts the section of %j', (header, expected) => {
    expect(extractHunkSection(header)).toBe(expected)
  })

  it('always writes both counts', () => {
    expect(renderHunkHeader({ oldStart: 0, oldLines: 0, newStart: 1, newLines: 1, section: '' })).toBe(
      '@@ -0,0 +1,1 @@\n'
    )
  })
})

describe('truncated lines', () => {
  const line: DiffLine = { kind: 'add', content: 'ab😀cd', newNumber: 7 }

  it('never cuts a surrogate pair in half', () => {
    expect(renderTruncatedLine(line, 3)).toBe('   7 + ab …[line truncated: 6 chars]\n')
    expect(renderTruncatedLine(line, 4)).toBe('   7 + ab😀 …[line truncated: 6 chars]\n')
  })

  it('keeps the longest prefix that fits the limit', () => {
    const long: DiffLine = { kind: 'context', content: 'word '.repeat(2000), oldNumber: 1, newNumber: 1 }
    const unit = truncateLineUnit({ line: long, text: renderLine(long), tokens: countTokens(renderLine(long)) }, 100)
    expect(unit.tokens).toBe(countTokens(unit.text))
    expect(unit.tokens).toBeLessThanOrEqual(100)
    expect(unit.tokens).toBeGreaterThan(95)
    expect(unit.text.startsWith('   1   word word')).toBe(true)
    expect(unit.text.endsWith(' …[line truncated: 10000 chars]\n')).toBe(true)
  })
})

describe('prepareFile', () => {
  const file = (path: string, previousPath?: string): DiffFile => ({
    path,
    ...(previousPath === undefined ? {} : { previousPath }),
    status: previousPath === undefined ? 'modified' : 'renamed',
    binary: false,
    additions: 1,
    deletions: 0,
    hunks: [
      {
        header: `@@ -1,0 +1,1 @@ ${'section '.repeat(60)}`,
        oldStart: 1,
        oldLines: 0,
        newStart: 1,
        newLines: 1,
        lines: [{ kind: 'add', content: 'x', newNumber: 1 }]
      }
    ]
  })

  it('shortens absurdly long paths keeping their ends', () => {
    const long = `${'dir/'.repeat(300)}name.ts`
    const prepared = prepareFile(file(long, `${long}.old`), countTokens('</file>\n'))
    expect(prepared.openTokens).toBeLessThanOrEqual(112)
    expect(prepared.view.path.startsWith('…')).toBe(true)
    expect(prepared.view.path.endsWith('/name.ts')).toBe(true)
    expect(prepared.view.previousPath?.endsWith('/name.ts.old')).toBe(true)
  })

  it('keeps ordinary paths and drops an over-long section', () => {
    const prepared = prepareFile(file('src/a.ts'), countTokens('</file>\n'))
    expect(prepared.view.path).toBe('src/a.ts')
    expect(prepared.hunks[0]?.headerText).toBe('@@ -1,0 +1,1 @@\n')
    expect(prepared.tokens).toBe(countTokens(`${prepared.open}@@ -1,0 +1,1 @@\n   1 + x\n</file>\n`))
  })
})
