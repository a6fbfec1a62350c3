/**
 * End-to-end setup for the team controls: the loopback GitHub with repository files per ref and users'
 * roles, the loopback model answering with the scripted reviewer (plus an overview and a risk level per
 * chunk), a runner workspace whose RUNNER_TEMP receives the reports, and `run()` with fast waits.
 */
import { readFileSync } from 'node:fs'
import { run, type RunOptions } from '../../src/main.js'
import { SUMMARY_MARKER } from '../../src/render/summary.js'
import { readSentDiff, scriptFindings } from '../model/scripted-reviewer.js'
import type { FakePermissions, FakeRepoFiles } from '../servers/github-repo-routes.js'
import { type FakeGitHub, type FakePull, startGitHubServer } from '../servers/github-server.js'
import { findingsResponse, type RecordedRequest, type ResponsesServer, startResponsesServer } from '../servers/responses-server.js'
import {
  actionEnvironment,
  API_KEY,
  createWorkspace,
  GITHUB_TOKEN,
  OWNER,
  pullRequestEvent,
  REPO,
  runStep,
  type StepResult,
  type Workspace
} from './harness.js'

export const SAMPLE_DIFF = readFileSync(new URL('./sample-pr.diff', import.meta.url), 'utf8')
export const BASE_SHA = 'b'.repeat(40)
export const HEAD_SHA = 'a'.repeat(40)

const FAST: RunOptions = {
  githubThrottle: { writeSpacingMs: 0, notificationSpacingMs: 0, retryAfterUnitMs: 1 },
  modelTransport: { sleep: async () => undefined }
}

export function teamPull(overrides: Partial<FakePull> = {}): FakePull {
  return {
    number: 17,
    title: 'Load config safely; add helper',
    body: 'A change.',
    headSha: HEAD_SHA,
    baseSha: BASE_SHA,
    headRef: 'feature',
    baseRef: 'main',
    diff: SAMPLE_DIFF,
    ...overrides
  }
}

/** The model's answer: two findings per file (high, medium, low, nit in turn), an overview and a risk level per chunk. */
export function answerWithOverview(request: RecordedRequest): { body: object } {
  const paths = [...new Set(readSentDiff(request).map((line) => line.path))]
  // A chunk of src/app.ts alone is the risky part; the one that reaches the helper is not.
  const risky = !paths.some((path) => path.includes('new-helper'))
  const payload = {
    ...scriptFindings(request, { perFile: 2 }),
    overview: `Changes ${paths.join(', ')}.`,
    risk: risky ? 'high' : 'low'
  }
  return { body: findingsResponse(payload) }
}

export interface TeamScenario {
  readonly github: FakeGitHub
  readonly model: ResponsesServer
  readonly workspace: Workspace
  /** Runs the action for a `pull_request` event, or for the event given. */
  run(options?: {
    readonly inputs?: Record<string, string>
    readonly event?: { readonly name: string; readonly payload: unknown }
  }): Promise<StepResult<void>>
  summary(): string
  close(): Promise<void>
}

export async function startTeamScenario(options: {
  readonly pull: FakePull
  readonly files?: FakeRepoFiles
  readonly permissions?: FakePermissions
}): Promise<TeamScenario> {
  const github = await startGitHubServer({
    owner: OWNER,
    repo: REPO,
    token: GITHUB_TOKEN,
    pulls: [options.pull],
    ...(options.files === undefined ? {} : { files: options.files }),
    ...(options.permissions === undefined ? {} : { permissions: options.permissions })
  })
  const model = await startResponsesServer(answerWithOverview)
  const workspace = createWorkspace()
  return {
    github,
    model,
    workspace,
    run: async (step = {}) => {
      const event = step.event ?? { name: 'pull_request', payload: pullRequestEvent(options.pull) }
      const env = actionEnvironment({
        workspace,
        eventPath: workspace.writeEvent(event.payload),
        eventName: event.name,
        githubUrl: github.baseUrl,
        inputs: { 'api-key': API_KEY, 'base-url': model.baseUrl, ...step.inputs }
      })
      return runStep({ ...env, RUNNER_TEMP: workspace.dir }, () => run(FAST))
    },
    summary: () => github.issueComments.find((comment) => comment.body.includes(SUMMARY_MARKER))?.body ?? '',
    close: async () => {
      await github.close()
      await model.close()
      workspace.remove()
    }
  }
}
