import {
  describeCeiling,
  estimateChunks,
  planWithinCeiling,
  resolveCeiling,
  type ChunkEstimate,
  type RunCeiling
} from '../../src/engine/ceiling-plan.js'
import type { ChunkImportance } from '../../src/engine/chunk-importance.js'
import { estimateCost, measureRequestOverhead } from '../../src/engine/estimate.js'
import { ConfigError } from '../../src/errors.js'
import { MODEL_SPECS } from '../../src/model/models.js'
import type { Chunk } from '../../src/types.js'

const MINI = 'openai/gpt-5-1-codex-mini'
const CODEX = 'openai/gpt-5-1-codex'

describe('resolveCeiling', () => {
  it.each([
    ['neither limit', { maxRunUsd: 0, maxPullUsd: 0, spentBeforeUsd: 3 }, undefined],
    ['the run limit alone', { maxRunUsd: 0.5, maxPullUsd: 0, spentBeforeUsd: 3 }, [0.5, 'max-cost-usd']],
    [
      'what the pull request limit leaves',
      { maxRunUsd: 0, maxPullUsd: 2, spentBeforeUsd: 1.5 },
      [0.5, 'max-pr-cost-usd']
    ],
    ['the lower of the two', { maxRunUsd: 0.4, maxPullUsd: 2, spentBeforeUsd: 1.5 }, [0.4, 'max-cost-usd']],
    [
      'nothing left of the pull request limit',
      { maxRunUsd: 1, maxPullUsd: 2, spentBeforeUsd: 2.5 },
      [0, 'max-pr-cost-usd']
    ]
  ] as const)('%s', (_name, limits, expected) => {
    const ceiling = resolveCeiling(limits)
    expect(ceiling === undefined ? undefined : [ceiling.usd, ceiling.source]).toEqual(expected)
  })

  it('names the ceiling and what earlier runs spent', () => {
    const pull = resolveCeiling({ maxRunUsd: 0, maxPullUsd: 2, spentBeforeUsd: 1.5 }) as RunCeiling
    expect(describeCeiling(pull)).toBe('the $0.5000 left of max-pr-cost-usd $2.00 (earlier runs spent $1.50)')
  })
})

describe('planWithinCeiling', () => {
  const estimate = (id: number, usd: number): ChunkEstimate => ({
    id,
    model: MINI,
    inputTokens: 1,
    outputTokens: 1,
    usd
  })
  const order: ChunkImportance[] = [3, 1, 2, 4].map((id) => ({ id, kind: 'source', pathRisk: 0 }))
  const estimates = new Map(
    [estimate(1, 0.2), estimate(2, 0.5), estimate(3, 0.3), estimate(4, 0.05)].map((e) => [e.id, e])
  )
  const ceiling = (usd: number): RunCeiling => ({
    usd,
    source: 'max-cost-usd',
    maxRunUsd: usd,
    maxPullUsd: 0,
    spentBeforeUsd: 0
  })

  it('takes chunks in order of importance and stops at the first that does not fit, even if a later one would', () => {
    const plan = planWithinCeiling({ ceiling: ceiling(0.6), order, estimates })
    expect([...plan.selected]).toEqual([3, 1])
    expect(plan.excluded.map((chunk) => chunk.id)).toEqual([2, 4])
    expect(plan.plannedUsd).toBeCloseTo(0.5, 10)
    expect(plan.totalUsd).toBeCloseTo(1.05, 10)
  })

  it('keeps every chunk when the whole plan fits exactly', () => {
    const plan = planWithinCeiling({ ceiling: ceiling(1.05), order, estimates })
    expect(plan.excluded).toEqual([])
    expect(plan.selected.size).toBe(4)
  })

  it('reviews nothing when not even the most important chunk fits', () => {
    expect(planWithinCeiling({ ceiling: ceiling(0.1), order, estimates }).selected.size).toBe(0)
  })
})

describe('estimateChunks', () => {
  const chunk = (id: number, tokens: number, path = `src/f${id}.ts`): Chunk => ({
    id,
    pieces: [{ path, status: 'added', hunks: [], part: 1, parts: 1 }],
    text: '',
    tokens,
    changedLines: 1
  })
  const overhead = measureRequestOverhead({ title: 'A change', body: 'Why.' })
  const settings = { reasoningEffort: 'medium' as const, maxOutputTokens: 16_000 }

  it("prices each chunk alone with the dry run's estimator, its guidance included, at the model that reviews it", () => {
    const chunks = [chunk(1, 4_000), chunk(2, 4_000, 'src/auth/a.ts')]
    const estimates = estimateChunks({
      chunks,
      overhead,
      guidanceTokens: (c) => (c.id === 1 ? 500 : 0),
      modelFor: (c) => (c.pieces[0]?.path.includes('auth') === true ? CODEX : MINI),
      specs: MODEL_SPECS,
      settings,
      source: 'max-cost-usd'
    })
    const alone = (tokens: number, prices: { input: number; cachedInput: number; output: number }) =>
      estimateCost({
        chunkTokens: [tokens],
        overhead,
        concurrency: 1,
        outputTokensPerRequest: 3_000,
        maxOutputTokens: 16_000,
        prices
      }).usd
    expect(estimates.get(1)).toMatchObject({ model: MINI, outputTokens: 3_000 })
    expect(estimates.get(1)?.usd).toBeCloseTo(alone(4_500, { input: 0.25, cachedInput: 0.025, output: 2 }) ?? NaN, 12)
    expect(estimates.get(2)?.usd).toBeCloseTo(alone(4_000, { input: 1.25, cachedInput: 0.125, output: 10 }) ?? NaN, 12)
    // Five times the mini's prices on every token type.
    expect(
      (estimates.get(2)?.usd ?? 0) / (alone(4_000, { input: 0.25, cachedInput: 0.025, output: 2 }) ?? 1)
    ).toBeCloseTo(5, 10)
  })

  it('refuses a ceiling it cannot price, naming the input', () => {
    const estimate = () =>
      estimateChunks({
        chunks: [chunk(1, 100)],
        overhead,
        guidanceTokens: () => 0,
        modelFor: () => 'acme/unknown',
        specs: MODEL_SPECS,
        settings,
        source: 'max-pr-cost-usd'
      })
    expect(estimate).toThrow(ConfigError)
    expect(estimate).toThrow(/Input "max-pr-cost-usd" is set, but acme\/unknown has no list prices/)
  })
})
