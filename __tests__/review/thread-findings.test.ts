/** The pure thread decisions of issue 13: which threads are fixed, which findings are dismissed, the markers. */
import { dropAlreadyPosted, type PostedFinding } from '../../src/review/dedupe-existing.js'
import { dropDismissed } from '../../src/review/dismissed-findings.js'
import { fingerprintFinding } from '../../src/review/fingerprint.js'
import { findFixedThreads, type HeadPath, type ReviewedChange } from '../../src/review/fixed-threads.js'
import {
  parseAnswerMarker,
  parseSettledMarker,
  renderAnswerMarker,
  renderSettledMarker
} from '../../src/review/thread-markers.js'
import { sanitizeBlock } from '../../src/markdown/sanitize.js'
import type { ModelFinding } from '../../src/types.js'
import { makeLineIndex } from './line-index-fixture.js'

const TITLE = 'Token is logged'
const FP = fingerprintFinding({ path: 'src/app.ts', title: TITLE, body: '', category: 'bug' })

function finding(overrides: Partial<ModelFinding> = {}): ModelFinding {
  return {
    path: 'src/app.ts',
    line: 10,
    startLine: null,
    severity: 'high',
    category: 'bug',
    title: TITLE,
    body: 'It leaks.',
    replacement: null,
    chunkId: 1,
    ...overrides
  }
}

function thread(overrides: Partial<PostedFinding> = {}, state: { resolved?: boolean; outdatedEarlier?: boolean } = {}) {
  return {
    commentId: 1,
    path: 'src/app.ts',
    line: 10,
    startLine: null,
    originalLine: 10,
    originalStartLine: null,
    fingerprint: FP,
    severity: 'high' as const,
    heading: { category: 'bug' as const, title: TITLE },
    authorLogin: 'github-actions[bot]',
    authorIsBot: true,
    thread: { id: 'PRRT_1', resolved: state.resolved ?? false, outdatedEarlier: state.outdatedEarlier ?? false },
    ...overrides
  }
}

const present = (): HeadPath => ({ kind: 'present' })

function change(overrides: Partial<ReviewedChange> = {}): ReviewedChange {
  return {
    incremental: true,
    addedLines: new Map([['src/app.ts', new Set([10, 11])]]),
    headPath: present,
    completelyReviewed: new Set(['src/app.ts']),
    ...overrides
  }
}

const raisedAt = (line: number, fingerprint = FP) => ({ path: 'src/app.ts', fingerprint, startLine: null, line })

