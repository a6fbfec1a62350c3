import { readFileSync } from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { parseHunks, parseUnifiedDiff } from '../../src/diff/parse.js'
import type { DiffFile, DiffHunk } from '../../src/types.js'

function readFixture(name: string): string {
  return readFileSync(path.join(process.cwd(), '__fixtures__', 'diffs', name), 'utf8')
}

/** One file in a line: what the pipeline decides with. */
function summarize(file: DiffFile): string {
  const previous = file.previousPath === undefined ? '' : ` from=${file.previousPath}`
  const hunks = file.hunks.length
  return `${file.status} ${file.path}${previous} binary=${file.binary} +${file.additions} -${file.deletions} hunks=${hunks}`
}

/** One hunk line per entry: kind, old number, new number, content. */
function describeLines(hunk: DiffHunk | undefined): string[] {
  return (hunk?.lines ?? []).map(
    (line) => `${line.kind} ${line.oldNumber ?? '-'} ${line.newNumber ?? '-'} ${line.content}`
  )
}

describe('parseUnifiedDiff on hand-written fixtures', () => {
  it.each([
    ['modify.diff', ['modified src/greet.ts binary=false +2 -2 hunks=1']],
    ['add.diff', ['added src/added.ts binary=false +2 -0 hunks=1', 'added empty.txt binary=false +0 -0 hunks=0']],
    ['delete.diff', ['deleted old/gone.txt binary=false +0 -2 hunks=1']],
    ['rename-only.diff', ['renamed docs/after.md from=docs/before.md binary=false +0 -0 hunks=0']],
    ['rename-edit.diff', ['renamed pkg/moved.py from=moved-and-edited.py binary=false +1 -1 hunks=1']],
    ['copy.diff', ['copied pkg/copy.py from=pkg/moved.py binary=false +1 -0 hunks=1']],
    [
      'binary.diff',
      [
        'modified assets/logo.png binary=true +0 -0 hunks=0',
        'added fonts/icons.woff binary=true +0 -0 hunks=0',
        'deleted release.zip binary=true +0 -0 hunks=0',
        'added data/icon.bin binary=true +0 -0 hunks=0'
      ]
    ],
    [
      'mode-change.diff',
      ['modified scripts/run.sh binary=false +0 -0 hunks=0', 'modified scripts/deploy.sh binary=false +1 -1 hunks=1']
    ],
    [
      'no-newline.diff',
      ['modified tail.txt binary=false +2 -1 hunks=1', 'modified head.txt binary=false +1 -1 hunks=1']
    ],
    [
      'spaces.diff',
      [
        'modified docs/my notes.txt binary=false +1 -1 hunks=1',
        'modified docs/a b/c.txt binary=false +0 -0 hunks=0',
        'renamed my dir/new name.txt from=my dir/old name.txt binary=false +0 -0 hunks=0'
      ]
    ],
    [
      'quoted.diff',
      [
        'modified café.txt binary=false +1 -0 hunks=1',
        'renamed naïve.txt from=café.txt binary=false +0 -0 hunks=0',
        'renamed tab\there "q".txt from=plain.txt binary=false +0 -0 hunks=0',
        'modified 🚀.bin binary=true +0 -0 hunks=0'
      ]
    ],
    ['multi-hunk.diff', ['modified src/multi.ts binary=false +3 -2 hunks=3']]
  ])('%s', (name, expected) => {
    expect(parseUnifiedDiff(readFixture(name)).map(summarize)).toEqual(expected)
  })

  it('numbers the lines of every hunk on both sides', () => {
    const [file] = parseUnifiedDiff(readFixture('multi-hunk.diff'))
    expect(file?.hunks.map((hunk) => hunk.header)).toEqual([
      '@@ -1,5 +1,5 @@',
      '@@ -13,3 +13,5 @@ const l = 12',
      '@@ -30,4 +32,3 @@ export function tail() {'
    ])
    expect(file?.hunks[1]).toMatchObject({ oldStart: 13, oldLines: 3, newStart: 13, newLines: 5 })
    expect(describeLines(file?.hunks[0])).toEqual([
      'context 1 1 const a = 1',
      'del 2 - const b = 2',
      'add - 2 const b = 20',
      'context 3 3 const c = 3',
      'context 4 4 const d = 4',
      'context 5 5 const e = 5'
    ])
    expect(describeLines(file?.hunks[2])).toEqual([
      'context 30 32   one()',
      'del 31 -   two()',
      'context 32 33   three()',
      'context 33 34 }'
    ])
  })

  it('numbers added files from line 1 and deleted files on the old side only', () => {
    const [added] = parseUnifiedDiff(readFixture('add.diff'))
    expect(describeLines(added?.hunks[0])).toEqual([
      'add - 1 export const brandNew = true',
      "add - 2 export const fileHere = 'yes'"
    ])
    const [deleted] = parseUnifiedDiff(readFixture('delete.diff'))
    expect(describeLines(deleted?.hunks[0])).toEqual(['del 1 - old line 1', 'del 2 - old line 2'])
  })

  it('drops "\\ No newline at end of file" markers on both sides', () => {
    const [tail, head] = parseUnifiedDiff(readFixture('no-newline.diff'))
    expect(describeLines(tail?.hunks[0])).toEqual([
      'context 1 1 keep',
      'del 2 - no newline before',
      'add - 2 no newline after',
      'add - 3 added line'
    ])
    expect(describeLines(head?.hunks[0])).toEqual([
      'del 1 - was newline-terminated',
      'add - 1 now ends without newline'
    ])
  })

  it('keeps the lines of a renamed, edited file with numbers from both names', () => {
    const [file] = parseUnifiedDiff(readFixture('rename-edit.diff'))
    expect(describeLines(file?.hunks[0]).slice(1, 4)).toEqual(['context 2 2 beta', 'del 3 - gamma', 'add - 3 GAMMA'])
  })

  it('reads a CRLF diff like the same diff with LF', () => {
    const lf = readFixture('multi-hunk.diff') + readFixture('add.diff') + readFixture('rename-only.diff')
    const crlf = lf.replace(/\n/g, '\r\n')
    expect(parseUnifiedDiff(crlf)).toEqual(parseUnifiedDiff(lf))
  })

  it('leaves the CR of CRLF content lines out of the content', () => {
    const diff =
      'diff --git a/win.txt b/win.txt\n--- a/win.txt\n+++ b/win.txt\n@@ -1,2 +1,2 @@\n line1\r\n-line2\r\n+line2 changed\r\n'
    const [file] = parseUnifiedDiff(diff)
    expect(describeLines(file?.hunks[0])).toEqual(['context 1 1 line1', 'del 2 - line2', 'add - 2 line2 changed'])
  })

  it('parses a concatenation of diffs as the concatenation of their files', () => {
    const names = [
      'modify.diff',
      'binary.diff',
      'spaces.diff',
      'quoted.diff',
      'no-newline.diff',
      'rename-only.diff',
      'copy.diff'
    ]
    const separately = names.flatMap((name) => parseUnifiedDiff(readFixture(name)))
    expect(parseUnifiedDiff(names.map(readFixture).join(''))).toEqual(separately)
  })

  it('treats content lines that look like headers as content', () => {
    const diff = [
      'diff --git a/notes.diff b/notes.diff',
      '--- a/notes.diff',
      '+++ b/notes.diff',
      '@@ -1,2 +1,3 @@',
      ' diff --git a/x b/x',
      '---- a/x',
      '++++ b/x',
      '+@@ -1 +1 @@',
      ''
    ].join('\n')
    const files = parseUnifiedDiff(diff)
    expect(files.map(summarize)).toEqual(['modified notes.diff binary=false +2 -1 hunks=1'])
    expect(describeLines(files[0]?.hunks[0])).toEqual([
      'context 1 1 diff --git a/x b/x',
      'del 2 - --- a/x',
      'add - 2 +++ b/x',
      'add - 3 @@ -1 +1 @@'
    ])
  })

  it('reads plain `diff -u` output without git headers', () => {
    const diff =
      '--- a/one.txt\t2024-01-01 10:00:00.000000000 +0000\n+++ b/one.txt\t2024-01-02 10:00:00.000000000 +0000\n@@ -1 +1 @@\n-x\n+y\n'
    expect(parseUnifiedDiff(diff).map(summarize)).toEqual(['modified one.txt binary=false +1 -1 hunks=1'])
  })

  it('reads added and deleted files of plain `diff -u` output from /dev/null', () => {
    const diff = '--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1 @@\n+n\n--- a/old.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-o\n'
    expect(parseUnifiedDiff(diff).map(summarize)).toEqual([
      'added new.txt binary=false +1 -0 hunks=1',
      'deleted old.txt binary=false +0 -1 hunks=1'
    ])
  })

  it('ignores a format-patch preamble before the first file', () => {
    const preamble = 'From 1234 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] change\n\n---\n src/greet.ts | 4 ++--\n\n'
    expect(parseUnifiedDiff(preamble + readFixture('modify.diff')).map(summarize)).toEqual([
      'modified src/greet.ts binary=false +2 -2 hunks=1'
    ])
  })
})

