/**
 * Review mode: the key comes from the environment, the chunks go to the loopback Responses server (which
 * answers with findings that cite the diff it was sent), and the findings come back as text, JSON or Markdown.
 */
import { readFileSync } from 'node:fs'
import type { ReviewReport } from '../../src/cli/review-report.js'
import { EXIT_INCOMPLETE, EXIT_OK } from '../../src/cli/run-cli.js'
import { scriptFindings } from '../../__fixtures__/model/scripted-reviewer.js'
import {
  aimlApiError,
  createDefaultHandler,
  failedResponse,
  findingsResponse,
  startResponsesServer,
  type ResponsesServer
} from '../../__fixtures__/servers/responses-server.js'
import { commentableRightLines } from '../../__fixtures__/e2e/commentable.js'
import { createFeatureRepo, runCliCapture, type TempRepo } from './cli-harness.js'

const API_KEY = 'sk-cli-LOOPBACK-SECRET-0b9d2c'
const SAMPLE_DIFF = readFileSync(new URL('../../__fixtures__/e2e/sample-pr.diff', import.meta.url), 'utf8')

describe('review mode', () => {
  let model: ResponsesServer
  let repo: TempRepo

  beforeAll(() => {
    repo = createFeatureRepo()
  })
  afterAll(() => repo.remove())
  beforeEach(async () => {
    model = await startResponsesServer((request) => ({
      headers: { 'x-inference-id': 'inf_1' },
      body: findingsResponse(scriptFindings(request, { wrongCitations: true }), {
        input_tokens: 2_000,
        cached_tokens: 0,
        output_tokens: 500
      })
    }))
  })
  afterEach(async () => model.close())

  const env = (): Record<string, string> => ({ CODEX_REVIEW_API_KEY: API_KEY })

  it('reviews the local change and prints the findings as text', async () => {
    const result = await runCliCapture(['--base-url', model.baseUrl], { cwd: repo.dir, env: env() })

    expect(result.code).toBe(EXIT_OK)
    expect(model.requests).toHaveLength(1)
    const sent = model.requests[0]!
    expect(sent.headers.authorization).toBe(`Bearer ${API_KEY}`)
    const body = sent.body as { input: string; model: string }
    expect(body.model).toBe('openai/gpt-5-1-codex-mini')
    expect(body.input).toContain('<title>\nAdd util, tweak app\n</title>')
    expect(body.input).toContain('export const uncommitted = true')

    const out = result.stdout
    expect(out).toMatch(
      /^Review of main \(merge-base [0-9a-f]{12}\) → working tree with openai\/gpt-5-1-codex-mini: 2 finding\(s\) on diff lines, 2 elsewhere/
    )
    expect(out).toMatch(/src\/app\.ts:6 {2}HIGH bug {2}Possible problem 0 in app\.ts/)
    expect(out).toContain('    Suggested replacement:\n      | const fixed = true')
    expect(out).toMatch(/src\/util\.ts:\d+ {2}MEDIUM bug {2}Possible problem 1 in util\.ts/)
    expect(out).toContain('Not placed on a diff line (2):')
    expect(out).toContain('no/such/file.ts:3  MEDIUM bug  Cites a file that is not in the diff')
    expect(out).toContain('package-lock.json  lockfile\n')
    expect(out).toContain('Tokens: 2,000 input (0 cached), 500 output (200 reasoning). Cost: $0.0015 (at list prices).')
    expect(`${result.stdout}${result.stderr}`).not.toContain(API_KEY)
    expect(result.stderr).toContain('Chunk 1/1 reviewed')
  })

  it('prints a machine-readable report with --format json', async () => {
    const result = await runCliCapture(['--base-url', model.baseUrl, '--diff', '-', '--format', 'json'], {
      env: { AIMLAPI_API_KEY: API_KEY },
      stdin: SAMPLE_DIFF
    })

    expect(result.code).toBe(EXIT_OK)
    const report = JSON.parse(result.stdout) as ReviewReport
    expect(report).toMatchObject({ mode: 'review', source: 'diff from stdin', complete: true, failedChunks: [] })
    expect(report.chunks).toBe(model.requests.length)
    const commentable = commentableRightLines(SAMPLE_DIFF)
    expect(report.findings.placed.length).toBeGreaterThan(0)
    for (const finding of report.findings.placed) expect(commentable.get(finding.path)?.has(finding.line)).toBe(true)
    expect(report.findings.unplaced.map((finding) => finding.title)).toEqual(
      expect.arrayContaining(['Cites a line far outside the diff', 'Cites a file that is not in the diff'])
    )
    expect(report.usage.inputTokens).toBe(2_000 * model.requests.length)
    expect(report.costUsd).toBeGreaterThan(0)
    expect(report.costIsBilled).toBe(false)
  })

  it('renders the findings and the summary as Markdown with --format markdown', async () => {
    const result = await runCliCapture(['--base-url', model.baseUrl, '--format', 'markdown'], {
      cwd: repo.dir,
      env: env()
    })
    expect(result.code).toBe(EXIT_OK)
    expect(result.stdout).toContain('### Findings on diff lines (2)')
    expect(result.stdout).toContain('#### `src/app.ts:6`')
    expect(result.stdout).toContain('```suggestion\nconst fixed = true\n```')
    expect(result.stdout).toContain('## 🤖 Codex PR review')
    expect(result.stdout).not.toContain('<!-- codex-pr-review:finding')
  })

  it('sends nothing with --dry-run even when a key is set', async () => {
    const result = await runCliCapture(['--base-url', model.baseUrl, '--dry-run'], { cwd: repo.dir, env: env() })
    expect(result.code).toBe(EXIT_OK)
    expect(result.stdout).toContain('Requests: 1 (one per chunk).')
    expect(model.requests).toHaveLength(0)
  })

  it('exits 1 and names the chunks that failed when the review is incomplete', async () => {
    model.setHandler((request, index) =>
      index === 0 ? { body: failedResponse('The model crashed.') } : { body: findingsResponse(scriptFindings(request)) }
    )
    const result = await runCliCapture(
      ['--base-url', model.baseUrl, '--max-chunk-tokens', '256', '--max-concurrency', '1', '--format', 'json'],
      { cwd: repo.dir, env: env() }
    )
    expect(result.code).toBe(EXIT_INCOMPLETE)
    const report = JSON.parse(result.stdout) as ReviewReport
    expect(report.complete).toBe(false)
    expect(report.failedChunks).toEqual([
      expect.objectContaining({ id: 1, error: expect.stringContaining('The model crashed.') })
    ])
    expect(report.chunks).toBeGreaterThan(1)
    expect(result.stderr).toContain(`Review incomplete: 1 of ${report.chunks} chunk(s) failed`)
  })

  it('exits 1 with the provider message, and without the key, when the key is refused', async () => {
    model.setHandler(createDefaultHandler({ apiKey: 'sk-some-other-key' }))
    const result = await runCliCapture(['--base-url', model.baseUrl], { cwd: repo.dir, env: env() })
    expect(result.code).toBe(EXIT_INCOMPLETE)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('401')
    expect(result.stderr).toContain('Check the CODEX_REVIEW_API_KEY (or AIMLAPI_API_KEY) environment variable')
    expect(result.stderr).not.toContain('input')
    expect(result.stderr).not.toContain(API_KEY)
  })

  it('keeps escape sequences from the model out of the terminal', async () => {
    model.setHandler((request) => {
      const script = scriptFindings(request)
      const findings = script.findings.map((finding) => ({
        ...finding,
        title: 'Bad \u001b]0;pwned\u0007 title',
        body: 'x\u001b[2Jy'
      }))
      return { body: findingsResponse({ ...script, findings }) }
    })
    const result = await runCliCapture(['--base-url', model.baseUrl], { cwd: repo.dir, env: env() })
    expect(result.code).toBe(EXIT_OK)
    expect(result.stdout).not.toContain('\u001b')
    expect(result.stdout).not.toContain('\u0007')
    expect(result.stdout).toContain('Bad \uFFFD]0;pwned\uFFFD title')
  })

  it('reports the provider error for a bad request as a failed chunk', async () => {
    model.setHandler(() => aimlApiError(400, 'Body validation error! input: Required'))
    const result = await runCliCapture(['--base-url', model.baseUrl, '--format', 'json'], { cwd: repo.dir, env: env() })
    expect(result.code).toBe(EXIT_INCOMPLETE)
    const report = JSON.parse(result.stdout) as ReviewReport
    expect(report.failedChunks[0]?.error).toContain('Body validation error')
  })
})
