import { mergeVerdicts } from '../../src/review/verdict.js'
import type { Chunk, ChunkOutcome, ChunkVerdict } from '../../src/types.js'
import { ZERO_USAGE } from '../../src/types.js'

const chunk = (id: number): Chunk => ({ id, pieces: [], text: '', tokens: 0, changedLines: 0 })
const reviewed = (id: number, verdict?: ChunkVerdict): ChunkOutcome => ({
  ok: true,
  chunk: chunk(id),
  review: {
    findings: [],
    overview: '',
    usage: ZERO_USAGE,
    model: 'm',
    attempts: 1,
    ...(verdict === undefined ? {} : { verdict })
  }
})
const failed = (id: number): ChunkOutcome => ({
  ok: false,
  chunk: chunk(id),
  error: 'HTTP 500',
  usage: ZERO_USAGE,
  attempts: 3
})

describe('mergeVerdicts', () => {
  it('any incorrect wins: the reasons of the incorrect chunks in chunk order, the lowest of their confidences', () => {
    const merged = mergeVerdicts([
      reviewed(3, { verdict: 'incorrect', reason: 'Drops the last row.', confidence: 0.8 }),
      reviewed(1, { verdict: 'correct', reason: 'Fine.', confidence: 0.3 }),
      reviewed(2, { verdict: 'incorrect', reason: 'Unchecked null.', confidence: 0.6 }),
      reviewed(4)
    ])
    expect(merged).toEqual({
      verdict: 'incorrect',
      confidence: 0.6,
      incorrect: [
        { chunkId: 2, reason: 'Unchecked null.', confidence: 0.6 },
        { chunkId: 3, reason: 'Drops the last row.', confidence: 0.8 }
      ],
      counts: { correct: 1, incorrect: 2, withoutVerdict: 1, notReviewed: 0 }
    })
  })

  it('correct when every verdict is correct, with the lowest confidence among all of them', () => {
    const merged = mergeVerdicts([
      reviewed(1, { verdict: 'correct', confidence: 0.9 }),
      reviewed(2, { verdict: 'correct', confidence: 0.7 })
    ])
    expect(merged).toEqual({
      verdict: 'correct',
      confidence: 0.7,
      incorrect: [],
      counts: { correct: 2, incorrect: 0, withoutVerdict: 0, notReviewed: 0 }
    })
  })

  it('counts chunks without a verdict and chunks not reviewed, and never guesses for them', () => {
    const merged = mergeVerdicts([reviewed(1, { verdict: 'correct', confidence: 0.9 }), reviewed(2), failed(3)])
    expect(merged.verdict).toBe('correct')
    expect(merged.counts).toEqual({ correct: 1, incorrect: 0, withoutVerdict: 1, notReviewed: 1 })
  })

  it('is none when no chunk gave a verdict', () => {
    expect(mergeVerdicts([reviewed(1), failed(2)])).toEqual({
      verdict: 'none',
      incorrect: [],
      counts: { correct: 0, incorrect: 0, withoutVerdict: 1, notReviewed: 1 }
    })
    expect(mergeVerdicts([]).verdict).toBe('none')
  })

  it('leaves the confidence out when the deciding verdicts gave none, and keeps an incorrect verdict without a reason', () => {
    const merged = mergeVerdicts([
      reviewed(1, { verdict: 'incorrect' }),
      reviewed(2, { verdict: 'correct', confidence: 0.2 })
    ])
    expect(merged).toEqual({
      verdict: 'incorrect',
      incorrect: [{ chunkId: 1 }],
      counts: { correct: 1, incorrect: 1, withoutVerdict: 0, notReviewed: 0 }
    })
  })

  it('takes the lowest known confidence when only some incorrect verdicts gave one', () => {
    const merged = mergeVerdicts([
      reviewed(1, { verdict: 'incorrect', confidence: 0.9 }),
      reviewed(2, { verdict: 'incorrect' })
    ])
    expect(merged.confidence).toBe(0.9)
  })
})
