/**
 * The built action (`dist/index.js`) run as the runner runs it: a separate Node process with INPUT_* and
 * GITHUB_* variables, against the loopback servers living in this process. Everything it printed, every
 * request GitHub received and the outputs file are searched for the API key, on a good run and on a run
 * whose provider rejects the key and echoes it back (401). The `::add-mask::` line is the only place it may appear.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { API_KEY } from '../../__fixtures__/e2e/harness.js'
import { makePull, startScenario, type Scenario } from '../../__fixtures__/e2e/scenario.js'
import { readSentDiff, scriptFindings } from '../../__fixtures__/model/scripted-reviewer.js'
import { findingsResponse, openAiError } from '../../__fixtures__/servers/responses-server.js'

const DIST = fileURLToPath(new URL('../../dist/index.js', import.meta.url))
const SAMPLE_DIFF = readFileSync(new URL('../../__fixtures__/e2e/sample-pr.diff', import.meta.url), 'utf8')

/** Runs dist/index.js to the end with only the runner's variables (and PATH); resolves with its output. */
function runDist(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DIST], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const parts: string[] = []
    child.stdout.on('data', (data: Buffer) => parts.push(data.toString('utf8')))
    child.stderr.on('data', (data: Buffer) => parts.push(data.toString('utf8')))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output: parts.join('') }))
  })
}

function expectNoKey(scenario: Scenario, output: string): void {
  expect(output).toContain(`::add-mask::${API_KEY}`)
  expect(output.split(`::add-mask::${API_KEY}`).join('')).not.toContain(API_KEY)
  expect(JSON.stringify(scenario.github.requests)).not.toContain(API_KEY)
  expect(readFileSync(scenario.workspace.outputPath, 'utf8')).not.toContain(API_KEY)
  expect(readFileSync(scenario.workspace.summaryPath, 'utf8')).not.toContain(API_KEY)
}

describe('the built action never prints the API key', () => {
  let scenario: Scenario
  afterEach(async () => scenario?.close())

  it('on a run that posts a review, with one chunk whose provider error echoes the key', async () => {
    scenario = await startScenario({
      pull: makePull(SAMPLE_DIFF),
      handler: (request) =>
        readSentDiff(request).some((line) => line.path === 'src/util/new-helper.ts')
          ? // `x-should-retry: false` spares this process the real back-off sleeps (it has no injected clock).
            {
              ...openAiError(500, `Upstream failure for key ${API_KEY}`, 'server_error', 'server_error'),
              headers: { 'x-should-retry': 'false' }
            }
          : { body: findingsResponse(scriptFindings(request, { wrongCitations: true })) }
    })
    const { code, output } = await runDist({ ...scenario.env({ 'max-chunk-tokens': '256' }), RUNNER_DEBUG: '1' })

    expect(code).toBe(0)
    expect(scenario.github.reviews).toHaveLength(1)
    // The failed chunk's error reached the log and the public summary, scrubbed.
    expect(scenario.summary()).toContain('Upstream failure for key ***')
    expect(output).toContain('Upstream failure for key ***')
    expect(scenario.model.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`)
    expectNoKey(scenario, output)
  }, 60_000)

  it('on a run whose provider rejects the key (401) and echoes it in the error', async () => {
    scenario = await startScenario({
      pull: makePull(SAMPLE_DIFF),
      handler: () =>
        openAiError(
          401,
          `Incorrect API key provided: ${API_KEY}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          'invalid_api_key'
        )
    })
    const { code, output } = await runDist({ ...scenario.env(), RUNNER_DEBUG: '1' })

    expect(code).toBe(1)
    expect(output).toMatch(/::error::Model API returned HTTP 401: Incorrect API key provided: \*\*\*\./)
    expect(scenario.github.reviews).toHaveLength(0)
    expectNoKey(scenario, output)
  }, 60_000)
})
