/**
 * What the CLI shows while it waits on the model: a live line on a terminal, plain lines every few seconds
 * elsewhere; and --help wrapped to the terminal. The unit tests drive the reporter with a hand-moved clock; the
 * end-to-end ones run the CLI against a slow loopback model, in-process and under a real pseudo-terminal.
 */
import { execFile, spawnSync } from 'node:child_process'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { createProgressReporter, describeProgress } from '../../src/cli/progress.js'
import type { Chunk, ChunkOutcome } from '../../src/types.js'
import { ZERO_USAGE } from '../../src/types.js'
import { scriptFindings } from '../../__fixtures__/model/scripted-reviewer.js'
import { answerWith, startResponsesServer, type ResponsesServer } from '../../__fixtures__/servers/responses-server.js'
import { createFeatureRepo, runCliCapture, type TempRepo } from './cli-harness.js'

const ESC = '\u001b'
const CLEAR = `\r${ESC}[2K`
const controlCharacters = new RegExp(`[\r${ESC}]`)
const chunk = (id: number): Chunk => ({ id, pieces: [], text: '', tokens: 0, changedLines: 0 })
const failed = (id: number): ChunkOutcome => ({
  ok: false,
  chunk: chunk(id),
  error: 'x',
  usage: { ...ZERO_USAGE, inputTokens: 1_000, outputTokens: 234 },
  attempts: 1
})
const refusedByCeiling = (id: number): ChunkOutcome => ({
  ok: false,
  chunk: chunk(id),
  error: 'not reviewed: cost ceiling',
  failure: 'cost-ceiling',
  usage: ZERO_USAGE,
  attempts: 0
})

function harness(terminal: boolean) {
  let now = 0
  let tick: (() => void) | undefined
  let written = ''
  const reporter = createProgressReporter({
    sink: { write: (text: string) => (written += text) },
    terminal,
    columns: 200,
    now: () => now,
    timer: (callback) => {
      tick = callback
      return () => (tick = undefined)
    }
  })
  return {
    reporter,
    advance: (ms: number) => {
      now += ms
      tick?.()
    },
    output: () => written,
    ticking: () => tick !== undefined
  }
}

describe('the progress reporter', () => {
  it('describes requests done, in flight, the time and the tokens so far', () => {
    expect(describeProgress({ total: 5, done: 2, inFlight: 3, elapsedMs: 65_400, tokens: 12_345 })).toBe(
      '2 of 5 requests done, 3 in flight, 1:05 elapsed, 12,345 tokens so far'
    )
  })

  it('on a terminal: one live line, redrawn on each start, end and tick, cleared around other lines', () => {
    const { reporter, advance, output, ticking } = harness(true)
    reporter.expect(2)
    reporter.sink.write('plan line\n')
    expect(output()).toBe('plan line\n')
    reporter.started(chunk(1))
    expect(output()).toContain(`${CLEAR}Reviewing: 0 of 2 requests done, 1 in flight, 0:00 elapsed, 0 tokens so far`)
    advance(3_000)
    expect(
      output().endsWith(`${CLEAR}Reviewing: 0 of 2 requests done, 1 in flight, 0:03 elapsed, 0 tokens so far`)
    ).toBe(true)
    reporter.finished(failed(1))
    reporter.sink.write('Chunk 1/2 failed\n')
    // The log line replaces the live line, which comes back under it.
    expect(
      output().endsWith(
        `${CLEAR}Chunk 1/2 failed\n${CLEAR}Reviewing: 1 of 2 requests done, 0 in flight, 0:03 elapsed, 1,234 tokens so far`
      )
    ).toBe(true)
    reporter.stop()
    expect(output().endsWith(CLEAR)).toBe(true)
    expect(ticking()).toBe(false)
  })

  it('counts a chunk refused before any request (the cost ceiling) out of the requests to come', () => {
    const { reporter, output } = harness(true)
    reporter.expect(3)
    reporter.started(chunk(1))
    reporter.notSent(refusedByCeiling(2))
    reporter.notSent(refusedByCeiling(3))
    expect(output().endsWith('Reviewing: 0 of 1 requests done, 1 in flight, 0:00 elapsed, 0 tokens so far')).toBe(true)
    reporter.finished(failed(1))
    // Done is done: the line does not wait for requests that will never be sent.
    expect(output().endsWith('Reviewing: 1 of 1 requests done, 0 in flight, 0:00 elapsed, 1,234 tokens so far')).toBe(
      true
    )
    reporter.stop()
  })

  it('elsewhere: a plain line per interval while requests are in flight, and no control characters', () => {
    const { reporter, advance, output } = harness(false)
    reporter.expect(3)
    reporter.started(chunk(1))
    expect(output()).toBe('')
    advance(10_000)
    expect(output()).toBe('Reviewing: 0 of 3 requests done, 1 in flight, 0:10 elapsed, 0 tokens so far\n')
    reporter.finished(failed(1))
    advance(10_000)
    // Nothing in flight: nothing to wait for, nothing printed.
    expect(
      output()
        .split('\n')
        .filter((line) => line !== '')
    ).toHaveLength(1)
    reporter.stop()
    expect(output()).not.toMatch(controlCharacters)
  })
})

describe('the CLI while the model works', () => {
  let model: ResponsesServer
  let repo: TempRepo
  const env = { CODEX_REVIEW_API_KEY: 'sk-cli-progress-LOOPBACK-5b1f' }

  beforeAll(() => {
    repo = createFeatureRepo()
  })
  afterAll(() => repo.remove())
  beforeEach(async () => {
    model = await startResponsesServer((request) => ({
      delayMs: 600,
      body: answerWith(request, scriptFindings(request))
    }))
  })
  afterEach(async () => model.close())

  it('prints a status line every few seconds of waiting when stderr is not a terminal', async () => {
    const result = await runCliCapture(['--base-url', model.baseUrl], { cwd: repo.dir, env, progressIntervalMs: 100 })
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/^Reviewing: 0 of 1 requests done, 1 in flight, 0:00 elapsed, 0 tokens so far$/m)
    expect(result.stderr).not.toMatch(controlCharacters)
  })

  it('draws a live line on a terminal, and keeps stdout clean', async () => {
    const result = await runCliCapture(['--base-url', model.baseUrl], { cwd: repo.dir, env, terminalColumns: 100 })
    expect(result.stderr).toContain(`${CLEAR}Reviewing: 0 of 1 requests done, 1 in flight`)
    expect(result.stdout).not.toContain('Reviewing:')
  })

  it('under a real pseudo-terminal (dist/cli.js), wraps --help to the terminal and draws the live line', async () => {
    const hasScript = spawnSync('script', ['--version']).status === 0
    if (!hasScript) return
    const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))
    // Asynchronous on purpose: the loopback model answers from this process, so a synchronous child would hang.
    const run = async (command: string, columns: number): Promise<string> =>
      (
        await promisify(execFile)('script', ['-qec', `stty cols ${columns} rows 40; ${command}`, '/dev/null'], {
          cwd: repo.dir,
          encoding: 'utf8',
          timeout: 30_000,
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TERM: 'xterm', ...env }
        })
      ).stdout
    const help = await run(`node ${cli} --help`, 60)
    const widest = Math.max(...help.split(/\r?\n/).map((line) => line.length))
    expect(widest).toBeLessThanOrEqual(60)
    expect(help).toContain('--dry-run')
    const review = await run(`node ${cli} --base-url ${model.baseUrl}`, 120)
    expect(review).toContain(`${CLEAR}Reviewing: 0 of 1 requests done, 1 in flight`)
  })
})
