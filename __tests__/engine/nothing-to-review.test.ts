import { describeNothingToReview } from '../../src/engine/nothing-to-review.js'
import { prepareReview } from '../../src/engine/prepare.js'
import type { PullDiffSource } from '../../src/types.js'

const OPTIONS = { include: [], exclude: [], maxChunkTokens: 12_000, maxFiles: 3_000, maxFileChangedLines: 5_000 }
const LOCKFILE =
  'diff --git a/yarn.lock b/yarn.lock\nindex 1..2 100644\n--- a/yarn.lock\n+++ b/yarn.lock\n@@ -1 +1 @@\n-a\n+b\n'
const CODE =
  'diff --git a/src/a.ts b/src/a.ts\nindex 1..2 100644\n--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1 +1 @@\n-a\n+b\n'

function describe_(source: PullDiffSource): string | undefined {
  return describeNothingToReview(source, prepareReview(source, OPTIONS))
}

describe('describeNothingToReview', () => {
  it.each<[string, PullDiffSource, RegExp | undefined]>([
    ['an empty diff', { kind: 'unified', text: '' }, /^Nothing to review: the diff of this pull request is empty\.$/],
    ['a diff of blanks', { kind: 'unified', text: '\n \n' }, /the diff of this pull request is empty/],
    [
      'text that is not a diff',
      { kind: 'unified', text: 'Service Unavailable' },
      /GitHub's diff \(19 characters\) could not be read/
    ],
    [
      'one skipped file',
      { kind: 'unified', text: LOCKFILE },
      /^Nothing to review: the only changed file was skipped for the reason listed below; no model request was made\.$/
    ],
    [
      'only skipped files',
      { kind: 'unified', text: LOCKFILE + LOCKFILE.replace(/yarn/g, 'sub/yarn') },
      /^Nothing to review: all 2 changed files were skipped for the reasons listed below/
    ],
    [
      'an empty file listing',
      { kind: 'files', files: [], fallbackReason: 'too large', truncated: false },
      /GitHub listed no changed files/
    ],
    ['a reviewable change', { kind: 'unified', text: LOCKFILE + CODE }, undefined]
  ])('%s', (_name, source, expected) => {
    const note = describe_(source)
    if (expected === undefined) expect(note).toBeUndefined()
    else expect(note).toMatch(expected)
  })
})
