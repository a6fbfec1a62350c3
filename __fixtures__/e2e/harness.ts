/**
 * Runs the action the way the runner does: `INPUT_*` and `GITHUB_*` variables, an event payload file,
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, against the loopback GitHub and Responses servers.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunOptions } from '../../src/main.js'
import type { FakePull } from '../servers/github-server.js'

const require = createRequire(import.meta.url)

export const OWNER = 'octo-org'
export const REPO = 'hello-world'
export const GITHUB_TOKEN = 'ghs_loopbackTokenForTests000000000000'
export const API_KEY = 'sk-aiml-LOOPBACK-SECRET-7f3a9c1e5b'

/** Waits shrunk to nothing: GitHub's write spacing, its retry-after unit, the model client's back-off. */
export const FAST_RUN: RunOptions = {
  githubThrottle: { writeSpacingMs: 0, notificationSpacingMs: 0, retryAfterUnitMs: 1 },
  modelTransport: { sleep: async () => undefined }
}

interface WebhookExample {
  action?: string
  [key: string]: unknown
}

/** A real `pull_request` webhook payload (from @octokit/webhooks-examples), pointed at our fake pull. */
export function pullRequestEvent(pull: FakePull, action = 'opened'): Record<string, unknown> {
  const index = require('@octokit/webhooks-examples') as { name: string; examples: WebhookExample[] }[]
  const example = index.find((entry) => entry.name === 'pull_request')?.examples.find((e) => e.action === action)
  if (example === undefined) throw new Error(`no pull_request.${action} example`)
  const payload = structuredClone(example) as Record<string, unknown> & {
    number: number
    pull_request: Record<string, unknown> & {
      number: number
      head: { sha: string; repo: { full_name: string } | null }
      base: { sha: string; repo: { full_name: string } }
      user: { login: string }
    }
    repository: { full_name: string; name: string; owner: { login: string } }
  }
  payload.number = pull.number
  payload.pull_request.number = pull.number
  payload.pull_request.head.sha = pull.headSha
  payload.pull_request.base.sha = pull.baseSha
  payload.pull_request.base.repo.full_name = `${OWNER}/${REPO}`
  if (payload.pull_request.head.repo !== null) {
    payload.pull_request.head.repo.full_name = pull.headRepo ?? `${OWNER}/${REPO}`
  }
  payload.pull_request.user.login = pull.author ?? 'octocat'
  payload.repository.full_name = `${OWNER}/${REPO}`
  payload.repository.name = REPO
  payload.repository.owner.login = OWNER
  return payload
}

export interface Workspace {
  readonly dir: string
  readonly outputPath: string
  readonly summaryPath: string
  /** Writes an event payload file (default `event.json`) and returns its path. */
  writeEvent(payload: unknown, name?: string): string
  outputs(): Record<string, string>
  jobSummary(): string
  remove(): void
}

export function createWorkspace(): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'codex-pr-review-e2e-'))
  const outputPath = join(dir, 'github_output')
  const summaryPath = join(dir, 'step_summary')
  writeFileSync(outputPath, '')
  writeFileSync(summaryPath, '')
  return {
    dir,
    outputPath,
    summaryPath,
    writeEvent(payload, name = 'event.json') {
      const path = join(dir, name)
      writeFileSync(path, JSON.stringify(payload))
      return path
    },
    outputs: () => parseOutputFile(readFileSync(outputPath, 'utf8')),
    jobSummary: () => readFileSync(summaryPath, 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true })
  }
}

/** Parses the `name<<delimiter` blocks @actions/core appends to GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i += 1) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '')
    if (match?.[1] === undefined || match[2] === undefined) continue
    const end = lines.indexOf(match[2], i + 1)
    outputs[match[1]] = lines.slice(i + 1, end).join('\n')
    i = end
  }
  return outputs
}

/** The variables the runner sets for a JavaScript action step. */
export function actionEnvironment(options: {
  readonly workspace: Workspace
  readonly eventPath: string
  readonly eventName?: string
  readonly githubUrl: string
  readonly inputs: Record<string, string>
}): Record<string, string> {
  const env: Record<string, string> = {
    GITHUB_EVENT_NAME: options.eventName ?? 'pull_request',
    GITHUB_EVENT_PATH: options.eventPath,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_API_URL: options.githubUrl,
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_OUTPUT: options.workspace.outputPath,
    GITHUB_STEP_SUMMARY: options.workspace.summaryPath,
    // The runner gives every job its own temp directory; without it the reports of parallel test files would
    // share the system temp directory and overwrite each other.
    RUNNER_TEMP: options.workspace.dir,
    'INPUT_GITHUB-TOKEN': GITHUB_TOKEN
  }
  for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  return env
}

export interface StepResult<T> {
  readonly value: T
  /** `process.exitCode` as the step left it: 1 after `core.setFailed`. */
  readonly exitCode: number | undefined
  /** Everything written to stdout (where @actions/core writes logs and commands). */
  readonly log: string
}

/**
 * Runs `work` with `env` applied to process.env as a fresh step would see it, capturing what it logs,
 * then restores the environment, stdout and the exit code.
 */
export async function runStep<T>(env: Record<string, string>, work: () => Promise<T>): Promise<StepResult<T>> {
  const saved = { ...process.env }
  for (const key of Object.keys(process.env)) {
    if (key.startsWith('INPUT_') || key.startsWith('GITHUB_') || key.startsWith('RUNNER_')) delete process.env[key]
  }
  Object.assign(process.env, env)
  const savedExitCode = process.exitCode
  process.exitCode = undefined
  const chunks: string[] = []
  const write = process.stdout.write.bind(process.stdout)
  process.stdout.write = ((chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
    return true
  }) as typeof process.stdout.write
  try {
    const value = await work()
    return { value, exitCode: process.exitCode as number | undefined, log: chunks.join('') }
  } finally {
    process.stdout.write = write
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
    Object.assign(process.env, saved)
    process.exitCode = savedExitCode
  }
}
