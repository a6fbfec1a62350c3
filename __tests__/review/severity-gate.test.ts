import {
  applySeverityThreshold,
  countBySeverity,
  evaluateOpenEarlierFindings,
  evaluateSeverityGate,
  findMaxSeverity,
  MAX_GATE_FINDINGS_LISTED,
  meetsSeverity
} from '../../src/review/severity-gate.js'
import type { ModelFinding, PlacedFinding, PlacementResult, Severity, UnplacedFinding } from '../../src/types.js'

function finding(severity: Severity, overrides: Partial<ModelFinding> = {}): ModelFinding {
  return {
    path: 'src/a.ts',
    line: 10,
    startLine: null,
    severity,
    category: 'bug',
    title: `A ${severity} problem`,
    body: 'Why.',
    replacement: null,
    chunkId: 1,
    ...overrides
  }
}
const placed = (severity: Severity, line = 10): PlacedFinding => ({
  finding: finding(severity, { line }),
  path: 'src/a.ts',
  line,
  fingerprint: `fp-${severity}-${line}`
})
const unplaced = (severity: Severity): UnplacedFinding => ({
  finding: finding(severity, { line: 999 }),
  reason: 'line 999 is not in the diff',
  fingerprint: `fp-u-${severity}`
})

describe('meetsSeverity', () => {
  it.each<[Severity, Severity, boolean]>([
    ['critical', 'nit', true],
    ['high', 'high', true],
    ['medium', 'high', false],
    ['nit', 'low', false],
    ['low', 'low', true]
  ])('%s against %s is %s', (severity, threshold, expected) => {
    expect(meetsSeverity(severity, threshold)).toBe(expected)
  })
})

describe('applySeverityThreshold', () => {
  const placement: PlacementResult = {
    inline: [placed('high', 1), placed('medium', 2), placed('low', 3), placed('nit', 4)],
    summaryOnly: [unplaced('critical'), unplaced('nit')],
    duplicates: 2
  }

  it.each<[Severity, number, number, number]>([
    ['nit', 4, 2, 0],
    ['low', 3, 1, 2],
    ['medium', 2, 1, 3],
    ['critical', 0, 1, 5]
  ])('at %s keeps %i inline and %i in the summary, holds back %i', (threshold, inline, summaryOnly, below) => {
    const result = applySeverityThreshold(placement, threshold)
    expect(result.placement.inline).toHaveLength(inline)
    expect(result.placement.summaryOnly).toHaveLength(summaryOnly)
    expect(result.belowThreshold).toHaveLength(below)
    expect(result.placement.duplicates).toBe(2)
    for (const entry of result.belowThreshold) expect(meetsSeverity(entry.finding.severity, threshold)).toBe(false)
  })
})

describe('countBySeverity and findMaxSeverity', () => {
  it('counts every severity and finds the highest', () => {
    const entries = [placed('low'), placed('high'), placed('low')]
    expect(countBySeverity(entries)).toEqual({ critical: 0, high: 1, medium: 0, low: 2, nit: 0 })
    expect(findMaxSeverity(entries)).toBe('high')
  })

  it('says none for no findings', () => {
    expect(findMaxSeverity([])).toBe('none')
  })
})

describe('evaluateSeverityGate', () => {
  const entries = [placed('medium', 5), unplaced('critical'), placed('nit', 6), placed('high', 7)]

  it('never fails when off', () => {
    expect(evaluateSeverityGate(entries, 'off')).toEqual({ failed: false, reached: [] })
  })

  it('passes when nothing reaches the gate', () => {
    expect(evaluateSeverityGate([placed('low')], 'medium').failed).toBe(false)
  })

  it('fails listing every finding that reaches the gate, most severe first', () => {
    const verdict = evaluateSeverityGate(entries, 'high')
    expect(verdict.failed).toBe(true)
    expect(verdict.reached.map((f) => f.severity)).toEqual(['critical', 'high'])
    expect(verdict.message).toBe(
      [
        '2 findings reach the fail-on-severity level "high":',
        '- [critical] src/a.ts:999 A critical problem',
        '- [high] src/a.ts:7 A high problem'
      ].join('\n')
    )
  })

  it('lists at most the first findings and counts the rest, one line each', () => {
    const many = Array.from({ length: MAX_GATE_FINDINGS_LISTED + 3 }, (_, i) => ({
      finding: finding('high', { line: i + 1, title: 'multi\nline   title' })
    }))
    const message = evaluateSeverityGate(many, 'medium').message ?? ''
    expect(message.split('\n')).toHaveLength(MAX_GATE_FINDINGS_LISTED + 2)
    expect(message).toContain('- [high] src/a.ts:1 multi line title')
    expect(message).toContain('… and 3 more')
  })
})

describe('evaluateOpenEarlierFindings', () => {
  it.each([
    ['off', [{ path: 'a.ts', line: 3, severity: 'critical' as const }], false],
    ['high', [{ path: 'a.ts', line: 3, severity: 'critical' as const }], true],
    ['high', [{ path: 'a.ts', line: 3, severity: 'high' as const }], true],
    ['high', [{ path: 'a.ts', line: 3, severity: 'medium' as const }], false],
    // Outdated: the code under the comment changed, and the new diff was reviewed.
    ['high', [{ path: 'a.ts', line: null, severity: 'critical' as const }], false],
    ['high', [], false]
  ] as const)('fail-on-severity %s with %j fails: %s', (failOn, earlier, fails) => {
    expect(evaluateOpenEarlierFindings(earlier, failOn) !== undefined).toBe(fails)
  })

  it('names the comments that keep the gate failing', () => {
    const message = evaluateOpenEarlierFindings([{ path: 'src/db.ts', line: 42, severity: 'critical' }], 'high')
    expect(message).toContain('critical at src/db.ts:42')
    expect(message).toContain('fail-on-severity high')
  })
})
