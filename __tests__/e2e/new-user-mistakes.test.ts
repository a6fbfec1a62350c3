/**
 * A new user's mistakes, end to end: a malformed event file, a pull-number that is not a number, and a model
 * API that cannot serve the review at all (a typo in `base-url`, `api-key` or `model`). Each must fail the
 * step with a message that names what to fix; none may pass green having reviewed nothing.
 */
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { scriptFindings } from '../../__fixtures__/model/scripted-reviewer.js'
import { runStep } from '../../__fixtures__/e2e/harness.js'
import { FAST_RUN, makePull, newFilesDiff, startScenario, type Scenario } from '../../__fixtures__/e2e/scenario.js'
import { SAMPLE_DIFF } from '../../__fixtures__/servers/github-sample-diffs.js'
import { aimlApiError, findingsResponse } from '../../__fixtures__/servers/responses-server.js'
import { run } from '../../src/main.js'

const DIST = fileURLToPath(new URL('../../dist/index.js', import.meta.url))

/** A loopback URL nothing listens on: a server is started, its port noted, and closed. */
async function closedPortUrl(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}/v1`
}

function runNode(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DIST], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'pipe' })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString('utf8')))
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString('utf8')))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe("a new user's mistakes", () => {
  let scenario: Scenario
  afterEach(async () => scenario?.close())

  describe('a malformed event file', () => {
    const malformed = (): { env: Record<string, string>; path: string } => {
      const path = join(scenario.workspace.dir, 'broken-event.json')
      writeFileSync(path, '{"action": "opened", "pull_request": ')
      const env = { ...scenario.env(), GITHUB_EVENT_PATH: path }
      return { env, path }
    }

    it('fails the step naming the file, through run()', async () => {
      scenario = await startScenario({ pull: makePull(SAMPLE_DIFF) })
      const { env, path } = malformed()
      const step = await runStep(env, () => run(FAST_RUN))
      expect(step.exitCode).toBe(1)
      expect(step.log).toContain(`::error::Could not read the event payload at GITHUB_EVENT_PATH (${path})`)
      expect(scenario.github.requests).toHaveLength(0)
    })

    it('fails the bundle the same way, with no stack trace before our error handling', async () => {
      scenario = await startScenario({ pull: makePull(SAMPLE_DIFF) })
      const { env, path } = malformed()
      const result = await runNode(env)
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(`::error::Could not read the event payload at GITHUB_EVENT_PATH (${path})`)
      expect(`${result.stdout}${result.stderr}`).not.toMatch(/\n\s+at /)
      expect(result.stderr).toBe('')
    })
  })

  describe('a pull-number that is not a number', () => {
    it.each(['abc', '#12', '12.5'])(
      'fails naming the input for pull-number: %s on workflow_dispatch',
      async (value) => {
        scenario = await startScenario({ pull: makePull(SAMPLE_DIFF) })
        const eventPath = scenario.workspace.writeEvent({ inputs: { 'pull-number': value } }, 'dispatch.json')
        const env = {
          ...scenario.env({ 'pull-number': value }),
          GITHUB_EVENT_NAME: 'workflow_dispatch',
          GITHUB_EVENT_PATH: eventPath
        }
        const step = await runStep(env, () => run(FAST_RUN))
        expect(step.exitCode).toBe(1)
        expect(step.log).toContain(
          `::error::Input "pull-number" must be a whole number (a pull request number, e.g. 12); got "${value}".`
        )
        expect(scenario.github.requests).toHaveLength(0)
      }
    )

    it('fails too when only the dispatch form carries the bad number', async () => {
      scenario = await startScenario({ pull: makePull(SAMPLE_DIFF) })
      const eventPath = scenario.workspace.writeEvent({ inputs: { 'pull-number': 'abc' } }, 'dispatch.json')
      const env = { ...scenario.env(), GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_EVENT_PATH: eventPath }
      const step = await runStep(env, () => run(FAST_RUN))
      expect(step.exitCode).toBe(1)
      expect(step.log).toMatch(/::error::The workflow_dispatch input "pull-number" must be a pull request number/)
    })
  })

  describe('a model API that cannot serve the review at all', () => {
    const FIVE_CHUNKS = makePull(newFilesDiff({ files: 3, lines: 10 }))
    const SMALL = { 'max-chunk-tokens': '400' }

    it('fails (even with fail-on-error off) naming base-url when the API cannot be reached, and says nothing was reviewed', async () => {
      scenario = await startScenario({ pull: FIVE_CHUNKS })
      const step = await scenario.run({ inputs: { ...SMALL, 'base-url': await closedPortUrl() } })

      expect(step.exitCode).toBe(1)
      expect(step.log).toMatch(
        /::error::Nothing was reviewed: all 3 chunks failed because the model API could not be reached: check the `base-url` input/
      )
      const summary = scenario.summary()
      expect(summary).toContain('> [!CAUTION]\n> Nothing was reviewed: all 3 chunks failed')
      expect(summary).toContain('**Reviewed:** nothing (3 files in 3 chunks planned; every request failed).')
      expect(summary).not.toMatch(/\*\*Reviewed:\*\* 3 files/)
    })

    it('names the model when the API does not know it', async () => {
      scenario = await startScenario({
        pull: FIVE_CHUNKS,
        handler: () => aimlApiError(404, 'Model openai/gpt-5-1-codex-mnii not found')
      })
      const step = await scenario.run({ inputs: { ...SMALL, model: 'openai/gpt-5-1-codex-mnii' } })
      expect(step.exitCode).toBe(1)
      expect(step.log).toMatch(/::error::Nothing was reviewed: .*check the `model` input/)
    })

    it('keeps a partial failure a warning with fail-on-error off', async () => {
      scenario = await startScenario({
        pull: FIVE_CHUNKS,
        handler: (request, index) =>
          index === 0 ? aimlApiError(404, 'Not Found') : { body: findingsResponse(scriptFindings(request)) }
      })
      const step = await scenario.run({ inputs: { ...SMALL, 'max-concurrency': '1' } })
      expect(step.exitCode).toBeUndefined()
      expect(step.log).toMatch(/::warning::Review incomplete: 1 of 3 chunk\(s\) could not be reviewed/)
      expect(scenario.summary()).toContain('**Reviewed:** 3 files in 3 chunks.')
    })
  })
})
