import { planModels, type ModelPlanSettings } from '../../src/model/model-plan.js'
import type { ModelTransport } from '../../src/model/responses-client.js'
import { createModelRouting, planModelRouting, reviewChunkRouted } from '../../src/engine/model-routing.js'
import type { Chunk } from '../../src/types.js'
import { answerWith, type RecordedRequest } from '../../__fixtures__/servers/responses-server.js'
import { useLoopbackModel } from '../../__fixtures__/servers/loopback-model.js'

const chunk = (path: string): Chunk => ({
  id: 5,
  pieces: [{ path, status: 'added', hunks: [], part: 1, parts: 1 }],
  text: `<file path="${path}">\n 1 + x`,
  tokens: 10,
  changedLines: 1
})
const finding = (severity: string) => ({
  path: 'a.ts',
  line: 1,
  start_line: null,
  severity,
  category: 'bug',
  title: severity,
  body: 'b',
  replacement: null
})
const SETTINGS: ModelPlanSettings = {
  model: 'openai/gpt-5-1-codex-mini',
  escalationModel: 'openai/gpt-5-1-codex',
  api: 'auto',
  reasoningEffort: 'medium',
  maxChunkTokens: 12_000,
  maxOutputTokens: 4_000,
  escalatePaths: ['src/auth/**'],
  verifySeverity: 'high'
}
const REQUEST = {
  model: SETTINGS.model,
  reasoningEffort: 'medium' as const,
  maxOutputTokens: 4_000,
  pullRequest: { title: 't', body: 'b' }
}
const isVerification = (request: RecordedRequest): boolean =>
  (request.body as { text: { format: { name: string } } }).text.format.name === 'finding_verdicts'

const loopback = useLoopbackModel()
beforeEach(() => {
  loopback.server.setHandler((request) =>
    isVerification(request)
      ? { body: answerWith(request, { verdicts: [{ index: 0, verdict: 'rejected', reason: 'No.' }] }) }
      : { body: answerWith(request, { overview: 'o', findings: [finding('high'), finding('low')] }) }
  )
})

const transport = (): ModelTransport => ({
  baseUrl: loopback.server.baseUrl,
  apiKey: 'k',
  dispatcher: loopback.agent,
  sleep: async () => undefined
})
const routing = (patch: Partial<ModelPlanSettings> = {}) =>
  createModelRouting({
    plan: planModels({ ...SETTINGS, ...patch }),
    escalatePaths: patch.escalatePaths ?? SETTINGS.escalatePaths,
    verifySeverity: patch.verifySeverity ?? SETTINGS.verifySeverity
  })
const models = () =>
  loopback.server.requests.map((request) => [(request.body as { model: string }).model, isVerification(request)])

describe('reviewChunkRouted', () => {
  it('reviews an escalated chunk with the escalation model once, without verifying it again', async () => {
    const outcome = await reviewChunkRouted({
      transport: transport(),
      chunk: chunk('src/auth/a.ts'),
      request: REQUEST,
      routing: routing()
    })
    expect(models()).toEqual([['openai/gpt-5-1-codex', false]])
    expect(outcome).toMatchObject({
      ok: true,
      review: { model: 'openai/gpt-5-1-codex', escalatedFor: ['src/auth/a.ts'] }
    })
    if (outcome.ok) expect(outcome.review.findings).toHaveLength(2)
  })

  it('verifies the mini findings at or above the gate and drops the rejected ones', async () => {
    const outcome = await reviewChunkRouted({
      transport: transport(),
      chunk: chunk('src/ui.ts'),
      request: REQUEST,
      routing: routing()
    })
    expect(models()).toEqual([
      ['openai/gpt-5-1-codex-mini', false],
      ['openai/gpt-5-1-codex', true]
    ])
    if (!outcome.ok) throw new Error('expected a review')
    expect(outcome.review.findings.map((f) => f.severity)).toEqual(['low'])
    expect(outcome.review.verification).toMatchObject({
      model: 'openai/gpt-5-1-codex',
      confirmed: 0,
      unverified: 0,
      attempts: 1
    })
    expect(outcome.review.verification?.rejected.map((f) => f.severity)).toEqual(['high'])
  })

  it('sends no verification when no finding reaches the gate', async () => {
    await reviewChunkRouted({
      transport: transport(),
      chunk: chunk('src/ui.ts'),
      request: REQUEST,
      routing: routing({ verifySeverity: 'critical' })
    })
    expect(models()).toEqual([['openai/gpt-5-1-codex-mini', false]])
  })

  it('without routing, reviews with request.model through /responses as before', async () => {
    const outcome = await reviewChunkRouted({ transport: transport(), chunk: chunk('src/auth/a.ts'), request: REQUEST })
    expect(models()).toEqual([['openai/gpt-5-1-codex-mini', false]])
    expect(outcome.ok && outcome.review.escalatedFor).toBe(undefined)
  })

  it('plans the routing from the settings and logs which model serves which endpoint', () => {
    const lines: string[] = []
    const logger = {
      info: (line: string) => lines.push(`info ${line}`),
      notice: (line: string) => lines.push(`notice ${line}`)
    }
    planModelRouting({ ...SETTINGS, model: 'acme/x' }, logger)
    expect(lines[0]).toMatch(/^notice Model "acme\/x"/)
    expect(lines[1]).toBe('info Review model: acme/x via /responses; escalation: openai/gpt-5-1-codex via /responses.')
  })
})

