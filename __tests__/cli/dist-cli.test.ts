/**
 * The committed bundle, run as a user runs it: `node dist/cli.js` in a fresh process, in a git repository,
 * with a clean environment. The dry run must work offline: the key is set and the base URL points at a
 * loopback server that records requests, and none arrives.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { PlanReport } from '../../src/report/plan-report.js'
import { scriptFindings } from '../../__fixtures__/model/scripted-reviewer.js'
import { answerWith, startResponsesServer } from '../../__fixtures__/servers/responses-server.js'
import { createFeatureRepo } from './cli-harness.js'

const DIST_CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))
const SAMPLE_DIFF = readFileSync(new URL('../../__fixtures__/e2e/sample-pr.diff', import.meta.url), 'utf8')

interface NodeRun {
  readonly cwd: string
  readonly env: Record<string, string>
  readonly stdin?: string
}

function runNode(
  args: readonly string[],
  options: NodeRun
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe']
    })
    child.stdin.end(options.stdin ?? '')
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString('utf8')))
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString('utf8')))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('dist/cli.js', () => {
  it('prints the plan of a local change without sending anything', async () => {
    const repo = createFeatureRepo()
    const model = await startResponsesServer()
    try {
      const env = { PATH: process.env.PATH ?? '', HOME: repo.dir, CODEX_REVIEW_API_KEY: 'sk-never-sent' }
      const result = await runNode([DIST_CLI, '--dry-run', '--format', 'json', '--base-url', model.baseUrl], {
        cwd: repo.dir,
        env
      })

      expect(result.code).toBe(0)
      const report = JSON.parse(result.stdout) as PlanReport
      expect(report.reviewed.map((file) => file.path)).toEqual(['src/app.ts', 'src/util.ts'])
      expect(report.skipped.map((file) => file.reason).sort()).toEqual(['deleted', 'lockfile', 'minified'])
      expect(report.requests).toBe(1)
      expect(report.estimate.usd).toBeGreaterThan(0)
      expect(result.stderr).toContain('2 to review, 3 skipped')
      expect(model.requests).toHaveLength(0)
    } finally {
      await model.close()
      repo.remove()
    }
  }, 60_000)

  it('reads a diff from stdin with --diff -', async () => {
    const result = await runNode([DIST_CLI, '--diff', '-'], {
      cwd: tmpdir(),
      env: { PATH: process.env.PATH ?? '' },
      stdin: SAMPLE_DIFF
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^Plan for diff from stdin\n/)
    expect(result.stdout).toMatch(/Requests: 1 \(one per chunk\)\./)
    expect(result.stderr).toContain('No API key in CODEX_REVIEW_API_KEY or AIMLAPI_API_KEY: dry run')
  }, 60_000)

  it('reviews through the model routing and exits 1 when --fail-on-severity is reached', async () => {
    const repo = createFeatureRepo()
    const model = await startResponsesServer((request) => ({ body: answerWith(request, scriptFindings(request)) }))
    try {
      const env = { PATH: process.env.PATH ?? '', HOME: repo.dir, CODEX_REVIEW_API_KEY: 'sk-dist-loopback' }
      const argv = [
        DIST_CLI,
        '--base-url',
        model.baseUrl,
        '--model',
        'openai/gpt-5-1',
        '--fail-on-severity',
        'high',
        '--severity-threshold',
        'high'
      ]
      const result = await runNode(argv, { cwd: repo.dir, env })

      expect(model.requests.map((request) => request.path)).toEqual(['/v1/chat/completions'])
      expect(result.stdout).toContain('Possible problem 0 in app.ts')
      expect(result.stdout).toContain('1 finding(s) below the severity threshold high, not shown: 1 medium')
      expect(result.stderr).toContain('error: --fail-on-severity high: 1 finding reaches')
      expect(result.code).toBe(1)
    } finally {
      await model.close()
      repo.remove()
    }
  }, 60_000)
})
