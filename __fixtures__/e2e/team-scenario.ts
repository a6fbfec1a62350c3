/**
 * End-to-end setup for the team controls: the loopback GitHub with repository files per ref and users'
 * roles, the loopback model answering with the scripted reviewer (plus an overview and a risk level per
 * chunk), a runner workspace whose RUNNER_TEMP receives the reports, and `run()` with fast waits.
 */
import { readFileSync } from 'node:fs'
import { readSentDiff, scriptFindings } from '../model/scripted-reviewer.js'
import type { FakePermissions, FakeRepoFiles } from '../servers/github-repo-routes.js'
import type { FakeGitHub, FakePull } from '../servers/github-server.js'
import { findingsResponse, type RecordedRequest, type ResponsesServer } from '../servers/responses-server.js'
import type { StepResult, Workspace } from './harness.js'
import { startScenario } from './scenario.js'

export const SAMPLE_DIFF = readFileSync(new URL('./sample-pr.diff', import.meta.url), 'utf8')
export const BASE_SHA = 'b'.repeat(40)
export const HEAD_SHA = 'a'.repeat(40)

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
  const scenario = await startScenario({
    pull: options.pull,
    handler: answerWithOverview,
    github: {
      ...(options.files === undefined ? {} : { files: options.files }),
      ...(options.permissions === undefined ? {} : { permissions: options.permissions })
    }
  })
  const { workspace } = scenario
  return {
    github: scenario.github,
    model: scenario.model,
    workspace,
    // Reports go to RUNNER_TEMP; another event is written beside the pull_request one the scenario writes.
    run: (step = {}) =>
      scenario.run({
        ...(step.inputs === undefined ? {} : { inputs: step.inputs }),
        env: {
          RUNNER_TEMP: workspace.dir,
          ...(step.event === undefined
            ? {}
            : {
                GITHUB_EVENT_NAME: step.event.name,
                GITHUB_EVENT_PATH: workspace.writeEvent(step.event.payload, 'other-event.json')
              })
        }
      }),
    summary: scenario.summary,
    close: scenario.close
  }
}
