/**
 * The action's later review stages in the CLI: model routing (the endpoint each model is served by, the
 * model check before any request), escalation by path, the time budget and the token-rate limit, and the
 * per-model cost report. Requests go to the loopback Responses server, which serves both endpoints.
 */
import type { ReviewReport } from '../../src/cli/review-report.js'
import { EXIT_INCOMPLETE, EXIT_OK, EXIT_USAGE } from '../../src/cli/run-cli.js'
import type { ReviewClock } from '../../src/engine/review-limits.js'
import { readSentDiff, scriptFindings } from '../../__fixtures__/model/scripted-reviewer.js'
import { answerWith, startResponsesServer, type ResponsesServer } from '../../__fixtures__/servers/responses-server.js'
import { createFeatureRepo, runCliCapture, type TempRepo } from './cli-harness.js'

const API_KEY = 'sk-cli-stages-LOOPBACK-7f3a'
const USAGE = { input_tokens: 1_000, cached_tokens: 0, output_tokens: 200 }

/** A clock the test moves: sleeps advance it, and `advance` jumps it. */
function createManualClock(): { clock: ReviewClock; advance(ms: number): void; slept: number[] } {
  let now = 1_700_000_000_000
  const slept: number[] = []
  return {
    slept,
    advance: (ms) => {
      now += ms
    },
    clock: {
      now: () => now,
      sleep: async (ms) => {
        slept.push(ms)
        now += ms
      },
      schedule: () => () => undefined
    }
  }
}

