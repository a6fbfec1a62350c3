/** The signed state's thread fields (issue 13): dismissed findings and the threads last seen outdated. */
import {
  decodeStateMarker,
  encodeStateMarker,
  MAX_DISMISSED,
  MAX_OUTDATED_THREADS,
  MAX_PENDING_RESOLVE,
  recordRun,
  toDismissedFinding,
  type DismissedFinding,
  type ReviewState,
  type RunRecord,
  type StateSeal
} from '../../src/state/review-state.js'

const SHA = (digit: string): string => digit.repeat(40)
const SEAL: StateSeal = { ref: { owner: 'octo', repo: 'hello', pullNumber: 7 }, secret: 'sk-secret-key' }
const STATE: ReviewState = {
  version: 1,
  reviewed: { head: SHA('a'), baseRef: 'main', baseSha: SHA('b'), config: { model: '0123456789ab' } },
  history: [{ head: SHA('a'), kind: 'full', complete: true, findings: 3, at: '2026-01-02T03:04:05.678Z' }]
}
const DISMISSED: DismissedFinding = {
  fingerprint: 'abcdef012345',
  thread: 3_189_543_903,
  reason: 'reply',
  resolved: true
}
const RECORD: RunRecord = {
  kind: 'incremental',
  head: SHA('c'),
  baseRef: 'main',
  baseSha: SHA('d'),
  config: { model: 'ffffffffffff' },
  complete: true,
  findings: 0,
  at: '2026-01-03T00:00:00.000Z',
  from: SHA('a')
}

const signed = (state: unknown): string => `x\n${encodeStateMarker(state as ReviewState, SEAL)}\ny`

describe('dismissed findings and outdated threads in the state', () => {
  it('survive encoding, undone entries and an empty outdated list included', () => {
    const state: ReviewState = {
      ...STATE,
      dismissed: [DISMISSED, { ...DISMISSED, thread: 9, reason: 'thumbs-down', resolved: false, undone: true }],
      outdatedThreads: []
    }
    expect(decodeStateMarker(signed(state), SEAL)).toEqual({ found: true, state })
  })

  it('a state without them (written before issue 13) still reads', () => {
    expect(decodeStateMarker(signed(STATE), SEAL)).toEqual({ found: true, state: STATE })
  })

  it.each([
    ['a fingerprint that is not hex', { ...DISMISSED, fingerprint: 'XYZ' }],
    ['thread 0', { ...DISMISSED, thread: 0 }],
    ['a thread id that is not an integer', { ...DISMISSED, thread: 1.5 }],
    ['an unknown reason', { ...DISMISSED, reason: 'annoying' }],
    ['resolved as a string', { ...DISMISSED, resolved: 'yes' }],
    ['undone false (only true is written)', { ...DISMISSED, undone: false }],
    ['an extra key', { ...DISMISSED, title: 'Injected' }]
  ])('reject a dismissed entry with %s, which voids the whole state', (_name, entry) => {
    expect(toDismissedFinding(entry)).toBeUndefined()
    expect(decodeStateMarker(signed({ ...STATE, dismissed: [entry] }), SEAL)).toEqual({
      found: false,
      reason: 'malformed'
    })
  })

  it.each([
    ['too many dismissed entries', { dismissed: Array.from({ length: MAX_DISMISSED + 1 }, () => DISMISSED) }],
    ['dismissed that is not a list', { dismissed: DISMISSED }],
    [
      'too many outdated threads',
      { outdatedThreads: Array.from({ length: MAX_OUTDATED_THREADS + 1 }, (_, i) => i + 1) }
    ],
    ['an outdated thread id that is not a number', { outdatedThreads: ['12'] }],
    ['outdated threads that are not a list', { outdatedThreads: 12 }]
  ])('reject a state with %s', (_name, extra) => {
    expect(decodeStateMarker(signed({ ...STATE, ...extra }), SEAL)).toEqual({ found: false, reason: 'malformed' })
  })

  it('a run that could not read threads keeps what the previous run recorded', () => {
    const previous: ReviewState = { ...STATE, dismissed: [DISMISSED], outdatedThreads: [5, 6] }
    const next = recordRun(previous, RECORD)
    expect(next.dismissed).toEqual([DISMISSED])
    expect(next.outdatedThreads).toEqual([5, 6])
  })

  it('a run that read threads replaces them; an empty dismissed list is left out, an empty outdated list kept', () => {
    const previous: ReviewState = { ...STATE, dismissed: [DISMISSED], outdatedThreads: [5, 6] }
    const next = recordRun(previous, { ...RECORD, dismissed: [], outdatedThreads: [] })
    expect(next).not.toHaveProperty('dismissed')
    expect(next.outdatedThreads).toEqual([])
  })

  it('keeps the newest entries when over the bounds', () => {
    const many = Array.from({ length: MAX_DISMISSED + 5 }, (_, index) => ({ ...DISMISSED, thread: index + 1 }))
    const ids = Array.from({ length: MAX_OUTDATED_THREADS + 5 }, (_, index) => index + 1)
    const next = recordRun(STATE, { ...RECORD, dismissed: many, outdatedThreads: ids })
    expect(next.dismissed).toHaveLength(MAX_DISMISSED)
    expect(next.dismissed?.[0]?.thread).toBe(6)
    expect(next.outdatedThreads).toHaveLength(MAX_OUTDATED_THREADS)
    expect(decodeStateMarker(signed(next), SEAL).found).toBe(true)
  })

  it('stays well under the state line limit with every thread list full', () => {
    const next = recordRun(STATE, {
      ...RECORD,
      dismissed: Array.from({ length: MAX_DISMISSED }, (_, index) => ({
        ...DISMISSED,
        thread: 3_000_000_000 + index,
        reason: 'thumbs-down' as const,
        undone: true as const
      })),
      outdatedThreads: Array.from({ length: MAX_OUTDATED_THREADS }, (_, index) => 3_000_000_000 + index),
      pendingResolve: Array.from({ length: MAX_PENDING_RESOLVE }, (_, index) => 3_100_000_000 + index)
    })
    // The state line may hold 16,000 characters; these three lists take less than half.
    expect(encodeStateMarker(next, SEAL).length - encodeStateMarker(STATE, SEAL).length).toBeLessThan(7_500)
  })
})

describe('fixed threads waiting to be resolved, in the state', () => {
  it('survive encoding, are kept by a run that did not read threads, and are left out when none', () => {
    const withPending = recordRun(STATE, { ...RECORD, pendingResolve: [3_189_543_903] })
    expect(decodeStateMarker(signed(withPending), SEAL)).toEqual({ found: true, state: withPending })
    expect(recordRun(withPending, RECORD).pendingResolve).toEqual([3_189_543_903])
    expect(recordRun(withPending, { ...RECORD, pendingResolve: [] })).not.toHaveProperty('pendingResolve')
  })

  it.each([[['1']], [[0]], [Array.from({ length: MAX_PENDING_RESOLVE + 1 }, (_, index) => index + 1)]])(
    'reject %j',
    (pendingResolve) => {
      expect(decodeStateMarker(signed({ ...STATE, pendingResolve }), SEAL)).toEqual({
        found: false,
        reason: 'malformed'
      })
    }
  )
})
