/** The escalation model's confidence: read from its answer, and winning over the review model's. */
import type { ModelTransport } from '../../src/model/responses-client.js'
import { formatFindingsToVerify, readRechecks, verifyFindings } from '../../src/model/verify-findings.js'
import { applyVerdicts } from '../../src/review/escalation.js'
import type { Chunk, ModelFinding } from '../../src/types.js'
import { answerWith } from '../../__fixtures__/servers/responses-server.js'
import { useLoopbackModel } from '../../__fixtures__/servers/loopback-model.js'

const CHUNK: Chunk = {
  id: 4,
  pieces: [],
  text: '<file path="src/pay.ts">\n 8 + total = price * qty',
  tokens: 20,
  changedLines: 1
}
const finding = (title: string, confidence?: number): ModelFinding => ({
  path: 'src/pay.ts',
  line: 8,
  startLine: null,
  severity: 'high',
  category: 'bug',
  title,
  body: 'When `qty` is negative the total goes negative.',
  replacement: null,
  ...(confidence === undefined ? {} : { confidence }),
  chunkId: 4
})

const loopback = useLoopbackModel()

describe('readRechecks', () => {
  it('reads a clamped confidence beside each verdict, the first answer for an index winning with its confidence', () => {
    const text = JSON.stringify({
      verdicts: [
        { index: 0, verdict: 'confirmed', reason: 'Yes.', confidence: 0.92 },
        { index: 1, verdict: 'rejected', reason: 'No.', confidence: -0.1 },
        { index: 0, verdict: 'rejected', reason: 'Changed my mind.', confidence: 0.1 },
        { index: 2, verdict: 'confirmed', reason: 'Out of range.', confidence: 0.5 }
      ]
    })
    const { verdicts, confidences } = readRechecks(text, 2)
    expect([...verdicts]).toEqual([
      [0, 'confirmed'],
      [1, 'rejected']
    ])
    expect([...confidences]).toEqual([
      [0, 0.92],
      [1, 0]
    ])
  })

  it('keeps a verdict whose confidence is missing or null, without a confidence', () => {
    const text = JSON.stringify({
      verdicts: [
        { index: 0, verdict: 'confirmed', reason: 'Yes.' },
        { index: 1, verdict: 'confirmed', reason: 'Yes.', confidence: null }
      ]
    })
    const { verdicts, confidences } = readRechecks(text, 2)
    expect(verdicts.size).toBe(2)
    expect(confidences.size).toBe(0)
  })

  it('refuses a confidence that is not a number', () => {
    const text = JSON.stringify({ verdicts: [{ index: 0, verdict: 'confirmed', reason: 'Yes.', confidence: 'high' }] })
    expect(() => readRechecks(text, 1)).toThrow(/schema/)
  })
})

describe('the findings sent for verification', () => {
  it('do not show the review model its own confidence: the second look is independent', () => {
    expect(formatFindingsToVerify([finding('Negative total', 0.4)])).not.toContain('confidence')
  })
})

describe('verifyFindings with confidences', () => {
  it('returns the confidences with the verdicts', async () => {
    loopback.server.setHandler((request) => ({
      body: answerWith(request, {
        verdicts: [
          { index: 0, verdict: 'confirmed', reason: 'Yes.', confidence: 0.95 },
          { index: 1, verdict: 'rejected', reason: 'No.', confidence: 0.05 }
        ]
      })
    }))
    const transport: ModelTransport = {
      baseUrl: loopback.server.baseUrl,
      apiKey: 'k',
      dispatcher: loopback.agent,
      sleep: async () => undefined,
      random: () => 0,
      maxRetries: 0
    }
    const outcome = await verifyFindings({
      transport,
      endpoint: 'responses',
      model: 'openai/gpt-5-1-codex',
      reasoningEffort: 'medium',
      maxOutputTokens: 4_000,
      maxOutputTokensCeiling: 128_000,
      chunk: CHUNK,
      pullRequest: { title: 'T', body: 'B' },
      findings: [finding('a', 0.3), finding('b', 0.9)]
    })
    expect(outcome.ok).toBe(true)
    if (outcome.ok)
      expect([...outcome.confidences]).toEqual([
        [0, 0.95],
        [1, 0.05]
      ])
  })
})

describe('applyVerdicts with confidences', () => {
  const findings = [
    finding('kept as is', 0.6),
    finding('confirmed', 0.3),
    finding('rejected', 0.9),
    finding('unanswered', 0.7),
    finding('confirmed, no confidence', 0.4)
  ]
  const toVerify = findings.slice(1)
  const verdicts = new Map([
    [0, 'confirmed'],
    [1, 'rejected'],
    [3, 'confirmed']
  ] as const)
  // Index 2 has a confidence but no verdict: ignored, the finding stays unverified with its own score.
  const confidences = new Map([
    [0, 0.85],
    [1, 0.1],
    [2, 0.05]
  ])
  const applied = applyVerdicts({ findings, toVerify, verdicts, confidences, model: 'openai/gpt-5-1-codex' })

  it("gives a re-checked finding the escalation model's confidence instead of the review model's", () => {
    expect(applied.kept.map((kept) => [kept.title, kept.confidence, kept.verifiedBy])).toEqual([
      ['kept as is', 0.6, undefined],
      ['confirmed', 0.85, 'openai/gpt-5-1-codex'],
      ['unanswered', 0.7, undefined],
      ['confirmed, no confidence', 0.4, 'openai/gpt-5-1-codex']
    ])
  })

  it('keeps the confidence of the rejection on the rejected finding', () => {
    expect(applied.rejected.map((rejected) => [rejected.title, rejected.confidence])).toEqual([['rejected', 0.1]])
  })

  it('never changes the findings it was given', () => {
    expect(findings.map((original) => original.confidence)).toEqual([0.6, 0.3, 0.9, 0.7, 0.4])
  })

  it('works as before without confidences', () => {
    const plain = applyVerdicts({ findings, toVerify, verdicts, model: 'm' })
    expect(plain.kept.map((kept) => kept.confidence)).toEqual([0.6, 0.3, 0.7, 0.4])
  })
})
