/**
 * A local review that reviews nothing because the model API cannot serve it (a typo in --base-url, the key, or
 * --model) says so and names what to fix; it never prints "Reviewed N file(s)" next to "Chunks that failed (N of N)".
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ReviewReport } from '../../src/cli/review-report.js'
import { EXIT_INCOMPLETE } from '../../src/cli/run-cli.js'
import { createFeatureRepo, runCliCapture, type TempRepo } from './cli-harness.js'

const env = { CODEX_REVIEW_API_KEY: 'sk-cli-nothing-LOOPBACK-0d4a' }

async function closedPortUrl(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}/v1`
}

describe('a local review that reviews nothing', () => {
  let repo: TempRepo
  beforeAll(() => {
    repo = createFeatureRepo()
  })
  afterAll(() => repo.remove())

  it('says nothing was reviewed and names --base-url, instead of "Reviewed N file(s)"', async () => {
    const result = await runCliCapture(['--base-url', await closedPortUrl()], { cwd: repo.dir, env })
    expect(result.code).toBe(EXIT_INCOMPLETE)
    expect(result.stdout).toMatch(/Chunks that failed \(1 of 1\)/)
    expect(result.stdout).toContain(
      'Nothing was reviewed: the only chunk failed because the model API could not be reached: check the --base-url flag'
    )
    expect(result.stdout).not.toMatch(/^Reviewed \d+ file\(s\)/m)

    const json = await runCliCapture(['--base-url', await closedPortUrl(), '--format', 'json'], { cwd: repo.dir, env })
    const report = JSON.parse(json.stdout) as ReviewReport
    expect(report.nothingReviewed).toMatch(/check the --base-url flag/)
  })
})
