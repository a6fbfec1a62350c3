/** Placement with confidences: dedupe and ranking by severity then confidence, and min-confidence at the cap. */
import { applyConfidenceThreshold } from '../../src/review/confidence-gate.js'
import { placeFindings, type PlaceOptions } from '../../src/review/place-findings.js'
import type { ModelFinding, Severity } from '../../src/types.js'
import { makeLineIndex } from './line-index-fixture.js'

const lineIndex = makeLineIndex({ 'src/app.ts': [[1, 50]], 'src/b.ts': [[1, 50]] })
const options: PlaceOptions = { maxComments: 50, lineIndex, reviewedPaths: new Set(lineIndex.keys()) }

function finding(
  title: string,
  severity: Severity,
  confidence: number | undefined,
  overrides: Partial<ModelFinding> = {}
): ModelFinding {
  return Object.freeze({
    path: 'src/app.ts',
    line: 10,
    startLine: null,
    severity,
    category: 'bug',
    title,
    body: 'Body.',
    replacement: null,
    ...(confidence === undefined ? {} : { confidence }),
    chunkId: 1,
    ...overrides
  })
}

describe('placeFindings: ranking by severity, then confidence', () => {
  it('ranks inline comments by severity, then higher confidence, then path and line', () => {
    const findings = [
      finding('medium sure', 'medium', 0.95, { line: 1 }),
      finding('high unsure', 'high', 0.3, { line: 2 }),
      finding('high sure', 'high', 0.9, { line: 3 }),
      finding('high unknown', 'high', undefined, { line: 4 }),
      finding('high sure, earlier line', 'high', 0.9, { line: 1, path: 'src/b.ts' })
    ]
    const { inline } = placeFindings(findings, options)
    expect(inline.map((placed) => placed.finding.title)).toEqual([
      'high sure',
      'high sure, earlier line',
      'high unsure',
      'high unknown',
      'medium sure'
    ])
  })

  it('keeps the same order without confidences as before (severity, path, line)', () => {
    const findings = [
      finding('b', 'low', undefined, { line: 5 }),
      finding('a', 'low', undefined, { line: 3 }),
      finding('c', 'high', undefined, { line: 9 })
    ]
    expect(placeFindings(findings, options).inline.map((placed) => placed.finding.title)).toEqual(['c', 'a', 'b'])
  })
})

describe('placeFindings: dedupe by severity, then confidence', () => {
  it('keeps the more confident of two duplicates of the same severity, whatever their order', () => {
    for (const findings of [
      [finding('Same', 'high', 0.4), finding('Same', 'high', 0.8, { line: 11, startLine: 9 })],
      [finding('Same', 'high', 0.8, { line: 11, startLine: 9 }), finding('Same', 'high', 0.4)]
    ]) {
      const result = placeFindings(findings, options)
      expect(result.duplicates).toBe(1)
      expect(result.inline.map((placed) => placed.finding.confidence)).toEqual([0.8])
    }
  })

  it('still keeps the more severe duplicate over a more confident one', () => {
    const result = placeFindings([finding('Same', 'medium', 0.99), finding('Same', 'critical', 0.2)], options)
    expect(result.inline.map((placed) => [placed.finding.severity, placed.finding.confidence])).toEqual([
      ['critical', 0.2]
    ])
  })

  it('prefers a stated confidence over none at the same severity', () => {
    const result = placeFindings([finding('Same', 'low', undefined), finding('Same', 'low', 0.1)], options)
    expect(result.inline.map((placed) => placed.finding.confidence)).toEqual([0.1])
  })
})

describe('placeFindings with minConfidence: doubtful findings never take a slot a confident one needs', () => {
  const findings = [
    finding('critical doubt', 'critical', 0.2, { line: 1 }),
    finding('high doubt', 'high', 0.3, { line: 2 }),
    finding('medium sure', 'medium', 0.9, { line: 3 }),
    finding('low sure', 'low', 0.7, { line: 4 })
  ]

  it('gives the slots to findings at or above it first, in rank order', () => {
    const { inline, summaryOnly } = placeFindings(findings, { ...options, maxComments: 3, minConfidence: 0.5 })
    expect(inline.map((placed) => placed.finding.title)).toEqual(['critical doubt', 'medium sure', 'low sure'])
    expect(summaryOnly.map((entry) => [entry.finding.title, entry.reason])).toEqual([
      ['high doubt', 'over the max-comments limit (3)']
    ])
  })

  it('so after the gate every slot holds a confident finding', () => {
    const placement = placeFindings(findings, { ...options, maxComments: 2, minConfidence: 0.5 })
    const split = applyConfidenceThreshold(placement, 0.5)
    expect(split.placement.inline.map((placed) => placed.finding.title)).toEqual(['medium sure', 'low sure'])
    expect(split.lowConfidence.map((entry) => entry.finding.title)).toEqual(['critical doubt', 'high doubt'])
  })

  it('without it, the doubtful ones rank first and take the slots (what the option is for)', () => {
    const placement = placeFindings(findings, { ...options, maxComments: 2 })
    const split = applyConfidenceThreshold(placement, 0.5)
    expect(split.placement.inline).toEqual([])
    expect(split.placement.summaryOnly.map((entry) => entry.finding.title)).toEqual(['medium sure', 'low sure'])
  })

  it('treats a finding without a confidence as confident', () => {
    const { inline } = placeFindings(
      [finding('doubt', 'high', 0.1, { line: 1 }), finding('unknown', 'low', undefined, { line: 2 })],
      {
        ...options,
        maxComments: 1,
        minConfidence: 0.5
      }
    )
    expect(inline.map((placed) => placed.finding.title)).toEqual(['unknown'])
  })

  it('keeps the invariant: inline + summaryOnly + duplicates = input', () => {
    const input = [...findings, finding('critical doubt', 'critical', 0.25, { line: 1 })]
    const result = placeFindings(input, { ...options, maxComments: 2, minConfidence: 0.5 })
    expect(result.inline.length + result.summaryOnly.length + result.duplicates).toBe(input.length)
  })
})
