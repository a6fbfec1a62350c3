import { applyConfidenceThreshold, meetsMinConfidence } from '../../src/review/confidence-gate.js'
import { evaluateSeverityGate } from '../../src/review/severity-gate.js'
import type { ModelFinding, PlacedFinding, PlacementResult, Severity, UnplacedFinding } from '../../src/types.js'

function finding(severity: Severity, confidence: number | undefined, line = 10): ModelFinding {
  return {
    path: 'src/a.ts',
    line,
    startLine: null,
    severity,
    category: 'bug',
    title: `${severity} at ${confidence ?? 'unknown'}`,
    body: 'Why.',
    replacement: null,
    ...(confidence === undefined ? {} : { confidence }),
    chunkId: 1
  }
}
const placed = (severity: Severity, confidence: number | undefined, line = 10): PlacedFinding => ({
  finding: finding(severity, confidence, line),
  path: 'src/a.ts',
  line,
  fingerprint: `fp-${severity}-${line}`
})
const unplaced = (severity: Severity, confidence: number | undefined): UnplacedFinding => ({
  finding: finding(severity, confidence, 999),
  reason: 'line 999 is not in the diff',
  fingerprint: `fp-u-${severity}`
})
const titles = (entries: readonly { readonly finding: ModelFinding }[]): string[] =>
  entries.map((entry) => entry.finding.title)

describe('meetsMinConfidence', () => {
  it.each<[number | undefined, number, boolean]>([
    [0.5, 0.5, true],
    [0.49, 0.5, false],
    [0.9, 0.5, true],
    [0, 0, true],
    [0.2, 1, false],
    [1, 1, true],
    [undefined, 1, true]
  ])('confidence %p against %p ⇒ %p', (confidence, min, expected) => {
    expect(meetsMinConfidence(confidence === undefined ? {} : { confidence }, min)).toBe(expected)
  })
})

describe('applyConfidenceThreshold', () => {
  const placement: PlacementResult = {
    inline: [placed('high', 0.9, 1), placed('high', 0.3, 2), placed('medium', undefined, 3), placed('low', 0.45, 4)],
    summaryOnly: [unplaced('critical', 0.1), unplaced('nit', 0.8)],
    duplicates: 2
  }

  it('moves findings below it out of both lists, keeping where they would have gone', () => {
    const { placement: kept, lowConfidence } = applyConfidenceThreshold(placement, 0.5)
    expect(titles(kept.inline)).toEqual(['high at 0.9', 'medium at unknown'])
    expect(titles(kept.summaryOnly)).toEqual(['nit at 0.8'])
    expect(kept.duplicates).toBe(2)
    expect(
      lowConfidence.map((entry) => ('line' in entry ? `inline:${entry.line}` : `summary:${entry.reason}`))
    ).toEqual(['summary:line 999 is not in the diff', 'inline:2', 'inline:4'])
  })

  it('lists the low-confidence findings most severe first, then most confident', () => {
    const { lowConfidence } = applyConfidenceThreshold(placement, 0.95)
    expect(titles(lowConfidence)).toEqual([
      'critical at 0.1',
      'high at 0.9',
      'high at 0.3',
      'low at 0.45',
      'nit at 0.8'
    ])
  })

  it('counts the findings kept without a confidence (unknown is not low)', () => {
    expect(applyConfidenceThreshold(placement, 1).unrated).toBe(1)
  })

  it('keeps everything at 0, and loses nothing at any threshold', () => {
    const none = applyConfidenceThreshold(placement, 0)
    expect(none.placement).toEqual(placement)
    expect(none.lowConfidence).toEqual([])
    for (const min of [0.3, 0.5, 0.9, 1]) {
      const split = applyConfidenceThreshold(placement, min)
      expect(split.placement.inline.length + split.placement.summaryOnly.length + split.lowConfidence.length).toBe(6)
    }
  })
})

describe('evaluateSeverityGate with minConfidence', () => {
  const entries = [
    { finding: finding('critical', 0.2) },
    { finding: finding('high', 0.8) },
    { finding: finding('high', undefined) }
  ]

  it('does not count findings below it, and says how many it left out', () => {
    const verdict = evaluateSeverityGate(entries, 'high', { minConfidence: 0.5 })
    expect(verdict.reached.map((reached) => reached.title)).toEqual(['high at 0.8', 'high at unknown'])
    expect(verdict.belowMinConfidence).toBe(1)
    expect(verdict.message).not.toContain('critical')
  })

  it('passes when only doubtful findings reach the gate', () => {
    expect(evaluateSeverityGate([{ finding: finding('critical', 0.2) }], 'high', { minConfidence: 0.5 })).toEqual({
      failed: false,
      reached: [],
      belowMinConfidence: 1
    })
  })

  it('counts every finding without the option, as before', () => {
    expect(evaluateSeverityGate(entries, 'high').reached).toHaveLength(3)
  })
})
