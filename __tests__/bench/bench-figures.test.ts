/** The benchmark's own arithmetic: the figures in BENCHMARKS.md are only as good as these. */
import { readFileSync } from 'node:fs'
import { countReviewableTokens, measureRequests } from '../../bench/requests.js'
import { median } from '../../bench/stats.js'
import { simulateSchedule } from '../../bench/wall-time.js'
import { measureEscalationCost, rateChunk, readSentChunk } from '../../bench/escalation.js'
import { prepareReview } from '../../src/engine/prepare.js'
import { prepareOptions } from '../../bench/planning.js'
import { countReached, countReviewedRawTokens, missedPairs } from '../../bench/context.js'
import { countTokens } from '../../src/chunk/tokens.js'
import type { Chunk } from '../../src/types.js'

const SAMPLE_DIFF = readFileSync(new URL('../../__fixtures__/e2e/sample-pr.diff', import.meta.url), 'utf8')

describe('median', () => {
  it.each([
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[7], 7]
  ])('of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected)
  })
})

describe('simulateSchedule', () => {
  it.each([
    [[100, 100, 100], 1, 300],
    [[100, 100, 100], 2, 200],
    [[300, 100, 100, 100], 2, 300],
    [[100, 100, 100, 300], 2, 400],
    [[50, 60], 8, 60]
  ])('latencies %j at concurrency %i finish at %i ms', (latencies, concurrency, expected) => {
    expect(simulateSchedule(latencies, concurrency)).toBe(expected)
  })
})

describe('measureRequests', () => {
  const prepared = prepareReview({ kind: 'unified', text: SAMPLE_DIFF }, prepareOptions(256))
  const { reviewable } = prepared.filter
  const reviewableTokens = countReviewableTokens(reviewable)

  it('finds every reviewable changed line sent exactly once, and requests at or above the lower bound', () => {
    const figures = measureRequests({ reviewable, plan: prepared.plan, budget: 256, reviewableTokens })
    expect(figures.requests).toBe(prepared.plan.chunks.length)
    expect(figures.requests).toBeGreaterThanOrEqual(figures.lowerBound)
    expect(figures.lowerBound).toBe(Math.ceil(reviewableTokens / 256))
    expect(figures.sentChangedLines).toBe(figures.reviewableChangedLines)
    expect([figures.missingLines, figures.repeatedLines]).toEqual([0, 0])
  })

  it('notices lines that are missing or sent twice', () => {
    const [first, ...rest] = prepared.plan.chunks
    expect(first).toBeDefined()
    const dropped = { chunks: rest, totalTokens: 0 }
    expect(measureRequests({ reviewable, plan: dropped, budget: 256, reviewableTokens }).missingLines).toBeGreaterThan(
      0
    )
    const doubled = { chunks: [first!, ...prepared.plan.chunks], totalTokens: 0 }
    expect(measureRequests({ reviewable, plan: doubled, budget: 256, reviewableTokens }).repeatedLines).toBeGreaterThan(
      0
    )
  })
})

describe('the escalation benchmark', () => {
  it.each([
    [{ paths: ['src/auth/session.ts'], added: ['const a = 1'] }, 'high'],
    [{ paths: ['src/view.js'], added: ['el.innerHTML = html'] }, 'high'],
    [{ paths: ['src/view.js'], added: ['const total = a + b'] }, 'medium'],
    [{ paths: ['README.md'], added: ['More words.'] }, 'low'],
    [{ paths: ['src/view.js'], added: [] }, 'low']
  ] as const)('rates %j %s', (sent, risk) => {
    expect(rateChunk(sent)).toBe(risk)
  })

  it('reads the paths and added lines a request carries', () => {
    const input =
      '<pull_request>x</pull_request>\n\n<diff>\n<file path="src/a.ts">\n@@ -1 +1 @@\n     3 + eval(x)\n     4   y\n</file>\n</diff>'
    expect(readSentChunk(input)).toEqual({ paths: ['src/a.ts'], added: ['eval(x)'] })
  })

  it('escalates exactly the chunks rated at the gate, and prices a second review at five times the first', async () => {
    const prepared = prepareReview({ kind: 'unified', text: SAMPLE_DIFF }, prepareOptions(256))
    const figures = await measureEscalationCost({ prepared, budget: 256 })
    const gate = (name: string) => figures.gates.find((entry) => entry.gate === name)!
    expect(figures.rated.high + figures.rated.medium + figures.rated.low).toBe(figures.chunks)
    expect(gate('off')).toMatchObject({ escalated: 0, escalationUsd: 0, requests: figures.chunks })
    expect(gate('high').escalated).toBe(figures.rated.high)
    expect(gate('medium').escalated).toBe(figures.rated.high + figures.rated.medium)
    expect(gate('medium').requests).toBe(figures.chunks + gate('medium').escalated)
    expect(gate('high').usd - gate('off').usd).toBeCloseTo(gate('high').escalationUsd, 10)
    // Every chunk again: five times the mini's list prices on every token type.
    expect(figures.everyChunkUsd / gate('off').usd).toBeCloseTo(6, 6)
  })
})

describe('the context benchmark’s reach', () => {
  const prepared = prepareReview({ kind: 'unified', text: SAMPLE_DIFF }, prepareOptions(12_000))
  const [chunk] = prepared.plan.chunks
  const piece = chunk?.pieces[0]
  const added = piece?.hunks.flatMap((hunk) => hunk.lines).find((line) => line.kind === 'add')?.newNumber ?? 0
  const shown = piece?.hunks.flatMap((hunk) => hunk.lines).find((line) => line.kind === 'context')?.newNumber ?? 0
  const pair = (targetPath: string, targetLine: number) => ({
    kind: 'cross-file' as const,
    path: piece?.path ?? '',
    addedLine: added,
    targetPath,
    targetLine
  })

  it('counts a pair reached when its line is in the context or the diff of the request holding its added line', () => {
    const withContext = {
      ...(chunk as Chunk),
      context: {
        text: '',
        tokens: 0,
        blocks: [{ path: 'lib/x.js', start: 10, end: 20, kinds: ['definition' as const], tokens: 0 }]
      }
    }
    const pairs = [pair('lib/x.js', 15), pair('lib/x.js', 21), pair(piece?.path ?? '', shown)]
    expect(countReached([withContext], pairs)).toEqual({ sameFile: 0, crossFile: 2 })
    expect(missedPairs([withContext], pairs)).toEqual([pairs[1]])
  })

  it('counts the raw diff of reviewed files only', () => {
    const sections = SAMPLE_DIFF.split(/^(?=diff --git )/m).filter((section) => section !== '')
    const reviewed = new Set(prepared.filter.reviewable.map((file) => file.path))
    expect(countReviewedRawTokens(SAMPLE_DIFF, reviewed)).toBeLessThanOrEqual(countTokens(SAMPLE_DIFF))
    expect(countReviewedRawTokens(SAMPLE_DIFF, new Set())).toBe(0)
    expect(sections.length).toBeGreaterThan(reviewed.size)
  })
})
