import {
  buildCostReport,
  buildEscalationReport,
  collectModelCalls,
  formatCostOutput,
  priceCalls,
  totalUsage,
  type ModelCall
} from '../../src/engine/cost.js'
import type { Chunk, ChunkOutcome, ModelFinding, TokenUsage } from '../../src/types.js'

const MINI = 'openai/gpt-5-1-codex-mini'
const CODEX = 'openai/gpt-5-1-codex'
const usage = (inputTokens: number, outputTokens: number, cachedInputTokens = 0, reasoningTokens = 0): TokenUsage => ({
  inputTokens,
  cachedInputTokens,
  outputTokens,
  reasoningTokens
})
const chunk = (id: number, path = `src/f${id}.ts`): Chunk => ({
  id,
  pieces: [{ path, status: 'modified', hunks: [], part: 1, parts: 1 }],
  text: '',
  tokens: 0,
  changedLines: 0
})
const call = (model: string, use: TokenUsage, billedUsd?: number): ModelCall => ({
  model,
  usage: use,
  attempts: 1,
  escalation: false,
  ...(billedUsd === undefined ? {} : { billedUsd })
})
const finding = (title: string): ModelFinding => ({
  path: 'src/auth.ts',
  line: 4,
  startLine: null,
  severity: 'high',
  category: 'security',
  title,
  body: '',
  replacement: null,
  chunkId: 2
})

describe('priceCalls', () => {
  it.each([
    [
      'list prices, cached input at its own rate',
      [call(MINI, usage(1_000_000, 100_000, 400_000))],
      0.6 * 0.25 + 0.4 * 0.025 + 0.1 * 2,
      'estimated'
    ],
    ['the billed figure over the list price', [call(MINI, usage(1_000_000, 0), 0.5)], 0.5, 'billed'],
    [
      'billed and list-priced calls together',
      [call(MINI, usage(0, 1_000_000)), call(CODEX, usage(1, 1), 0.25)],
      2.25,
      'partly billed'
    ],
    ['no charge for a call that reached no model', [call('acme/unknown', usage(0, 0))], 0, 'estimated'],
    ['an unknown model that the provider billed', [call('acme/unknown', usage(10, 10), 0.01)], 0.01, 'billed']
  ])('%s', (_label, calls, usd, source) => {
    const priced = priceCalls(calls)
    expect(priced.source).toBe(source)
    expect(priced.usd).toBeCloseTo(usd, 10)
  })

  it('says unknown for an unknown model it has to price', () => {
    expect(priceCalls([call(MINI, usage(10, 10)), call('acme/unknown', usage(10, 10))])).toEqual({ source: 'unknown' })
  })
})

describe('collectModelCalls and buildCostReport', () => {
  const verification = {
    model: CODEX,
    usage: usage(3_000, 400, 0, 300),
    attempts: 1,
    billedUsd: 0.01,
    confirmed: 1,
    rejected: [finding('wrong')],
    unverified: 0
  }
  const outcomes: ChunkOutcome[] = [
    {
      ok: true,
      chunk: chunk(1),
      review: {
        findings: [],
        overview: '',
        usage: usage(10_000, 2_000, 0, 1_500),
        model: MINI,
        attempts: 1,
        billedUsd: 0.002
      }
    },
    {
      ok: true,
      chunk: chunk(2),
      review: {
        findings: [],
        overview: '',
        usage: usage(12_000, 3_000),
        model: MINI,
        attempts: 2,
        billedUsd: 0.003,
        verification
      }
    },
    {
      ok: true,
      chunk: chunk(3, 'src/auth/login.ts'),
      review: {
        findings: [],
        overview: '',
        usage: usage(8_000, 1_000),
        model: CODEX,
        attempts: 1,
        billedUsd: 0.02,
        escalatedFor: ['src/auth/login.ts']
      }
    },
    { ok: false, chunk: chunk(4), error: 'HTTP 500', usage: usage(0, 0), attempts: 3, billedUsd: 0.0005, model: MINI }
  ]

  it('counts every request: reviews, escalated reviews, verifications and failed attempts', () => {
    const calls = collectModelCalls(outcomes, MINI)
    expect(calls.map((c) => [c.model, c.escalation, c.billedUsd])).toEqual([
      [MINI, false, 0.002],
      [MINI, false, 0.003],
      [CODEX, true, 0.01],
      [CODEX, true, 0.02],
      [MINI, false, 0.0005]
    ])
  })

  it('reports tokens and dollars per model, billed figures summed', () => {
    const report = buildCostReport(collectModelCalls(outcomes, MINI))
    expect(report.rows).toEqual([
      {
        model: MINI,
        requests: 6,
        usage: usage(22_000, 5_000, 0, 1_500),
        usd: expect.closeTo(0.0055, 10),
        source: 'billed'
      },
      {
        model: CODEX,
        requests: 2,
        usage: usage(11_000, 1_400, 0, 300),
        usd: expect.closeTo(0.03, 10),
        source: 'billed'
      }
    ])
    expect(report.usd).toBeCloseTo(0.0355, 10)
    expect(report.source).toBe('billed')
    expect(report.usage).toEqual(usage(33_000, 6_400, 0, 1_800))
  })

  it('keeps totalUsage in step with the report (verification included)', () => {
    expect(totalUsage(outcomes)).toEqual(usage(33_000, 6_400, 0, 1_800))
  })

  it('names a failed chunk by the review model when the outcome does not say', () => {
    const failed: ChunkOutcome = { ok: false, chunk: chunk(1), error: 'x', usage: usage(100, 0), attempts: 1 }
    expect(collectModelCalls([failed], MINI)[0]?.model).toBe(MINI)
  })

  it('reports what escalation did and cost', () => {
    const report = buildEscalationReport({ outcomes, escalationModel: CODEX, verifySeverity: 'high' })
    expect(report).toMatchObject({
      model: CODEX,
      escalatedChunks: [{ id: 3, paths: ['src/auth/login.ts'], ok: true }],
      verifySeverity: 'high',
      verifiedChunks: 1,
      confirmed: 1,
      rejected: [{ path: 'src/auth.ts', line: 4, severity: 'high', title: 'wrong' }],
      unverified: 0,
      failedVerifications: 0,
      usage: usage(11_000, 1_400, 0, 300),
      source: 'billed'
    })
    expect(report?.usd).toBeCloseTo(0.03, 10)
  })

  it('has no escalation report when the escalation model was not called', () => {
    expect(buildEscalationReport({ outcomes: outcomes.slice(0, 1), escalationModel: CODEX })).toBeUndefined()
  })
})

