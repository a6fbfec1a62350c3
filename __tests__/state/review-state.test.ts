import {
  decodeStateMarker,
  encodeStateMarker,
  MAX_HISTORY,
  MAX_SPENT_USD,
  addSpent,
  recordRun,
  stripStateMarkers,
  type ReviewState,
  type RunRecord,
  type StateSeal
} from '../../src/state/review-state.js'
import { sanitizeBlock } from '../../src/markdown/sanitize.js'

const SHA = (digit: string): string => digit.repeat(40)
const SEAL: StateSeal = { ref: { owner: 'octo', repo: 'hello', pullNumber: 7 }, secret: 'sk-secret-key' }

const STATE: ReviewState = {
  version: 1,
  reviewed: { head: SHA('a'), baseRef: 'main', baseSha: SHA('b'), config: { model: '0123456789ab' } },
  history: [{ head: SHA('a'), kind: 'full', complete: true, findings: 3, at: '2026-01-02T03:04:05.678Z' }]
}

function signedBody(state: unknown, seal: StateSeal = SEAL): string {
  return `<!-- codex-pr-review:summary -->\n${encodeStateMarker(state as ReviewState, seal)}\n## report`
}

describe('encodeStateMarker / decodeStateMarker', () => {
  it('reads back what it wrote', () => {
    expect(decodeStateMarker(signedBody(STATE), SEAL)).toEqual({ found: true, state: STATE })
  })

  it('writes one hidden line', () => {
    const marker = encodeStateMarker(STATE, SEAL)
    expect(marker).toMatch(/^<!-- codex-pr-review:state v1 [A-Za-z0-9_-]+\.[0-9a-f]{32} -->$/)
  })

  it.each([
    ['another key', { ...SEAL, secret: 'sk-other' }],
    ['another pull request', { ...SEAL, ref: { ...SEAL.ref, pullNumber: 8 } }],
    ['another repository', { ...SEAL, ref: { ...SEAL.ref, repo: 'fork' } }]
  ])('does not verify a state sealed for %s', (_name, seal) => {
    expect(decodeStateMarker(signedBody(STATE, seal), SEAL)).toEqual({ found: false, reason: 'unverified' })
  })

  it('does not verify an edited payload', () => {
    const marker = encodeStateMarker(STATE, SEAL)
    const [payload = '', rest = ''] = marker.replace('<!-- codex-pr-review:state v1 ', '').split('.')
    const forged = Buffer.from(
      JSON.stringify({ ...STATE, reviewed: { ...STATE.reviewed, head: SHA('c') } }),
      'utf8'
    ).toString('base64url')
    expect(payload).not.toBe(forged)
    const body = `<!-- codex-pr-review:state v1 ${forged}.${rest}`
    expect(decodeStateMarker(body, SEAL)).toEqual({ found: false, reason: 'unverified' })
  })

  it.each([
    ['an unknown top-level key', { ...STATE, extra: 1 }],
    ['another version', { ...STATE, version: 2 }],
    ['a short head SHA', { ...STATE, reviewed: { ...STATE.reviewed, head: 'abc' } }],
    ['a base ref with markup', { ...STATE, reviewed: { ...STATE.reviewed, baseRef: 'main <b>' } }],
    ['a config hash that is not hex', { ...STATE, reviewed: { ...STATE.reviewed, config: { model: 'zzzzzzzzzzzz' } } }],
    ['an unknown run kind', { ...STATE, history: [{ ...STATE.history[0], kind: 'partial' }] }],
    ['a negative count', { ...STATE, history: [{ ...STATE.history[0], findings: -1 }] }],
    ['an unknown severity', { ...STATE, history: [{ ...STATE.history[0], maxSeverity: 'blocker' }] }],
    ['a date that is not ISO', { ...STATE, history: [{ ...STATE.history[0], at: 'yesterday' }] }],
    ['too long a history', { ...STATE, history: Array.from({ length: MAX_HISTORY + 1 }, () => STATE.history[0]) }]
  ])('rejects a correctly signed state with %s', (_name, state) => {
    expect(decodeStateMarker(signedBody(state), SEAL)).toEqual({ found: false, reason: 'malformed' })
  })

  it('does not read an overlong state line', () => {
    const body = `<!-- codex-pr-review:state v1 ${'A'.repeat(17_000)}.${'0'.repeat(32)} -->`
    expect(decodeStateMarker(body, SEAL)).toEqual({ found: false, reason: 'malformed' })
  })

  it('reports a missing state', () => {
    expect(decodeStateMarker('<!-- codex-pr-review:summary -->\n## report', SEAL)).toEqual({
      found: false,
      reason: 'missing'
    })
  })

  it('reads only a whole line, so a marker inside other text is not a state', () => {
    const inline = `Some text ${encodeStateMarker(STATE, SEAL)}`
    expect(decodeStateMarker(inline, SEAL)).toEqual({ found: false, reason: 'malformed' })
  })

  it('cannot be forged through model text, which the renderer defangs', () => {
    const fromModel = sanitizeBlock(`Looks fine.\n${encodeStateMarker(STATE, SEAL)}`)
    expect(decodeStateMarker(fromModel, SEAL).found).toBe(false)
  })

  it('reads the first state line only', () => {
    const other = { ...STATE, history: [] }
    const body = `${encodeStateMarker(STATE, SEAL)}\n${encodeStateMarker(other, SEAL)}`
    expect(decodeStateMarker(body, SEAL)).toEqual({ found: true, state: STATE })
  })

  it('strips every state line', () => {
    const body = `a\n${encodeStateMarker(STATE, SEAL)}\nb`
    expect(stripStateMarkers(body)).toBe('a\nb')
  })
})

