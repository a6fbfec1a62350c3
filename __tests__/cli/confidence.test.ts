/**
 * Confidence and the verdict in the CLI: each finding shows the model's confidence, the verdict opens the
 * text, findings below --min-confidence are listed apart (text, Markdown, JSON) and do not fail the gate.
 * The model is the loopback server in noisy mode: doubtful findings on real lines next to the planted ones.
 */
import type { ReviewReport } from '../../src/cli/review-report.js'
import { EXIT_OK, EXIT_SEVERITY_GATE } from '../../src/cli/run-cli.js'
import { NOISE_TITLE_PREFIX, scriptFindings } from '../../__fixtures__/model/scripted-reviewer.js'
import { answerWith, startResponsesServer, type ResponsesServer } from '../../__fixtures__/servers/responses-server.js'
import { createFeatureRepo, runCliCapture, type TempRepo } from './cli-harness.js'

const env = { CODEX_REVIEW_API_KEY: 'sk-cli-confidence-LOOPBACK-9c2e' }

describe('confidence and the verdict in the CLI', () => {
  let model: ResponsesServer
  let repo: TempRepo

  beforeAll(() => {
    repo = createFeatureRepo()
  })
  afterAll(() => repo.remove())
  beforeEach(async () => {
    model = await startResponsesServer((request) => ({
      body: answerWith(request, scriptFindings(request, { noisy: true }))
    }))
  })
  afterEach(async () => model.close())

  const review = (...argv: string[]): ReturnType<typeof runCliCapture> =>
    runCliCapture(['--base-url', model.baseUrl, ...argv], { cwd: repo.dir, env })

  it('shows each finding with its confidence, opens with the verdict and lists the doubtful ones apart', async () => {
    const result = await review()
    expect(result.code).toBe(EXIT_OK)
    const out = result.stdout
    expect(out).toMatch(/^Verdict: likely incorrect \(lowest confidence 0\.85\); advice only\./m)
    expect(out).toContain('Possible problem 0 in app.ts  (confidence 0.90)')
    const lowAt = out.indexOf('Low confidence, below --min-confidence 0.5')
    expect(lowAt).toBeGreaterThan(-1)
    // Every doubtful finding is listed, and only in the low-confidence part.
    expect(out.indexOf(NOISE_TITLE_PREFIX)).toBeGreaterThan(lowAt)
    expect(out).toMatch(/Speculative concern \d+ in \S+ {2}\(confidence 0\.(15|30|45|20)\)/)
  })

  it('carries the verdict, the confidences and the low-confidence list in --format json', async () => {
    const report = JSON.parse((await review('--format', 'json')).stdout) as ReviewReport
    expect(report.minConfidence).toBe(0.5)
    expect(report.verdict.verdict).toBe('incorrect')
    expect(report.findings.placed.every((finding) => finding.confidence === 0.9)).toBe(true)
    expect(report.findings.lowConfidence.length).toBeGreaterThan(0)
    expect(report.findings.lowConfidence.every((finding) => finding.title.startsWith(NOISE_TITLE_PREFIX))).toBe(true)
  })

  it('renders the verdict and the collapsed low-confidence list in --format markdown', async () => {
    const out = (await review('--format', 'markdown')).stdout
    expect(out).toContain('### Verdict: ⚠️ likely incorrect')
    expect(out).toMatch(/<details><summary>Low confidence \(\d+\): below min-confidence 0\.5/)
  })

  it('--min-confidence 0 shows every finding as usual, and the doubtful high one then reaches the gate', async () => {
    const doubted = await review(
      '--fail-on-severity',
      'high',
      '--severity-threshold',
      'high',
      '--min-confidence',
      '0.95'
    )
    // At 0.95 even the planted high finding (0.9) is doubted: the gate has nothing to fail on.
    expect(doubted.code).toBe(EXIT_OK)
    const all = await review('--min-confidence', '0', '--fail-on-severity', 'high', '--format', 'json')
    expect(all.code).toBe(EXIT_SEVERITY_GATE)
    const report = JSON.parse(all.stdout) as ReviewReport
    expect(report.findings.lowConfidence).toEqual([])
    expect(report.findings.placed.some((finding) => finding.title.startsWith(NOISE_TITLE_PREFIX))).toBe(true)
  })

  it('names the flag when --min-confidence is out of range', async () => {
    const result = await review('--min-confidence', '2')
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/Flag --min-confidence must be/)
  })
})