describe('parseUnifiedDiff on bad input', () => {
  it.each([
    ['empty', '', []],
    ['whitespace', '  \n\n', []],
    ['prose', 'hello\nworld\n', []],
    [
      'a marker right after a hunk header',
      'diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n\\ No newline at end of file\n',
      ['modified x binary=false +0 -0 hunks=0']
    ],
    ['a header without paths', 'diff --git \n@@ -1 +1 @@\n-a\n+b\n', []],
    [
      'a truncated hunk',
      'diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,5 +1,5 @@\n-a\n+b\n',
      ['modified x binary=false +1 -1 hunks=1']
    ]
  ])('returns what parses from %s', (_label, text, expected) => {
    expect(parseUnifiedDiff(text).map(summarize)).toEqual(expected)
  })

  it('never throws, and every file it returns has counts that match its lines', () => {
    const headerish = fc.constantFrom(
      ...['diff --git a/x b/x', 'diff --git "a/x', '--- a/x', '+++ b/x', '--- /dev/null', '+++ /dev/null'],
      ...['@@ -1,2 +1,2 @@', '@@ -0,0 +1 @@', '\\ No newline at end of file', 'rename from "a\\303', 'rename to "\\q"'],
      ...['Binary files a/x and b/x differ', 'GIT binary patch', 'new file mode 100644', '+', '-', ' ', '"', '\r']
    )
    const line = fc.oneof(headerish, fc.string({ maxLength: 12 }))
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), (lines) => {
        for (const file of parseUnifiedDiff(lines.join('\n'))) {
          const added = file.hunks.flatMap((hunk) => hunk.lines).filter((l) => l.kind === 'add').length
          const deleted = file.hunks.flatMap((hunk) => hunk.lines).filter((l) => l.kind === 'del').length
          expect([file.additions, file.deletions]).toEqual([added, deleted])
        }
      }),
      { numRuns: 300 }
    )
  })
})

describe('parseHunks', () => {
  it('reads a patch that has hunks and no file headers', () => {
    const hunks = parseHunks('@@ -1,2 +1,2 @@ intro\n a\n-b\n+c\n@@ -10 +10,2 @@\n x\n+y\n\\ No newline at end of file')
    expect(hunks.map((hunk) => hunk.header)).toEqual(['@@ -1,2 +1,2 @@ intro', '@@ -10 +10,2 @@'])
    expect(describeLines(hunks[1])).toEqual(['context 10 10 x', 'add - 11 y'])
  })
})