describe('reviewChunkRouted with escalate-on-risk', () => {
  const MINI = 'openai/gpt-5-1-codex-mini'
  const CODEX = 'openai/gpt-5-1-codex'
  /** The mini rates the chunk `risk`; the escalation model rewords the high finding and adds one of its own. */
  const answerAs = (risk: string, codexStatus = 200) =>
    loopback.server.setHandler((request) => {
      const model = (request.body as { model: string }).model
      if (model === CODEX && codexStatus !== 200) return { status: codexStatus, body: { message: 'down' } }
      const findings =
        model === MINI
          ? [
              { ...finding('high'), title: 'Token is logged', confidence: 0.6 },
              { ...finding('low'), category: 'maintainability' }
            ]
          : [
              { ...finding('high'), title: 'token is LOGGED', body: 'Codex words.', confidence: 0.9 },
              { ...finding('medium'), title: 'Race on refresh', category: 'concurrency' }
            ]
      return {
        body: answerWith(request, { overview: `by ${model}`, risk: model === MINI ? risk : 'medium', findings })
      }
    })
  const riskRouting = (escalateOnRisk: 'off' | 'high' | 'medium') =>
    createModelRouting({
      plan: planModels({ ...SETTINGS, escalatePaths: [], verifySeverity: 'off', escalateOnRisk }),
      escalatePaths: [],
      verifySeverity: 'off',
      escalateOnRisk
    })
  const review = (escalateOnRisk: 'off' | 'high' | 'medium') =>
    reviewChunkRouted({
      transport: transport(),
      chunk: chunk('src/ui.ts'),
      request: REQUEST,
      routing: riskRouting(escalateOnRisk)
    })

  it('reviews a chunk rated at the gate again and merges both reviews without duplicates', async () => {
    answerAs('high')
    const outcome = await review('high')
    expect(models()).toEqual([
      [MINI, false],
      [CODEX, false]
    ])
    if (!outcome.ok) throw new Error('expected a review')
    expect(outcome.review.findings.map((f) => [f.title, f.confidence ?? null])).toEqual([
      ['token is LOGGED', 0.9],
      ['Race on refresh', null],
      ['low', null]
    ])
    expect(outcome.review).toMatchObject({
      model: MINI,
      overview: `by ${CODEX}`,
      risk: 'medium',
      riskEscalation: {
        model: CODEX,
        risk: 'high',
        primaryFindings: 2,
        escalationFindings: 2,
        duplicates: 1,
        attempts: 1
      }
    })
  })

  it.each<['high' | 'medium' | 'off', string, number]>([
    ['high', 'medium', 1],
    ['medium', 'medium', 2],
    ['medium', 'low', 1],
    ['off', 'high', 1]
  ])('gate %s, chunk rated %s: %i request(s)', async (gate, risk, requests) => {
    answerAs(risk)
    const outcome = await review(gate)
    expect(loopback.server.requests).toHaveLength(requests)
    expect(outcome.ok && outcome.review.riskEscalation !== undefined).toBe(requests === 2)
  })

  it('keeps the first review when the escalated one fails, and records why', async () => {
    answerAs('high', 400)
    const outcome = await review('high')
    if (!outcome.ok) throw new Error('expected a review')
    expect(outcome.review.findings.map((f) => f.title)).toEqual(['Token is logged', 'low'])
    expect(outcome.review.riskEscalation).toMatchObject({ model: CODEX, escalationFindings: 0, duplicates: 0 })
    expect(outcome.review.riskEscalation?.error).toMatch(/400/)
  })
})