describe('recordRun', () => {
  const run = (overrides: Partial<RunRecord>): RunRecord => ({
    kind: 'incremental',
    head: SHA('c'),
    baseRef: 'main',
    baseSha: SHA('d'),
    config: { model: 'ffffffffffff' },
    complete: true,
    findings: 2,
    at: '2026-01-03T00:00:00.000Z',
    from: SHA('a'),
    ...overrides
  })

  it.each([
    ['a complete incremental run advances the reviewed head', run({}), SHA('c')],
    ['a complete full run advances it', run({ kind: 'full' }), SHA('c')],
    ['a run with failed chunks keeps the old one', run({ complete: false }), SHA('a')],
    ['a run that reviewed nothing keeps the old one', run({ kind: 'skipped' }), SHA('a')]
  ])('%s', (_name, record, head) => {
    expect(recordRun(STATE, record).reviewed?.head).toBe(head)
  })

  it('records the base and the settings with the reviewed head', () => {
    expect(recordRun(null, run({})).reviewed).toEqual({
      head: SHA('c'),
      baseRef: 'main',
      baseSha: SHA('d'),
      config: { model: 'ffffffffffff' }
    })
  })

  it('leaves nothing reviewed when the first run is incomplete', () => {
    expect(recordRun(null, run({ complete: false })).reviewed).toBeNull()
  })

  it('appends to the history and keeps the last ten runs', () => {
    let state: ReviewState | null = null
    for (let index = 0; index < MAX_HISTORY + 3; index++) {
      state = recordRun(state, run({ findings: index }))
    }
    expect(state?.history).toHaveLength(MAX_HISTORY)
    expect(state?.history[MAX_HISTORY - 1]?.findings).toBe(MAX_HISTORY + 2)
    expect(state?.history[0]?.findings).toBe(3)
  })

  it('does not pile up re-runs of the same head that reviewed nothing', () => {
    const once = recordRun(STATE, run({ kind: 'skipped', head: SHA('a'), at: '2026-01-04T00:00:00.000Z' }))
    const twice = recordRun(once, run({ kind: 'skipped', head: SHA('a'), at: '2026-01-05T00:00:00.000Z' }))
    expect(twice.history).toHaveLength(2)
    expect(twice.history[1]?.at).toBe('2026-01-05T00:00:00.000Z')
  })

  it('round-trips through the marker after recording', () => {
    const next = recordRun(STATE, run({ maxSeverity: 'critical' }))
    expect(next.history[1]?.maxSeverity).toBe('critical')
    expect(decodeStateMarker(encodeStateMarker(next, SEAL), SEAL)).toEqual({ found: true, state: next })
  })
})

