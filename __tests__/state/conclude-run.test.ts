import { renderScopeParts } from '../../src/render/summary-scope.js'
import { concludeRun as concludeState, type RunOutcome, type RunTracking } from '../../src/state/conclude-run.js'
import { type CarriedFinding, decodeStateMarker, type ReviewState } from '../../src/state/review-state.js'

const SHA = (char: string): string => char.repeat(40)
const SEAL = { ref: { owner: 'octo', repo: 'hello', pullNumber: 7 }, secret: 'sk-secret' }
const carried = (
  path: string,
  fingerprint: string,
  severity: CarriedFinding['severity'] = 'medium'
): CarriedFinding => ({
  path,
  line: 400,
  severity,
  title: `In ${path}`,
  fingerprint
})

const PREVIOUS: ReviewState = {
  version: 1,
  reviewed: { head: SHA('a'), baseRef: 'main', baseSha: SHA('b'), config: { model: 'ffffffffffff' } },
  history: [],
  summaryOnly: [
    carried('src/untouched.ts', 'aaaaaaaaaaaa'),
    carried('src/changed.ts', 'bbbbbbbbbbbb'),
    carried('src/x.ts', 'cccccccccccc')
  ]
}

function tracking(kind: 'incremental' | 'full'): RunTracking {
  return {
    scope:
      kind === 'incremental'
        ? { kind, from: SHA('a'), commits: 1 }
        : { kind, reason: 'config-changed', settings: ['model'] },
    previous: PREVIOUS,
    config: { model: 'ffffffffffff' },
    seal: SEAL,
    pullRequest: { headSha: SHA('c'), baseRef: 'main', baseSha: SHA('b') },
    alreadyPosted: [],
    outsidePull: 0
  }
}

/** The concluded state with the summary parts rendered from it, as the summary comment gets them. */
function concludeRun(run: RunTracking, result: RunOutcome) {
  const concluded = concludeState(run, result)
  return { ...concluded, ...renderScopeParts(concluded) }
}

const outcome = {
  complete: true,
  findings: 1,
  at: '2026-01-03T00:00:00.000Z',
  // Found again this run (same fingerprint as the earlier src/x.ts one), and a model path the state could not hold.
  summaryOnly: [carried('src/x.ts', 'cccccccccccc', 'high'), carried('bad\npath.ts', 'dddddddddddd')],
  reviewedPaths: new Set(['src/changed.ts'])
}

describe('concludeRun: summary-only findings', () => {
  it('keeps earlier ones on files a push did not review again, and lists them in the summary', () => {
    const result = concludeRun(tracking('incremental'), outcome)
    expect(result.state.summaryOnly?.map((finding) => `${finding.path} ${finding.severity}`)).toEqual([
      'src/x.ts high',
      'src/untouched.ts medium'
    ])
    expect(result.carriedBlock).toContain('### Earlier findings not posted inline (1)')
    expect(result.carriedBlock).toContain('src/untouched.ts:400')
    // The state it writes is one the next run can read back.
    expect(decodeStateMarker(result.stateMarker, SEAL)).toMatchObject({ found: true })
  })

  it('replaces them on a full review', () => {
    const result = concludeRun(tracking('full'), outcome)
    expect(result.state.summaryOnly?.map((finding) => finding.path)).toEqual(['src/x.ts'])
    expect(result.carriedBlock).toBe('')
  })

  it('keeps them as they were when the run reviewed nothing', () => {
    const result = concludeRun(tracking('incremental'), { complete: true, findings: 0, at: '2026-01-03T00:00:00.000Z' })
    expect(result.state.summaryOnly).toEqual(PREVIOUS.summaryOnly)
  })
})