describe('escalation by risk in the cost and escalation reports', () => {
  const escalated = (
    id: number,
    riskEscalation: NonNullable<ChunkOutcome & { ok: true }>['review']['riskEscalation']
  ) =>
    ({
      ok: true,
      chunk: chunk(id),
      review: {
        findings: [],
        overview: '',
        usage: usage(10_000, 3_000),
        model: MINI,
        attempts: 1,
        ...(riskEscalation === undefined ? {} : { riskEscalation })
      }
    }) satisfies ChunkOutcome
  const outcomes: ChunkOutcome[] = [
    escalated(1, {
      model: CODEX,
      risk: 'high',
      usage: usage(10_000, 3_000),
      attempts: 1,
      primaryFindings: 2,
      escalationFindings: 3,
      duplicates: 1
    }),
    escalated(2, {
      model: CODEX,
      risk: 'high',
      usage: usage(0, 0),
      attempts: 0,
      primaryFindings: 1,
      escalationFindings: 0,
      duplicates: 0,
      error: 'not reviewed: cost ceiling',
      failure: 'cost-ceiling'
    }),
    escalated(3, undefined)
  ]

  it('counts the second review as an escalation call at the escalation model', () => {
    const calls = collectModelCalls(outcomes, MINI)
    expect(calls.map((c) => [c.model, c.escalation, c.usage.inputTokens])).toEqual([
      [MINI, false, 10_000],
      [CODEX, true, 10_000],
      [MINI, false, 10_000],
      [CODEX, true, 0],
      [MINI, false, 10_000]
    ])
  })

  it('lists each chunk escalated by risk, made or refused, with its cost at list prices', () => {
    const report = buildEscalationReport({ outcomes, escalationModel: CODEX, escalateOnRisk: 'high' })
    expect(report).toMatchObject({
      escalateOnRisk: 'high',
      escalatedChunks: [],
      riskEscalatedChunks: [
        {
          id: 1,
          paths: ['src/f1.ts'],
          risk: 'high',
          ok: true,
          primaryFindings: 2,
          escalationFindings: 3,
          duplicates: 1
        },
        { id: 2, risk: 'high', ok: false, failure: 'cost-ceiling', error: 'not reviewed: cost ceiling' }
      ],
      usage: usage(10_000, 3_000),
      source: 'estimated'
    })
    // Five times the mini's list prices: $1.25 and $10 per million.
    expect(report?.usd).toBeCloseTo((10_000 * 1.25 + 3_000 * 10) / 1_000_000, 10)
  })
})

describe('formatCostOutput', () => {
  it.each([
    [{ costUsd: 0.0123456789, costSource: 'billed' as const }, '0.012346'],
    [{ costUsd: 0, costSource: 'estimated' as const }, '0'],
    [{ costSource: 'unknown' as const }, 'unknown']
  ])('%j → %s', (summary, expected) => {
    expect(formatCostOutput(summary)).toBe(expected)
  })
})