describe('review stages in the CLI', () => {
  let model: ResponsesServer
  let repo: TempRepo
  const env = { CODEX_REVIEW_API_KEY: API_KEY }

  beforeAll(() => {
    repo = createFeatureRepo()
  })
  afterAll(() => repo.remove())
  beforeEach(async () => {
    model = await startResponsesServer((request) => ({ body: answerWith(request, scriptFindings(request), USAGE) }))
  })
  afterEach(async () => model.close())

  it('sends openai/gpt-5-1 to /chat/completions, as the action routes it', async () => {
    const result = await runCliCapture(['--base-url', model.baseUrl, '--model', 'openai/gpt-5-1', '--format', 'json'], {
      cwd: repo.dir,
      env
    })

    expect(result.code).toBe(EXIT_OK)
    expect(model.requests.map((request) => request.path)).toEqual(['/v1/chat/completions'])
    expect((model.requests[0]?.body as { model: string }).model).toBe('openai/gpt-5-1')
    expect(result.stderr).toContain('Review model: openai/gpt-5-1 via /chat/completions.')
    const report = JSON.parse(result.stdout) as ReviewReport
    expect(report.counts.placed).toBeGreaterThan(0)
    expect(report.modelCosts).toEqual([
      expect.objectContaining({ model: 'openai/gpt-5-1', requests: 1, source: 'estimated' })
    ])
  })

  it('follows --api over the model default', async () => {
    const result = await runCliCapture(
      ['--base-url', model.baseUrl, '--model', 'openai/gpt-5-1', '--api', 'responses'],
      { cwd: repo.dir, env }
    )
    expect(result.code).toBe(EXIT_OK)
    expect(model.requests.map((request) => request.path)).toEqual(['/v1/responses'])
  })

  it.each([
    [
      ['--model', 'openai/gpt-5-1-codex', '--api', 'chat-completions'],
      'Flag --api is "chat-completions", but openai/gpt-5-1-codex (flag --model) is served only by /responses. Use --api auto'
    ],
    [
      [
        '--verify-severity',
        'high',
        '--escalation-model',
        'openai/gpt-5-1-codex',
        '--api',
        'chat-completions',
        '--model',
        'openai/gpt-5-1'
      ],
      '(flag --escalation-model) is served only by /responses'
    ]
  ])('checks the models against the settings before any request: %j', async (argv, expected) => {
    for (const mode of [[], ['--dry-run']]) {
      const result = await runCliCapture(['--base-url', model.baseUrl, ...mode, ...argv], { cwd: repo.dir, env })
      expect(result.code).toBe(EXIT_USAGE)
      expect(result.stderr).toContain(expected)
      expect(result.stderr).not.toContain('input "')
    }
    expect(model.requests).toHaveLength(0)
  })

  it('states what it assumes about a model it does not know, in flag words', async () => {
    const result = await runCliCapture(['--dry-run', '--model', 'acme/reviewer-1'], { cwd: repo.dir, env })
    expect(result.code).toBe(EXIT_OK)
    expect(result.stderr).toContain('note: Model "acme/reviewer-1" (flag --model) is not in the model table')
    expect(result.stderr).toContain('(set --api to change it)')
  })

  it('sends the chunks touching --escalate-paths to --escalation-model, the rest to --model', async () => {
    const argv = [
      '--base-url',
      model.baseUrl,
      '--max-chunk-tokens',
      '256',
      '--escalate-paths',
      'src/util.ts',
      '--format',
      'json'
    ]
    const result = await runCliCapture(argv, { cwd: repo.dir, env })

    expect(result.code).toBe(EXIT_OK)
    const sent = model.requests.map((request) => ({
      model: (request.body as { model: string }).model,
      paths: new Set(readSentDiff(request).map((line) => line.path))
    }))
    const escalated = sent.filter((request) => request.paths.has('src/util.ts'))
    const rest = sent.filter((request) => !request.paths.has('src/util.ts'))
    expect(escalated.length).toBeGreaterThan(0)
    expect(rest.length).toBeGreaterThan(0)
    for (const request of escalated) expect(request.model).toBe('openai/gpt-5-1-codex')
    for (const request of rest) expect(request.model).toBe('openai/gpt-5-1-codex-mini')

    const report = JSON.parse(result.stdout) as ReviewReport
    expect(Object.fromEntries(report.modelCosts.map((row) => [row.model, row.requests]))).toEqual({
      'openai/gpt-5-1-codex-mini': rest.length,
      'openai/gpt-5-1-codex': escalated.length
    })
    expect(report.escalation?.escalatedChunks).toHaveLength(escalated.length)
    const rowsUsd = report.modelCosts.reduce((sum, row) => sum + (row.usd ?? 0), 0)
    expect(report.costUsd).toBeCloseTo(rowsUsd, 10)

    const text = await runCliCapture(argv.slice(0, -2), { cwd: repo.dir, env })
    expect(text.stdout).toMatch(/Escalated to openai\/gpt-5-1-codex: \d+ chunk\(s\), for src\/util\.ts\./)
    expect(text.stdout).toMatch(/\n {2}openai\/gpt-5-1-codex: \d+ request\(s\), [\d,]+ input/)
  })

  it('holds requests under --tokens-per-minute, waiting on the injected clock', async () => {
    const manual = createManualClock()
    const argv = [
      '--base-url',
      model.baseUrl,
      '--max-chunk-tokens',
      '256',
      '--max-concurrency',
      '1',
      '--tokens-per-minute',
      '1000'
    ]
    const result = await runCliCapture(argv, { cwd: repo.dir, env, clock: manual.clock })

    expect(result.code).toBe(EXIT_OK)
    expect(model.requests.length).toBeGreaterThan(1)
    // Every request charges more than the limit, so each after the first waits for the window to empty.
    expect(manual.slept).toEqual(Array.from({ length: model.requests.length - 1 }, () => 60_000))
    expect(result.stderr).toContain(
      `Token-rate limit of 1000 tokens/minute: ${model.requests.length - 1} request(s) waited`
    )
  })

  it('stops starting chunks when --time-budget-minutes runs out, and exits 1 naming them', async () => {
    const manual = createManualClock()
    model.setHandler((request) => {
      manual.advance(2 * 60_000)
      return { body: answerWith(request, scriptFindings(request), USAGE) }
    })
    const argv = [
      '--base-url',
      model.baseUrl,
      '--max-chunk-tokens',
      '256',
      '--max-concurrency',
      '1',
      '--time-budget-minutes',
      '1',
      '--format',
      'json'
    ]
    const result = await runCliCapture(argv, { cwd: repo.dir, env, clock: manual.clock })

    expect(result.code).toBe(EXIT_INCOMPLETE)
    expect(model.requests).toHaveLength(1)
    const report = JSON.parse(result.stdout) as ReviewReport
    expect(report.failedChunks.length).toBe(report.chunks - 1)
    for (const chunk of report.failedChunks)
      expect(chunk.error).toBe('not reviewed: the time budget of 1 minute ran out')
    expect(result.stderr).toContain('(raise --time-budget-minutes, or 0 for no limit)')
  })
})
