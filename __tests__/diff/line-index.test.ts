import { readFileSync } from 'node:fs'
import path from 'node:path'
import { buildLineIndex, hunkIndexOf, isCommentable } from '../../src/diff/line-index.js'
import { parseUnifiedDiff } from '../../src/diff/parse.js'

function indexFixture(...names: string[]): ReturnType<typeof buildLineIndex> {
  const text = names
    .map((name) => readFileSync(path.join(process.cwd(), '__fixtures__', 'diffs', name), 'utf8'))
    .join('')
  return buildLineIndex(parseUnifiedDiff(text))
}

describe('buildLineIndex', () => {
  const index = indexFixture('multi-hunk.diff', 'delete.diff', 'rename-only.diff')

  it('maps RIGHT lines (added + context, new numbers) to their hunk', () => {
    expect([...(index.get('src/multi.ts')?.right ?? [])]).toEqual([
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 0],
      [5, 0],
      [13, 1],
      [14, 1],
      [15, 1],
      [16, 1],
      [17, 1],
      [32, 2],
      [33, 2],
      [34, 2]
    ])
  })

  it('maps LEFT lines (deleted + context, old numbers) to their hunk', () => {
    expect([...(index.get('src/multi.ts')?.left ?? [])]).toEqual([
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 0],
      [5, 0],
      [13, 1],
      [14, 1],
      [15, 1],
      [30, 2],
      [31, 2],
      [32, 2],
      [33, 2]
    ])
  })

  it('gives a deleted file LEFT lines only and a pure rename none', () => {
    expect(index.get('old/gone.txt')?.right.size).toBe(0)
    expect([...(index.get('old/gone.txt')?.left.keys() ?? [])]).toEqual([1, 2])
    expect(index.get('docs/after.md')).toEqual({ right: new Map(), left: new Map() })
  })

  it.each([
    ['src/multi.ts', 2, true, 0],
    ['src/multi.ts', 6, false, undefined],
    ['src/multi.ts', 17, true, 1],
    ['src/multi.ts', 31, false, undefined],
    ['src/multi.ts', 34, true, 2],
    ['old/gone.txt', 1, false, undefined],
    ['docs/before.md', 1, false, undefined],
    ['not/in/diff.ts', 1, false, undefined]
  ])('%s line %i: commentable=%s hunk=%s', (file, line, commentable, hunk) => {
    expect(isCommentable(index, file, line)).toBe(commentable)
    expect(hunkIndexOf(index, file, line)).toBe(hunk)
  })
})
