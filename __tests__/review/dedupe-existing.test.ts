import { dropAlreadyPosted, NEARBY_LINES, type PostedFinding } from '../../src/review/dedupe-existing.js'
import { fingerprintFinding } from '../../src/review/fingerprint.js'
import type { LineIndex } from '../../src/diff/line-index.js'
import type { ModelFinding } from '../../src/types.js'

const INDEX: LineIndex = new Map([
  [
    'src/app.ts',
    {
      right: new Map([
        [10, 0],
        [11, 0],
        [40, 1]
      ]),
      left: new Map()
    }
  ]
])
const REVIEWED = new Set(['src/app.ts'])

function finding(overrides: Partial<ModelFinding> = {}): ModelFinding {
  return {
    path: 'src/app.ts',
    line: 10,
    startLine: null,
    severity: 'high',
    category: 'bug',
    title: 'Token is logged',
    body: 'It leaks.',
    replacement: null,
    chunkId: 1,
    ...overrides
  }
}

function posted(overrides: Partial<PostedFinding> = {}): PostedFinding {
  return {
    commentId: 1,
    path: 'src/app.ts',
    line: 10,
    startLine: null,
    originalLine: 10,
    originalStartLine: null,
    fingerprint: fingerprintFinding(finding()),
    severity: 'high',
    authorLogin: 'github-actions[bot]',
    authorIsBot: true,
    ...overrides
  }
}

function isDropped(candidate: ModelFinding, existing: PostedFinding, trustedLogins?: Set<string>): boolean {
  const result = dropAlreadyPosted([candidate], {
    posted: [existing],
    lineIndex: INDEX,
    reviewedPaths: REVIEWED,
    ...(trustedLogins === undefined ? {} : { trustedLogins })
  })
  expect(result.kept.length + result.alreadyPosted.length).toBe(1)
  return result.alreadyPosted.length === 1
}

describe('dropAlreadyPosted', () => {
  it.each<[string, Partial<ModelFinding>, Partial<PostedFinding>, boolean]>([
    ['same path, line and fingerprint', {}, {}, true],
    ['a reworded body (the fingerprint ignores it)', { body: 'Different words.' }, {}, true],
    ['a title differing only in case and spaces', { title: '  token IS   logged ' }, {}, true],
    ['a line a few lines away', { line: 10 + NEARBY_LINES }, {}, true],
    ['a line further away', { line: 11 + NEARBY_LINES }, {}, false],
    ['a range overlapping a multi-line comment', { line: 20, startLine: 14 }, { line: 12, startLine: 8 }, true],
    ['another title', { title: 'Token is not validated' }, {}, false],
    ['another file', { path: 'src/other.ts' }, {}, false],
    ['an outdated comment on the same lines', {}, { line: null, originalLine: 10 }, true],
    ['an outdated comment written elsewhere', {}, { line: null, originalLine: 40 }, false],
    ['a comment that moved with its code', { line: 40 }, { line: 40, originalLine: 10 }, true],
    ['a comment without any line (legacy position only)', {}, { line: null, originalLine: null }, false],
    ['a path cited with a ./ prefix', { path: './src/app.ts' }, {}, true]
  ])('%s', (_name, candidate, existing, dropped) => {
    expect(isDropped(finding(candidate), posted(existing))).toBe(dropped)
  })

  it('ignores markers in comments by people, even when copied exactly', () => {
    expect(isDropped(finding(), posted({ authorLogin: 'pr-author', authorIsBot: false }))).toBe(false)
  })

  it('trusts the login that wrote the verified summary (a personal token posts as a user)', () => {
    const byUser = posted({ authorLogin: 'review-bot-user', authorIsBot: false })
    expect(isDropped(finding(), byUser, new Set(['review-bot-user']))).toBe(true)
  })

  it('keeps the order of the findings it keeps', () => {
    const findings = [finding({ title: 'A' }), finding(), finding({ title: 'B' })]
    const result = dropAlreadyPosted(findings, { posted: [posted()], lineIndex: INDEX, reviewedPaths: REVIEWED })
    expect(result.kept.map((kept) => kept.title)).toEqual(['A', 'B'])
    expect(result.alreadyPosted).toEqual([findings[1]])
  })
})
