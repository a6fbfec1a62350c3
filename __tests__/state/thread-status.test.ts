/** What each thread of ours stands for, and the dismissed list the state keeps (issue 13). Table-driven, pure. */
import { MAX_DISMISSED, type DismissedFinding } from '../../src/state/review-state.js'
import {
  boundDismissed,
  countStatuses,
  dismissedFingerprints,
  triageThreads,
  type ThreadFacts
} from '../../src/state/thread-status.js'

const FP = 'abcdef012345'
const open = (overrides: Partial<ThreadFacts> = {}): ThreadFacts => ({
  root: 11,
  fingerprint: FP,
  isResolved: false,
  isOutdated: false,
  resolvedByPerson: false,
  dismissedInReply: false,
  trustedThumbsDown: false,
  ...overrides
})
const resolvedByPerson = (overrides: Partial<ThreadFacts> = {}) =>
  open({ isResolved: true, resolvedByPerson: true, ...overrides })
const resolvedByUs = (overrides: Partial<ThreadFacts> = {}) => open({ isResolved: true, ...overrides })
const entry = (overrides: Partial<DismissedFinding> = {}): DismissedFinding => ({
  fingerprint: FP,
  thread: 11,
  reason: 'resolved',
  resolved: true,
  ...overrides
})

describe('triageThreads', () => {
  it.each<[string, ThreadFacts, DismissedFinding[], string, DismissedFinding[], number[]]>([
    ['an open thread stands', open(), [], 'open', [], []],
    ['a person resolved it unchanged: dismissed', resolvedByPerson(), [], 'dismissed', [entry()], []],
    [
      'a person resolved it after the code changed: resolved, not dismissed',
      resolvedByPerson({ isOutdated: true }),
      [],
      'resolved',
      [],
      []
    ],
    ['we resolved it as fixed', resolvedByUs({ settled: 'fixed' }), [], 'fixed', [], []],
    ['we resolved it as removed', resolvedByUs({ settled: 'removed' }), [], 'fixed', [], []],
    [
      'an accepted dismissal in a reply, thread resolved by our answer',
      resolvedByUs({ dismissedInReply: true }),
      [],
      'dismissed',
      [entry({ reason: 'reply' })],
      []
    ],
    [
      'an accepted dismissal in a reply, thread still open: resolve it',
      open({ dismissedInReply: true }),
      [],
      'dismissed',
      [entry({ reason: 'reply', resolved: false })],
      [11]
    ],
    [
      'a trusted 👎 on an open thread: resolve it',
      open({ trustedThumbsDown: true }),
      [],
      'dismissed',
      [entry({ reason: 'thumbs-down', resolved: false })],
      [11]
    ],
    ['a remembered dismissal, thread still resolved', resolvedByPerson(), [entry()], 'dismissed', [entry()], []],
    [
      'a remembered dismissal whose resolve failed last time: try again',
      open({ trustedThumbsDown: true }),
      [entry({ reason: 'thumbs-down', resolved: false })],
      'dismissed',
      [entry({ reason: 'thumbs-down', resolved: false })],
      [11]
    ],
    [
      'a person reopened a dismissed thread: undone',
      open({ dismissedInReply: true }),
      [entry({ reason: 'reply' })],
      'open',
      [entry({ reason: 'reply', resolved: false, undone: true })],
      []
    ],
    [
      'undone stays undone: the old reply or 👎 does not dismiss it again',
      open({ dismissedInReply: true, trustedThumbsDown: true }),
      [entry({ resolved: false, undone: true })],
      'open',
      [entry({ resolved: false, undone: true })],
      []
    ],
    [
      'resolving it again after an undo is a fresh dismissal',
      resolvedByPerson(),
      [entry({ reason: 'thumbs-down', resolved: false, undone: true })],
      'dismissed',
      [entry()],
      []
    ]
  ])('%s', (_name, facts, previous, status, dismissed, toResolve) => {
    const triage = triageThreads({ threads: [facts], previous })
    expect(triage.status.get(facts.root)).toBe(status)
    expect(triage.dismissed).toEqual(dismissed)
    expect(triage.toResolve.map((entry) => entry.root)).toEqual(toResolve)
  })

  it('reports the threads whose dismissal was undone', () => {
    expect(triageThreads({ threads: [open()], previous: [entry()] }).undone).toEqual([11])
  })

  it('keeps the entries of threads it does not see (deleted, or another identity’s)', () => {
    const gone = entry({ thread: 99, fingerprint: '999999999999' })
    const triage = triageThreads({ threads: [open()], previous: [gone] })
    expect(triage.dismissed).toEqual([gone])
    expect(dismissedFingerprints(triage.dismissed)).toEqual(new Set(['999999999999']))
  })

  it('only active dismissals count as dismissed fingerprints', () => {
    expect(dismissedFingerprints([entry(), entry({ thread: 2, fingerprint: '222222222222', undone: true })])).toEqual(
      new Set([FP])
    )
  })

  it('counts the statuses', () => {
    const triage = triageThreads({
      threads: [
        open({ root: 1 }),
        open({ root: 2 }),
        resolvedByPerson({ root: 3 }),
        resolvedByUs({ root: 4, settled: 'fixed' })
      ],
      previous: []
    })
    expect(countStatuses(triage.status)).toEqual({ open: 2, fixed: 1, dismissed: 1, resolved: 0 })
  })
})

describe('boundDismissed', () => {
  it('gives up undone entries first, then the oldest', () => {
    const active = Array.from({ length: MAX_DISMISSED }, (_, index) => entry({ thread: index + 1 }))
    const undone = entry({ thread: 500, undone: true, resolved: false })
    const bounded = boundDismissed([active[0]!, undone, ...active.slice(1), entry({ thread: 1000 })])
    expect(bounded).toHaveLength(MAX_DISMISSED)
    expect(bounded.some((candidate) => candidate.undone === true)).toBe(false)
    expect(bounded[0]?.thread).toBe(2)
    expect(bounded.at(-1)?.thread).toBe(1000)
  })
})

describe('fixed threads the action could not resolve', () => {
  const replied = open({ settled: 'fixed' })

  it('stay fixed while the state says they wait to be resolved, and are tried again', () => {
    const triage = triageThreads({ threads: [replied], previous: [], pendingResolve: [11] })
    expect(triage.status.get(11)).toBe('fixed')
    expect(triage.pendingResolve).toEqual([11])
  })

  it('count again when open without that record: a person reopened them', () => {
    const triage = triageThreads({ threads: [replied], previous: [], pendingResolve: [] })
    expect(triage.status.get(11)).toBe('open')
    expect(triage.pendingResolve).toEqual([])
  })

  it('leave the list once resolved', () => {
    const triage = triageThreads({ threads: [resolvedByUs({ settled: 'fixed' })], previous: [], pendingResolve: [11] })
    expect(triage.status.get(11)).toBe('fixed')
    expect(triage.pendingResolve).toEqual([])
  })
})
