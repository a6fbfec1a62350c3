import { changedSettings, fingerprintConfig, type FingerprintedSettings } from '../../src/state/config-fingerprint.js'
import type { Comparison } from '../../src/github/compare.js'
import { decideAfterCompare, planScope, type CurrentPull } from '../../src/state/plan-scope.js'
import type { StateLookup } from '../../src/state/review-state.js'

const SHA = (digit: string): string => digit.repeat(40)
const SETTINGS: FingerprintedSettings = {
  model: 'openai/gpt-5-1-codex-mini',
  api: 'auto',
  reasoningEffort: 'medium',
  maxChunkTokens: 12_000,
  include: [],
  exclude: ['docs/**'],
  escalationModel: 'openai/gpt-5-1-codex',
  escalatePaths: [],
  verifySeverity: 'off',
  severityThreshold: 'nit',
  language: '',
  minConfidence: 0.5
}
const CONFIG = fingerprintConfig({ settings: SETTINGS })
const CURRENT: CurrentPull = { headSha: SHA('c'), baseRef: 'main', baseSha: SHA('b'), config: CONFIG }

function reviewedAt(
  head: string,
  overrides: { baseRef?: string; baseSha?: string; config?: Record<string, string> } = {}
): StateLookup {
  return {
    found: true,
    state: {
      version: 1,
      reviewed: {
        head,
        baseRef: overrides.baseRef ?? 'main',
        baseSha: overrides.baseSha ?? SHA('b'),
        config: overrides.config ?? CONFIG
      },
      history: []
    }
  }
}

describe('planScope', () => {
  it.each<[string, StateLookup, Partial<CurrentPull>, boolean, unknown]>([
    ['no summary yet', { found: false, reason: 'missing' }, {}, false, { kind: 'full', reason: 'first-review' }],
    [
      'a state that does not verify',
      { found: false, reason: 'unverified' },
      {},
      false,
      { kind: 'full', reason: 'state-unverified' }
    ],
    [
      'a malformed state',
      { found: false, reason: 'malformed' },
      {},
      false,
      { kind: 'full', reason: 'state-unverified' }
    ],
    [
      'a state without a complete review',
      { found: true, state: { version: 1, reviewed: null, history: [] } },
      {},
      false,
      { kind: 'full', reason: 'first-review' }
    ],
    ['the same head, settings and base', reviewedAt(SHA('c')), {}, false, { kind: 'already-reviewed', head: SHA('c') }],
    [
      'the same head with full-review',
      reviewedAt(SHA('c')),
      {},
      true,
      { kind: 'full', reason: 'forced', previousHead: SHA('c') }
    ],
    ['a new head', reviewedAt(SHA('a')), {}, false, { kind: 'compare', from: SHA('a') }],
    ['a new head with full-review', reviewedAt(SHA('a')), {}, true, { kind: 'full', reason: 'forced' }],
    [
      'another base branch',
      reviewedAt(SHA('a')),
      { baseRef: 'release' },
      false,
      { kind: 'full', reason: 'base-changed', previousBaseRef: 'main' }
    ],
    [
      'the base branch moved on (same branch)',
      reviewedAt(SHA('a'), { baseSha: SHA('e') }),
      {},
      false,
      { kind: 'compare', from: SHA('a') }
    ],
    [
      'another model',
      reviewedAt(SHA('c')),
      { config: fingerprintConfig({ settings: { ...SETTINGS, model: 'openai/gpt-5-1-codex' } }) },
      false,
      { kind: 'full', reason: 'config-changed', settings: ['model'] }
    ]
  ])('%s', (_name, previous, current, forceFull, expected) => {
    expect(planScope({ previous, current: { ...CURRENT, ...current }, forceFull })).toMatchObject(expected as object)
  })
})

describe('decideAfterCompare', () => {
  const from = SHA('a')
  it.each<[string, Comparison, unknown]>([
    [
      'ahead',
      { kind: 'compared', status: 'ahead', aheadBy: 2, behindBy: 0 },
      { kind: 'incremental', from, commits: 2 }
    ],
    [
      'identical',
      { kind: 'compared', status: 'identical', aheadBy: 0, behindBy: 0 },
      { kind: 'incremental', from, commits: 0 }
    ],
    [
      'diverged (force-push)',
      { kind: 'compared', status: 'diverged', aheadBy: 1, behindBy: 3 },
      { kind: 'full', reason: 'force-push', previousHead: from }
    ],
    [
      'behind (reset)',
      { kind: 'compared', status: 'behind', aheadBy: 0, behindBy: 1 },
      { kind: 'full', reason: 'branch-reset' }
    ],
    [
      'no common ancestor',
      { kind: 'no-common-ancestor', message: 'No common ancestor between a and c.' },
      { kind: 'full', reason: 'force-push', message: 'No common ancestor between a and c.' }
    ],
    ['the old head is gone', { kind: 'not-found', message: 'Not Found' }, { kind: 'full', reason: 'force-push' }],
    ['too large', { kind: 'too-large', message: 'Sorry' }, { kind: 'full', reason: 'compare-too-large' }],
    ['an error', { kind: 'failed', message: 'GitHub answered 502' }, { kind: 'full', reason: 'compare-failed' }]
  ])('%s', (_name, comparison, expected) => {
    expect(decideAfterCompare({ from, comparison })).toMatchObject(expected as object)
  })
})

describe('fingerprintConfig', () => {
  it('is the same for the same settings', () => {
    expect(fingerprintConfig({ settings: { ...SETTINGS } })).toEqual(CONFIG)
  })

  it.each<[keyof FingerprintedSettings, unknown, string]>([
    ['model', 'other/model', 'model'],
    ['api', 'responses', 'api'],
    ['reasoningEffort', 'high', 'reasoning-effort'],
    ['maxChunkTokens', 20_000, 'max-chunk-tokens'],
    ['include', ['src/**'], 'include'],
    ['exclude', [], 'exclude'],
    ['escalationModel', 'x/y', 'escalation-model'],
    ['escalatePaths', ['auth/**'], 'escalate-paths'],
    ['verifySeverity', 'high', 'verify-severity'],
    ['severityThreshold', 'low', 'severity-threshold'],
    ['language', 'German', 'language'],
    ['minConfidence', 0.7, 'min-confidence']
  ])('names %s when it changes', (key, value, name) => {
    const changed = fingerprintConfig({ settings: { ...SETTINGS, [key]: value } })
    expect(changedSettings(CONFIG, changed)).toEqual([name])
  })

  it('names the instructions and extra inputs when they change', () => {
    expect(changedSettings(CONFIG, fingerprintConfig({ settings: SETTINGS, instructions: 'Be brief.' }))).toEqual([
      'instructions'
    ])
    const withRepo = fingerprintConfig({ settings: SETTINGS, extra: { 'repository-config': '{"instructions":"x"}' } })
    expect(changedSettings(CONFIG, withRepo)).toEqual(['repository-config'])
  })

  it('keeps short hex hashes, not the values', () => {
    const values = Object.values(fingerprintConfig({ settings: { ...SETTINGS, language: 'Klingon' } }))
    for (const value of values) expect(value).toMatch(/^[0-9a-f]{12}$/)
  })
})
