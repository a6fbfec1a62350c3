/**
 * The cost ceiling during the run, around the real chunk loop, routing and model client, against the loopback
 * Responses server: what it bills (`x-aimlapi-usd-spent`) is the real spending the guard must stop on.
 */
import { estimateChunks, planWithinCeiling, type RunCeiling } from '../../src/engine/ceiling-plan.js'
import { rankChunks } from '../../src/engine/chunk-importance.js'
import { createCostGuard } from '../../src/engine/cost-guard.js'
import { measureRequestOverhead } from '../../src/engine/estimate.js'
import { SILENT_LOGGER } from '../../src/engine/logger.js'
import { createModelRouting } from '../../src/engine/model-routing.js'
import { reviewAllChunks } from '../../src/engine/review-chunks.js'
import { planModels } from '../../src/model/model-plan.js'
import { MODEL_SPECS } from '../../src/model/models.js'
import type { ModelTransport } from '../../src/model/responses-client.js'
import type { Chunk, ChunkOutcome } from '../../src/types.js'
import { answerWith, type RecordedRequest } from '../../__fixtures__/servers/responses-server.js'
import { useLoopbackModel } from '../../__fixtures__/servers/loopback-model.js'

const MINI = 'openai/gpt-5-1-codex-mini'
const PULL = { title: 'A change', body: '' }
const SETTINGS = { reasoningEffort: 'medium' as const, maxOutputTokens: 4_000 }

const chunkOf = (id: number, path = `src/f${id}.ts`): Chunk => ({
  id,
  pieces: [{ path, status: 'added', hunks: [], part: 1, parts: 1 }],
  text: `<file path="${path}">\n@@ -0,0 +1,1 @@\n     1 + const f${id} = ${id}\n</file>\n`,
  tokens: 30,
  changedLines: 1
})

const loopback = useLoopbackModel()
const transport = (): ModelTransport => ({
  baseUrl: loopback.server.baseUrl,
  apiKey: 'k',
  dispatcher: loopback.agent,
  sleep: async () => undefined,
  maxRetries: 0
})
const isVerification = (request: RecordedRequest): boolean =>
  (request.body as { text: { format: { name: string } } }).text.format.name === 'finding_verdicts'

/** Answers every review with `findings` and bills `billedUsd` per request (none when undefined). */
function answer(options: { billedUsd?: number; findings?: unknown[] }): void {
  loopback.server.setHandler((request) => ({
    headers: (options.billedUsd === undefined ? {} : { 'x-aimlapi-usd-spent': String(options.billedUsd) }) as Record<
      string,
      string
    >,
    body: isVerification(request)
      ? answerWith(request, { verdicts: [] })
      : answerWith(request, { overview: 'o', findings: options.findings ?? [] })
  }))
}

/** Plans the chunks under a ceiling of `ceilingIn(estimate of one chunk)` and reviews them through the guard. */
async function reviewUnderCeiling(options: {
  readonly chunks: readonly Chunk[]
  readonly ceilingIn: (oneChunkUsd: number) => number
  readonly concurrency: number
  readonly verifySeverity?: 'high' | 'off'
}) {
  const estimates = estimateChunks({
    chunks: options.chunks,
    overhead: measureRequestOverhead(PULL),
    guidanceTokens: () => 0,
    modelFor: () => MINI,
    specs: MODEL_SPECS,
    settings: SETTINGS,
    source: 'max-cost-usd'
  })
  const one = estimates.get(options.chunks[0]?.id ?? 0)?.usd ?? 0
  const usd = options.ceilingIn(one)
  const ceiling: RunCeiling = { usd, source: 'max-cost-usd', maxRunUsd: usd, maxPullUsd: 0, spentBeforeUsd: 0 }
  const plan = planWithinCeiling({ ceiling, order: rankChunks(options.chunks), estimates })
  const guard = createCostGuard({ plan, specs: MODEL_SPECS, outputTokensPerRequest: 3_000 })
  const verifySeverity = options.verifySeverity ?? 'off'
  const routing = createModelRouting({
    plan: planModels({
      model: MINI,
      escalationModel: 'openai/gpt-5-1-codex',
      api: 'auto',
      ...SETTINGS,
      maxChunkTokens: 12_000,
      escalatePaths: [],
      verifySeverity
    }),
    escalatePaths: [],
    verifySeverity
  })
  const told: { started: number[]; finished: number[]; notSent: number[] } = { started: [], finished: [], notSent: [] }
  const outcomes = await reviewAllChunks({
    progress: {
      started: (chunk) => told.started.push(chunk.id),
      finished: (outcome) => told.finished.push(outcome.chunk.id),
      notSent: (outcome) => told.notSent.push(outcome.chunk.id)
    },
    chunks: options.chunks,
    transport: transport(),
    model: MINI,
    ...SETTINGS,
    concurrency: options.concurrency,
    pullRequest: PULL,
    logger: SILENT_LOGGER,
    routing,
    ceiling: guard
  })
  return { outcomes, guard, one, usd, told }
}