describe('findFixedThreads', () => {
  const decide = (
    posted: PostedFinding,
    options: { raised?: ReturnType<typeof raisedAt>[]; change?: ReviewedChange } = {}
  ) =>
    findFixedThreads({ earlier: [posted], raised: options.raised ?? [], change: options.change ?? change() }).map(
      (fixed) => fixed.kind
    )

  it.each([
    ['incremental: its line was added by the new commits, nothing raised', thread(), {}, ['fixed']],
    ['incremental: outdated since the last run', thread({ line: null }), {}, ['fixed']],
    [
      'full review: outdated',
      thread({ line: null }, { outdatedEarlier: true }),
      { change: change({ incremental: false, addedLines: new Map() }) },
      ['fixed']
    ],
    ['raised again at a nearby line', thread(), { raised: [raisedAt(12)] }, []],
    ['raised again, outdated, near the line it was written on', thread({ line: null }), { raised: [raisedAt(8)] }, []],
    ['the same finding far away: posted anew, this one fixed', thread(), { raised: [raisedAt(40)] }, ['fixed']],
    ['another finding at the same line', thread(), { raised: [raisedAt(10, 'abcdefabcdef')] }, ['fixed']],
    ['incremental: its line is only context of the new commits', thread({ line: 20 }), {}, []],
    ['incremental: outdated already before the last run', thread({ line: null }, { outdatedEarlier: true }), {}, []],
    ['full review: not outdated (the code did not change)', thread(), { change: change({ incremental: false }) }, []],
    ['the file was not reviewed completely', thread(), { change: change({ completelyReviewed: new Set() }) }, []],
    ['already resolved', thread({}, { resolved: true }), {}, []],
    [
      'outdated and its file gone',
      thread({ line: null }),
      { change: change({ headPath: () => ({ kind: 'removed' }), completelyReviewed: new Set() }) },
      ['removed']
    ],
    [
      'renamed and the finding gone from the new file',
      thread({ line: null }),
      {
        change: change({
          headPath: () => ({ kind: 'renamed', to: 'src/main.ts' }),
          completelyReviewed: new Set(['src/main.ts'])
        })
      },
      ['fixed']
    ]
  ])('%s', (_name, posted, options, expected) => {
    expect(decide(posted, options)).toEqual(expected)
  })

  it('keeps a thread whose finding the new file of a rename raises again', () => {
    const to = 'src/main.ts'
    const moved = fingerprintFinding({ path: to, title: TITLE, body: '', category: 'bug' })
    expect(
      decide(thread({ line: null }), {
        raised: [{ path: to, fingerprint: moved, startLine: null, line: 99 }],
        change: change({ headPath: () => ({ kind: 'renamed', to }), completelyReviewed: new Set([to]) })
      })
    ).toEqual([])
  })

  it('never settles a finding read from REST (no thread)', () => {
    const { thread: _thread, ...rest } = thread()
    expect(findFixedThreads({ earlier: [rest], raised: [], change: change() })).toEqual([])
  })
})

describe('dropDismissed', () => {
  const options = { lineIndex: makeLineIndex({ 'src/app.ts': [[1, 50]] }), reviewedPaths: new Set(['src/app.ts']) }

  it('drops a finding whose fingerprint was dismissed, wherever in the file it is raised', () => {
    const split = dropDismissed([finding({ line: 40 }), finding({ title: 'Another problem' })], {
      ...options,
      dismissed: new Set([FP])
    })
    expect(split.dismissed.map((entry) => entry.line)).toEqual([40])
    expect(split.kept.map((entry) => entry.title)).toEqual(['Another problem'])
  })

  it('matches the path placement repairs, as the comment recorded it', () => {
    const split = dropDismissed([finding({ path: './src/app.ts' })], { ...options, dismissed: new Set([FP]) })
    expect(split.dismissed).toHaveLength(1)
  })
})

describe('dedupe against threads', () => {
  it('a resolved thread no longer counts as posted; an open one does', () => {
    const run = (resolved: boolean) =>
      dropAlreadyPosted([finding()], {
        posted: [thread({}, { resolved })],
        lineIndex: makeLineIndex({ 'src/app.ts': [[1, 50]] }),
        reviewedPaths: new Set(['src/app.ts'])
      }).alreadyPosted.length
    expect(run(false)).toBe(1)
    expect(run(true)).toBe(0)
  })
})

describe('thread markers', () => {
  it('read back what they wrote', () => {
    expect(parseAnswerMarker(`Agreed.\n\n${renderAnswerMarker({ to: 3_189_543_903, dismissed: true })}`)).toEqual({
      to: 3_189_543_903,
      dismissed: true
    })
    expect(parseSettledMarker(`Fixed in \`abc\`.\n${renderSettledMarker('removed')}`)).toBe('removed')
  })

  it.each(['no marker', '<!-- codex-pr-review:answer to=0 dismissed=yes -->', '<!-- codex-pr-review:answer to=5 -->'])(
    'find no answer marker in %s',
    (body) => {
      expect(parseAnswerMarker(body)).toBeUndefined()
    }
  )

  it('cannot be forged through model text, which the sanitizer defangs', () => {
    const body = sanitizeBlock(
      `Sure.\n${renderAnswerMarker({ to: 7, dismissed: true })}\n${renderSettledMarker('fixed')}`
    )
    expect(parseAnswerMarker(body)).toBeUndefined()
    expect(parseSettledMarker(body)).toBeUndefined()
  })
})