describe('summary-only findings in the state', () => {
  const carried = {
    path: 'src/a.ts',
    line: 400,
    severity: 'high' as const,
    title: 'Outside the diff',
    fingerprint: 'abcdef012345'
  }
  const record: RunRecord = {
    kind: 'full',
    head: SHA('c'),
    baseRef: 'main',
    baseSha: SHA('d'),
    config: { model: 'ffffffffffff' },
    complete: true,
    findings: 1,
    at: '2026-01-03T00:00:00.000Z'
  }

  it('survives encoding, and a run that reviewed nothing keeps them', () => {
    const withCarried = recordRun(STATE, { ...record, summaryOnly: [carried] })
    expect(decodeStateMarker(encodeStateMarker(withCarried, SEAL), SEAL)).toEqual({ found: true, state: withCarried })
    const skipped = recordRun(withCarried, { ...record, kind: 'skipped' })
    expect(skipped.summaryOnly).toEqual([carried])
    expect(recordRun(withCarried, { ...record, summaryOnly: [] })).not.toHaveProperty('summaryOnly')
  })

  it.each([
    ['a newline in the path', { ...carried, path: 'a\nb' }],
    ['line 0', { ...carried, line: 0 }],
    ['an unknown severity', { ...carried, severity: 'urgent' }],
    ['a title over the cap', { ...carried, title: 'x'.repeat(121) }],
    ['a fingerprint that is not hex', { ...carried, fingerprint: 'nothex!' }],
    ['an extra key', { ...carried, body: 'more' }]
  ])('rejects a state whose carried finding has %s', (_what, entry) => {
    const forged = { ...STATE, summaryOnly: [entry] } as unknown as ReviewState
    expect(decodeStateMarker(encodeStateMarker(forged, SEAL), SEAL)).toEqual({ found: false, reason: 'malformed' })
  })
})

describe('dollars spent on the pull request in the state', () => {
  const record: RunRecord = {
    kind: 'full',
    head: SHA('c'),
    baseRef: 'main',
    baseSha: SHA('d'),
    config: { model: 'ffffffffffff' },
    complete: true,
    findings: 1,
    at: '2026-01-03T00:00:00.000Z'
  }

  it('adds each run to the total, keeps it through runs that spent nothing, and survives encoding', () => {
    const first = recordRun(null, { ...record, spentUsd: 0.0123456789 })
    expect(first.spentUsd).toBe(0.012346)
    const second = recordRun(first, { ...record, spentUsd: 0.02 })
    expect(second.spentUsd).toBeCloseTo(0.032346, 9)
    const skipped = recordRun(second, { ...record, kind: 'skipped' })
    expect(skipped.spentUsd).toBe(second.spentUsd)
    expect(decodeStateMarker(encodeStateMarker(skipped, SEAL), SEAL)).toEqual({ found: true, state: skipped })
  })

  it('writes no total while nothing was spent, and ignores a spending that is not a positive number', () => {
    expect(recordRun(null, record)).not.toHaveProperty('spentUsd')
    expect(recordRun(null, { ...record, spentUsd: Number.NaN })).not.toHaveProperty('spentUsd')
    expect(recordRun(null, { ...record, spentUsd: -1 })).not.toHaveProperty('spentUsd')
  })

  it.each([
    ['a string', '0.5'],
    ['a negative amount', -0.01],
    ['more than anyone spends', MAX_SPENT_USD + 1],
    ['null', null]
  ])('rejects a correctly signed state whose total is %s', (_what, spentUsd) => {
    const forged = { ...STATE, spentUsd } as unknown as ReviewState
    expect(decodeStateMarker(signedBody(forged), SEAL)).toEqual({ found: false, reason: 'malformed' })
  })

  it('reads a state without a total as one that spent nothing', () => {
    const lookup = decodeStateMarker(signedBody(STATE), SEAL)
    expect(lookup.found && lookup.state.spentUsd).toBeUndefined()
    expect(addSpent(undefined, 0.5)).toBe(0.5)
  })
})
