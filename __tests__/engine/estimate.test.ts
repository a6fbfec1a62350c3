import { countTokens } from '../../src/chunk/tokens.js'
import {
  countCacheableTokens,
  estimateCost,
  measureRequestOverhead,
  resolvePrices,
  type RequestOverhead
} from '../../src/engine/estimate.js'
import { buildResponsesRequest } from '../../src/model/build-request.js'
import { REVIEW_INSTRUCTIONS } from '../../src/model/instructions.js'
import { findModelSpec } from '../../src/model/models.js'

describe('countCacheableTokens', () => {
  it.each([
    [0, 0],
    [1_023, 0],
    [1_024, 1_024],
    [1_151, 1_024],
    [1_152, 1_152],
    [5_000, 4_992]
  ])('a %i-token prefix has %i cacheable tokens (1,024 minimum, 128-token steps)', (prefix, cached) => {
    expect(countCacheableTokens(prefix)).toBe(cached)
  })
})

describe('measureRequestOverhead', () => {
  it('counts the instructions, and the PR text around the diff as sent', () => {
    const pullRequest = { title: 'Add a parser', body: 'It parses.' }
    const overhead = measureRequestOverhead(pullRequest)
    expect(overhead.instructionTokens).toBe(countTokens(REVIEW_INSTRUCTIONS))
    const chunk = {
      id: 1,
      pieces: [],
      text: '<file path="a.ts" status="added">\n   1 + x\n</file>\n',
      tokens: 0,
      changedLines: 1
    }
    const input = buildResponsesRequest({
      model: 'm',
      reasoningEffort: 'low',
      maxOutputTokens: 1024,
      chunk,
      pullRequest
    }).input
    // Counted apart, the wrapper and the chunk add up to the whole input, give or take a merge at each seam.
    expect(Math.abs(overhead.wrapperTokens + countTokens(chunk.text) - countTokens(input))).toBeLessThanOrEqual(2)
    expect(overhead.sharedPrefixTokens).toBeGreaterThan(overhead.instructionTokens + overhead.schemaTokens)
    expect(overhead.sharedPrefixTokens).toBeLessThan(
      overhead.instructionTokens + overhead.schemaTokens + overhead.wrapperTokens
    )
  })
})

describe('resolvePrices', () => {
  const list = findModelSpec('openai/gpt-5-1-codex-mini')!.price

  it.each([
    ['openai/gpt-5-1-codex-mini', {}, { ok: true, prices: list, source: 'list prices' }],
    [
      'openai/gpt-5-1-codex-mini',
      { output: 3 },
      { ok: true, prices: { ...list, output: 3 }, source: 'list prices and flags' }
    ],
    [
      'acme/unknown',
      { input: 1, cachedInput: 0.1, output: 4 },
      { ok: true, prices: { input: 1, cachedInput: 0.1, output: 4 }, source: 'flags' }
    ],
    ['acme/unknown', { input: 1 }, { ok: false, missing: ['--price-cached-input', '--price-output'] }]
  ])('%s with %j', (model, overrides, expected) => {
    expect(resolvePrices(model, overrides)).toEqual(expected)
  })
})

describe('estimateCost', () => {
  const overhead: RequestOverhead = {
    instructionTokens: 900,
    schemaTokens: 300,
    wrapperTokens: 100,
    sharedPrefixTokens: 1_250
  }
  const prices = { input: 0.25, cachedInput: 0.025, output: 2 }

  it('adds the per-request overhead to every chunk and caches the shared prefix after the first wave', () => {
    const estimate = estimateCost({
      chunkTokens: [10_000, 8_000, 6_000, 4_000, 2_000],
      overhead,
      concurrency: 2,
      outputTokensPerRequest: 3_000,
      maxOutputTokens: 16_000,
      prices
    })
    expect(estimate).toMatchObject({
      requests: 5,
      inputTokens: 30_000 + 5 * 1_300,
      cachedPerRequest: 1_152,
      cachedInputTokens: 3 * 1_152,
      outputTokens: 15_000,
      worstCaseOutputTokens: 80_000
    })
    const usd = ((36_500 - 3_456) * 0.25 + 3_456 * 0.025 + 15_000 * 2) / 1_000_000
    expect(estimate.usd).toBeCloseTo(usd, 12)
    expect(estimate.worstCaseUsd).toBeCloseTo((36_500 * 0.25 + 80_000 * 2) / 1_000_000, 12)
  })

  it('caches nothing when every request starts in the first wave, or the prefix is under 1,024 tokens', () => {
    const common = { overhead, outputTokensPerRequest: 1, maxOutputTokens: 1_024 }
    expect(estimateCost({ ...common, chunkTokens: [1, 2, 3], concurrency: 4 }).cachedInputTokens).toBe(0)
    const small = { ...overhead, sharedPrefixTokens: 1_000 }
    expect(estimateCost({ ...common, overhead: small, chunkTokens: [1, 2, 3], concurrency: 1 }).cachedInputTokens).toBe(
      0
    )
  })

  it('gives tokens but no dollars without prices', () => {
    const estimate = estimateCost({
      chunkTokens: [500],
      overhead,
      concurrency: 1,
      outputTokensPerRequest: 10,
      maxOutputTokens: 1_024
    })
    expect(estimate.inputTokens).toBe(1_800)
    expect(estimate.usd).toBeUndefined()
    expect(estimate.worstCaseUsd).toBeUndefined()
  })
})
