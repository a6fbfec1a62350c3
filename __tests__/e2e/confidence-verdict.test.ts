/**
 * Confidence and the verdict end to end through `run()`: findings the model itself doubts stay out of the
 * inline review and the gate but are listed in the summary; the merged verdict opens the summary and is an
 * output; the escalation model's confidence wins over the reviewer's; the reports carry the confidence.
 */
import { readFileSync } from 'node:fs'
import type { Log } from 'sarif'
import {
  NOISE_TITLE_PREFIX,
  PLANTED_CONFIDENCE,
  readSentDiff,
  scriptFindings,
  type ScriptedFinding
} from '../../__fixtures__/model/scripted-reviewer.js'
import { answerWith, type RecordedRequest } from '../../__fixtures__/servers/responses-server.js'
import { readSentInput } from '../../__fixtures__/servers/chat-completions-shapes.js'
import { SAMPLE_DIFF } from '../../__fixtures__/servers/github-sample-diffs.js'
import { makePull, startScenario, type Scenario } from '../../__fixtures__/e2e/scenario.js'
import type { JsonReport } from '../../src/report/json-report.js'

const isVerification = (request: RecordedRequest): boolean =>
  (request.body as { text?: { format?: { name?: string } } }).text?.format?.name === 'finding_verdicts'

/** One finding on the first added line of the sent chunk, scripted by the test. */
function findingOn(request: RecordedRequest, overrides: Partial<ScriptedFinding>): ScriptedFinding {
  const first = readSentDiff(request).find((line) => line.kind === '+')
  return {
    path: first?.path ?? 'src/app.ts',
    line: first?.line ?? 1,
    start_line: null,
    severity: 'high',
    category: 'bug',
    title: 'A finding',
    body: 'Because.',
    replacement: null,
    ...overrides
  }
}

const correct = { verdict: 'correct', verdict_reason: 'Fine.', verdict_confidence: 0.8 }

describe('confidence and the verdict, end to end', () => {
  let scenario: Scenario
  afterEach(async () => scenario?.close())

  const inlineTitles = (): string[] =>
    scenario.github.reviews.flatMap((review) => review.comments.map((comment) => comment.body.split('\n')[0] ?? ''))

  it('keeps low-confidence findings out of the review but lists them in the summary; opens with the verdict', async () => {
    scenario = await startScenario({
      pull: makePull(SAMPLE_DIFF),
      handler: (request) => ({ body: answerWith(request, scriptFindings(request, { noisy: true })) })
    })
    const step = await scenario.run()
    expect(step.exitCode).toBeUndefined()
    const titles = inlineTitles()
    expect(titles.length).toBeGreaterThan(0)
    expect(titles.some((title) => title.includes(NOISE_TITLE_PREFIX))).toBe(false)
    expect(titles.filter((title) => !title.includes('Possible problem'))).toEqual([])

    const summary = scenario.summary()
    expect(summary).toMatch(/<details><summary>Low confidence \(\d+\): below min-confidence 0\.5/)
    const noiseInSummary = summary.split('\n').filter((line) => line.includes(NOISE_TITLE_PREFIX))
    expect(noiseInSummary.length).toBeGreaterThan(0)
    expect(summary).toMatch(/confidence 0\.(15|30|45)/)
    // The verdict opens the report: before the overview and the findings.
    expect(summary).toContain('### Verdict: ⚠️ likely incorrect (lowest confidence 0.85)')
    expect(summary.indexOf('### Verdict')).toBeLessThan(summary.indexOf('### Overview'))
    expect(summary).toContain('Advice only: nothing is blocked by it')
    expect(scenario.github.reviews.every((review) => review.state === 'COMMENTED')).toBe(true)

    const outputs = scenario.workspace.outputs()
    expect(outputs.verdict).toBe('incorrect')
    expect(outputs['verdict-confidence']).toBe('0.85')

    // The runner's RUNNER_TEMP is the job's own: reports never land where a parallel run could overwrite them.
    expect(outputs['report-path']?.startsWith(scenario.workspace.dir)).toBe(true)
    const report = JSON.parse(readFileSync(outputs['report-path'] ?? '', 'utf8')) as JsonReport
    const low = report.findings.filter((finding) => finding.status === 'low-confidence')
    expect(low.length).toBe(noiseInSummary.length)
    expect(low.every((finding) => (finding.confidence ?? 1) < 0.5)).toBe(true)
    expect(report.verdict).toMatchObject({ verdict: 'incorrect', confidence: 0.85 })
    expect(report.confidence).toEqual({ minConfidence: 0.5, lowConfidence: low.length, unrated: 0 })
    const sarif = JSON.parse(readFileSync(outputs['sarif-path'] ?? '', 'utf8')) as Log
    const results = sarif.runs[0]?.results ?? []
    expect(results.length).toBe(titles.length)
    expect(results.every((result) => result.rank === PLANTED_CONFIDENCE * 100)).toBe(true)
    expect(
      results.every((result) => (result.properties as { confidence?: number }).confidence === PLANTED_CONFIDENCE)
    ).toBe(true)
  })

  it('does not fail fail-on-severity on a finding the model doubts; min-confidence 0 posts and counts it', async () => {
    const handler = (request: RecordedRequest) => ({
      body: answerWith(request, {
        overview: 'ok',
        risk: 'low',
        findings: [
          findingOn(request, { severity: 'low', title: 'A sure nit-pick', confidence: 0.9 }),
          findingOn(request, { severity: 'critical', title: 'A doubtful outage', confidence: 0.2 })
        ],
        ...correct
      })
    })
    scenario = await startScenario({ pull: makePull(SAMPLE_DIFF), handler })
    const passed = await scenario.run({ inputs: { 'fail-on-severity': 'high' } })
    expect(passed.exitCode).toBeUndefined()
    expect(inlineTitles().some((title) => title.includes('A doubtful outage'))).toBe(false)
    expect(scenario.summary()).toContain('A doubtful outage')
    expect(scenario.workspace.outputs().verdict).toBe('correct')
    await scenario.close()

    scenario = await startScenario({ pull: makePull(SAMPLE_DIFF), handler })
    const failed = await scenario.run({ inputs: { 'fail-on-severity': 'high', 'min-confidence': '0' } })
    expect(failed.exitCode).toBe(1)
    expect(failed.log).toMatch(/\[critical\] src\/app\.ts:\d+ A doubtful outage/)
    expect(inlineTitles().some((title) => title.includes('A doubtful outage'))).toBe(true)
  })

  it("takes the escalation model's confidence over the reviewer's", async () => {
    scenario = await startScenario({
      pull: makePull(SAMPLE_DIFF),
      handler: (request) => {
        if (!isVerification(request)) {
          const finding = findingOn(request, { title: 'Sure to the reviewer', confidence: 0.95 })
          return { body: answerWith(request, { overview: 'ok', risk: 'high', findings: [finding], ...correct }) }
        }
        const input = readSentInput(request)
        expect(input).not.toContain('0.95')
        const verdicts = [{ index: 0, verdict: 'confirmed', reason: 'Real, but unlikely to matter.', confidence: 0.3 }]
        return { body: answerWith(request, { verdicts }) }
      }
    })
    const step = await scenario.run({ inputs: { 'verify-severity': 'high' } })

    expect(step.exitCode).toBeUndefined()
    expect(scenario.model.requests.filter(isVerification)).toHaveLength(1)
    expect(inlineTitles().some((title) => title.includes('Sure to the reviewer'))).toBe(false)
    expect(scenario.summary()).toMatch(/Sure to the reviewer.*confidence 0\.30/s)
  })
})
