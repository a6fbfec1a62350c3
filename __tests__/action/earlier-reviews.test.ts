import { focusReview } from '../../src/action/earlier-reviews.js'
import { placementLineIndex } from '../../src/engine/review-input.js'
import { prepareReview } from '../../src/engine/prepare.js'
import { addCommit, createCommitGraph, diffTrees, requireCommit } from '../../__fixtures__/servers/fake-git.js'

const lines = (prefix: string, count: number): string =>
  Array.from({ length: count }, (_, index) => `${prefix} ${index + 1}`).join('\n') + '\n'

/** Base → PR head (edits a.ts line 3) → new head (edits a.ts line 20, merges a base-only change to b.ts). */
function history() {
  const graph = createCommitGraph()
  const base = addCommit(graph, { parents: [], changes: { 'a.ts': lines('a', 30), 'b.ts': lines('b', 5) } })
  const reviewed = addCommit(graph, {
    parents: [base],
    changes: { 'a.ts': lines('a', 30).replace('a 3\n', 'a 3 changed\n') }
  })
  const baseMoved = addCommit(graph, {
    parents: [base],
    changes: { 'b.ts': lines('b', 5).replace('b 2\n', 'b 2 upstream\n') }
  })
  const head = addCommit(graph, {
    parents: [reviewed, baseMoved],
    changes: {
      'a.ts': requireCommit(graph, reviewed).files['a.ts']!.replace('a 20\n', 'a 20 changed\n'),
      'b.ts': requireCommit(graph, baseMoved).files['b.ts']!
    }
  })
  const files = (sha: string) => requireCommit(graph, sha).files
  return {
    pull: { kind: 'unified' as const, text: diffTrees(files(baseMoved), files(head)) },
    since: { kind: 'unified' as const, text: diffTrees(files(reviewed), files(head)) }
  }
}

const OPTIONS = { include: [], exclude: [], maxChunkTokens: 4_000, maxFiles: 3_000, maxFileChangedLines: 5_000 }

describe('focusReview', () => {
  it('reviews the PR diff as it is for a full review', () => {
    const { pull } = history()
    expect(focusReview({ kind: 'full', reason: 'first-review' }, pull)).toEqual({ source: pull, outsidePull: 0 })
  })

  it('reviews the changes since the last head, only in files the PR changes', () => {
    const { pull, since } = history()
    const focus = focusReview({ kind: 'incremental', from: 'a'.repeat(40), commits: 2, diff: since }, pull)
    expect(focus.source).toBe(since)
    expect([...(focus.onlyPaths ?? [])]).toEqual(['a.ts'])
    expect(focus.outsidePull).toBe(1)
    const prepared = prepareReview(focus.source, {
      ...OPTIONS,
      ...(focus.onlyPaths ? { onlyPaths: focus.onlyPaths } : {})
    })
    expect(prepared.files.map((file) => file.path)).toEqual(['a.ts'])
    expect(prepared.plan.chunks[0]?.text).toContain('a 20 changed')
    expect(prepared.plan.chunks[0]?.text).not.toContain('a 3 changed')
  })
})

describe('placementLineIndex', () => {
  it('keeps only lines the model saw that GitHub accepts on the PR diff, with the PR diff hunk numbers', () => {
    const { pull, since } = history()
    const focus = focusReview({ kind: 'incremental', from: 'a'.repeat(40), commits: 2, diff: since }, pull)
    const prepared = prepareReview(focus.source, {
      ...OPTIONS,
      ...(focus.onlyPaths ? { onlyPaths: focus.onlyPaths } : {})
    })
    const index = placementLineIndex(focus, prepared.lineIndex)
    const right = index.get('a.ts')?.right
    // The compare diff shows lines 17–23 around line 20; the PR diff has hunks around 3 (0) and 20 (1).
    expect([...(right?.keys() ?? [])].sort((a, b) => a - b)).toEqual([17, 18, 19, 20, 21, 22, 23])
    expect(right?.get(20)).toBe(1)
    expect(index.get('a.ts')?.left.size).toBe(0)
    expect(index.has('b.ts')).toBe(false)
  })

  it('is the reviewed index itself for a full review', () => {
    const { pull } = history()
    const focus = focusReview({ kind: 'full', reason: 'forced' }, pull)
    const prepared = prepareReview(focus.source, OPTIONS)
    expect(placementLineIndex(focus, prepared.lineIndex)).toBe(prepared.lineIndex)
  })
})
