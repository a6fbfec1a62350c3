import { isSameObservation, mergeEscalatedFindings } from '../../src/review/merge-escalated.js'
import { meetsRiskGate } from '../../src/review/escalation.js'
import type { ModelFinding, RiskLevel } from '../../src/types.js'

const finding = (patch: Partial<ModelFinding>): ModelFinding => ({
  path: 'src/a.ts',
  line: 10,
  startLine: null,
  severity: 'medium',
  category: 'bug',
  title: 'Null is dereferenced',
  body: 'Body.',
  replacement: null,
  chunkId: 1,
  ...patch
})

describe('meetsRiskGate', () => {
  it.each<[RiskLevel | undefined, 'off' | 'high' | 'medium', boolean]>([
    ['high', 'high', true],
    ['medium', 'high', false],
    ['low', 'high', false],
    ['high', 'medium', true],
    ['medium', 'medium', true],
    ['low', 'medium', false],
    ['high', 'off', false],
    [undefined, 'medium', false]
  ])('risk %s against gate %s: %s', (risk, gate, expected) => {
    expect(meetsRiskGate(risk, gate)).toBe(expected)
  })
})

describe('isSameObservation', () => {
  it.each<[string, Partial<ModelFinding>, boolean]>([
    ['same fingerprint, other lines and category', { line: 40, category: 'security', body: 'Other words.' }, true],
    ['same title in other case and spacing', { title: '  null IS dereferenced ' }, true],
    ['other title, same category, overlapping range', { title: 'Crash on empty input', startLine: 8, line: 11 }, true],
    ['other title, same category, other lines', { title: 'Crash on empty input', line: 12 }, false],
    ['other title, other category, same line', { title: 'Slow loop', category: 'performance' }, false],
    ['other path', { path: 'src/b.ts' }, false]
  ])('%s: %s', (_name, patch, expected) => {
    expect(isSameObservation(finding({}), finding(patch))).toBe(expected)
  })
})

describe('mergeEscalatedFindings', () => {
  it("keeps the escalation model's wording and confidence for a duplicate, and the review model's other findings", () => {
    const primary = [
      finding({ title: 'Null is dereferenced', body: 'Mini wording.', confidence: 0.6, severity: 'high' }),
      finding({ title: 'Leaks a file handle', category: 'error-handling', line: 30, confidence: 0.7 })
    ]
    const escalation = [finding({ title: 'null is dereferenced', body: 'Codex wording.', confidence: 0.95 })]
    const merged = mergeEscalatedFindings({ primary, escalation })
    expect(merged.duplicates).toBe(1)
    expect(merged.findings.map((f) => [f.title, f.body, f.confidence, f.severity])).toEqual([
      ['null is dereferenced', 'Codex wording.', 0.95, 'medium'],
      ['Leaks a file handle', 'Body.', 0.7, 'medium']
    ])
  })

  it("takes a duplicate's stated confidence only when the escalation model gave none", () => {
    const merged = mergeEscalatedFindings({
      primary: [finding({ confidence: 0.4 })],
      escalation: [finding({ body: 'Codex.' })]
    })
    expect(merged.findings).toEqual([finding({ body: 'Codex.', confidence: 0.4 })])
  })

  it('merges every review-model finding one escalation finding covers, and counts each once', () => {
    const primary = [finding({ line: 10 }), finding({ title: 'Other words for it', line: 11 }), finding({ line: 99 })]
    const escalation = [finding({ startLine: 9, line: 12 })]
    const merged = mergeEscalatedFindings({ primary, escalation })
    expect(merged.duplicates).toBe(3)
    expect(merged.findings).toHaveLength(1)
  })

  it('with nothing in common, keeps both lists whole', () => {
    const merged = mergeEscalatedFindings({
      primary: [finding({ path: 'src/b.ts' })],
      escalation: [finding({})]
    })
    expect(merged).toMatchObject({ duplicates: 0 })
    expect(merged.findings.map((f) => f.path)).toEqual(['src/a.ts', 'src/b.ts'])
  })
})
