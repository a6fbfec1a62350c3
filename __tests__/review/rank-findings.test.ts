import { compareConfidence, compareSeverityThenConfidence } from '../../src/review/rank-findings.js'
import type { Severity } from '../../src/types.js'

describe('compareConfidence', () => {
  it.each<[number | undefined, number | undefined, '<' | '>' | '=']>([
    [0.9, 0.4, '<'],
    [0.4, 0.9, '>'],
    [0.6, 0.6, '='],
    [0.1, undefined, '<'],
    [undefined, 0.1, '>'],
    [undefined, undefined, '=']
  ])('%p vs %p: the first sorts %s', (a, b, expected) => {
    const sign = Math.sign(compareConfidence(a, b))
    expect(sign === -1 ? '<' : sign === 1 ? '>' : '=').toBe(expected)
  })
})

describe('compareSeverityThenConfidence', () => {
  const entry = (severity: Severity, confidence?: number) => ({
    severity,
    ...(confidence === undefined ? {} : { confidence })
  })
  it('orders by severity first, then confidence, unknown confidence last within a severity', () => {
    const entries = [
      entry('medium', 0.9),
      entry('high', 0.2),
      entry('high'),
      entry('high', 0.8),
      entry('nit', 1),
      entry('critical', 0.1)
    ]
    const sorted = [...entries].sort(compareSeverityThenConfidence)
    expect(sorted).toEqual([
      entry('critical', 0.1),
      entry('high', 0.8),
      entry('high', 0.2),
      entry('high'),
      entry('medium', 0.9),
      entry('nit', 1)
    ])
  })
})