const refused = (outcomes: readonly ChunkOutcome[]) =>
  outcomes.filter((outcome) => !outcome.ok && outcome.failure === 'cost-ceiling').map((outcome) => outcome.chunk.id)

describe('the cost guard', () => {
  const five = [1, 2, 3, 4, 5].map((id) => chunkOf(id))

  it('sends every planned chunk when the real spending stays within the estimates', async () => {
    answer({})
    const { outcomes, guard } = await reviewUnderCeiling({ chunks: five, ceilingIn: (one) => 5 * one, concurrency: 2 })
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true)
    expect(loopback.server.requests).toHaveLength(5)
    expect(guard.refusals()).toEqual([])
  })

  it('tells the progress line of the chunks the plan leaves out, which are never started', async () => {
    answer({})
    const { outcomes, told } = await reviewUnderCeiling({ chunks: five, ceilingIn: (one) => 2.5 * one, concurrency: 2 })
    expect(refused(outcomes)).toEqual([3, 4, 5])
    expect(loopback.server.requests).toHaveLength(2)
    expect(told).toEqual({ started: [1, 2], finished: expect.arrayContaining([1, 2]) as number[], notSent: [3, 4, 5] })
  })

  it('after an underestimate with one request in flight, stops after that request', async () => {
    const { one } = await reviewUnderCeiling({ chunks: five, ceilingIn: () => 0, concurrency: 1 })
    loopback.server.requests.length = 0
    // Every request really costs ten times its estimate: the plan fits, the first answer shows it does not.
    answer({ billedUsd: 10 * one })
    const { outcomes, guard, usd, told } = await reviewUnderCeiling({
      chunks: five,
      ceilingIn: (estimate) => 5.05 * estimate,
      concurrency: 1
    })
    expect(loopback.server.requests).toHaveLength(1)
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, false, false, false, false])
    expect(refused(outcomes)).toEqual([2, 3, 4, 5])
    // Refused when their turn came, after they started: the progress line counts them done.
    expect(told).toEqual({ started: [1, 2, 3, 4, 5], finished: [1, 2, 3, 4, 5], notSent: [] })
    const failed = outcomes[1]
    expect(failed?.ok === false && failed.error).toMatch(/^not reviewed: cost ceiling \(needed about \$0\.\d{4}; /)
    expect(failed?.ok === false && failed.attempts).toBe(0)
    // The overshoot is the one request in flight's cost beyond its estimate.
    expect(guard.spentUsd() - usd).toBeLessThanOrEqual(10 * one - one)
    expect(guard.spentUsd()).toBeCloseTo(10 * one, 12)
  })

  it('with two requests in flight, stops after those two', async () => {
    const { one } = await reviewUnderCeiling({ chunks: five, ceilingIn: () => 0, concurrency: 1 })
    loopback.server.requests.length = 0
    answer({ billedUsd: 10 * one })
    const { outcomes, guard, usd } = await reviewUnderCeiling({
      chunks: five,
      ceilingIn: (estimate) => 5.05 * estimate,
      concurrency: 2
    })
    expect(loopback.server.requests).toHaveLength(2)
    expect(refused(outcomes)).toEqual([3, 4, 5])
    expect(guard.spentUsd() - usd).toBeLessThanOrEqual(2 * (10 * one - one))
  })

  it('sends the most important chunks first, so a late refusal hits the least important', async () => {
    const { one } = await reviewUnderCeiling({ chunks: five, ceilingIn: () => 0, concurrency: 1 })
    loopback.server.requests.length = 0
    answer({ billedUsd: 2.5 * one })
    const chunks = [chunkOf(1, 'docs/guide.md'), chunkOf(2, 'src/app.test.ts'), chunkOf(3, 'src/auth/login.ts')]
    const { outcomes } = await reviewUnderCeiling({ chunks, ceilingIn: (estimate) => 3 * estimate, concurrency: 1 })
    // Chunk 3 (security-sensitive source) goes first; its real cost leaves room for nothing else.
    expect(outcomes.map((outcome) => [outcome.chunk.id, outcome.ok])).toEqual([
      [1, false],
      [2, false],
      [3, true]
    ])
  })

  it('keeps a follow-up request from spending what the planned chunks need', async () => {
    const high = {
      path: 'src/f1.ts',
      line: 1,
      start_line: null,
      severity: 'high',
      category: 'bug',
      title: 't',
      body: 'b',
      replacement: null
    }
    answer({ findings: [high] })
    const { outcomes, guard } = await reviewUnderCeiling({
      chunks: five.slice(0, 2),
      ceilingIn: (estimate) => 2.01 * estimate,
      concurrency: 1,
      verifySeverity: 'high'
    })
    expect(loopback.server.requests.filter(isVerification)).toHaveLength(0)
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true)
    const first = outcomes[0]
    expect(first?.ok === true && first.review.verification?.error).toMatch(/^not sent: cost ceiling/)
    expect(first?.ok === true && first.review.findings).toHaveLength(1)
    expect(guard.refusals().map((refusal) => refusal.kind)).toEqual(['follow-up', 'follow-up'])
  })
})
