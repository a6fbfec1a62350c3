/** The fake GitHub's tiny git must produce diffs GitHub could have produced, or the tests built on it prove nothing. */
import fc from 'fast-check'
import { parseUnifiedDiff } from '../../src/diff/parse.js'
import { addCommit, createCommitGraph, diffTrees, mapLine, mergeBaseOf } from '../../__fixtures__/servers/fake-git.js'

/** Applies the hunks of a one-file diff to `before`, checking every context and deleted line on the way. */
function applyDiff(before: string, diff: string): string {
  const old = before === '' ? [] : before.replace(/\n$/, '').split('\n')
  const out: string[] = []
  let next = 0
  const rows = diff.split('\n')
  for (let index = 0; index < rows.length; index++) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(rows[index] ?? '')
    if (header === null) continue
    const oldStart = Number(header[1])
    const start = Number(header[2] ?? '1') === 0 ? oldStart : oldStart - 1
    out.push(...old.slice(next, start))
    next = start
    for (index++; index < rows.length && /^[ +-]/.test(rows[index] ?? ''); index++) {
      const row = rows[index] ?? ''
      if (row.startsWith('+')) out.push(row.slice(1))
      else {
        if (old[next] !== row.slice(1)) throw new Error(`mismatch at old line ${next + 1}`)
        if (row.startsWith(' ')) out.push(row.slice(1))
        next++
      }
    }
    index--
  }
  out.push(...old.slice(next))
  return out.length === 0 ? '' : `${out.join('\n')}\n`
}

describe('diffTrees', () => {
  it('writes a git-style diff with three lines of context', () => {
    const diff = diffTrees({ 'x.ts': 'a\nb\nc\nd\ne\nf\ng\nh\n' }, { 'x.ts': 'a\nb\nc\nd\nE\nf\ng\nh\n' }).split('\n')
    expect(diff[1]).toMatch(/^index [0-9a-f]{7}\.\.[0-9a-f]{7} 100644$/)
    expect([diff[0], ...diff.slice(2)]).toEqual([
      'diff --git a/x.ts b/x.ts',
      '--- a/x.ts',
      '+++ b/x.ts',
      '@@ -2,7 +2,7 @@',
      ...[' b', ' c', ' d', '-e', '+E', ' f', ' g', ' h'],
      ''
    ])
  })

  it('marks added and deleted files', () => {
    const diff = diffTrees({ 'old.ts': 'x\n' }, { 'new.ts': 'y\n' })
    const files = parseUnifiedDiff(diff)
    expect(files.map((file) => [file.path, file.status])).toEqual([
      ['new.ts', 'added'],
      ['old.ts', 'deleted']
    ])
  })

  it('turns any text into any other text, as our parser reads it', () => {
    const text = fc
      .array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 30 })
      .map((lines) => (lines.length === 0 ? '' : `${lines.join('\n')}\n`))
    fc.assert(
      fc.property(text, text, (before, after) => {
        fc.pre(before !== after && before !== '' && after !== '')
        const diff = diffTrees({ 'f.txt': before }, { 'f.txt': after })
        expect(applyDiff(before, diff)).toBe(after)
        const [file] = parseUnifiedDiff(diff)
        const added = file?.hunks.flatMap((hunk) => hunk.lines.filter((line) => line.kind === 'add')) ?? []
        expect(added.every((line) => after.split('\n')[(line.newNumber ?? 0) - 1] === line.content)).toBe(true)
      }),
      { numRuns: 200 }
    )
  })
})

describe('history', () => {
  it('finds the merge base and carries unchanged lines to a new version', () => {
    const graph = createCommitGraph()
    const base = addCommit(graph, { parents: [], changes: { 'a.ts': '1\n2\n3\n' } })
    const left = addCommit(graph, { parents: [base], changes: { 'a.ts': '0\n1\n2\n3\n' } })
    const right = addCommit(graph, { parents: [base], changes: { 'b.ts': 'x\n' } })
    const orphan = addCommit(graph, { parents: [], changes: {} })
    expect(mergeBaseOf(graph, left, right)).toBe(base)
    expect(mergeBaseOf(graph, left, orphan)).toBeUndefined()
    expect(mapLine('1\n2\n3\n', '0\n1\n2\n3\n', 2)).toBe(3)
    expect(mapLine('1\n2\n3\n', '1\nTWO\n3\n', 2)).toBeUndefined()
  })
})
