/**
 * One end-to-end scenario: the loopback GitHub (optionally under a GHES path prefix) holding one pull request,
 * the loopback Responses server with a handler, a runner workspace, and `run()` with fast waits. The fault and
 * edge-case tests build on this; assertions stay on what GitHub and the model received.
 */
import { run, type RunOptions } from '../../src/main.js'
import { SUMMARY_MARKER } from '../../src/render/summary-input.js'
import {
  type FakeGitHub,
  type FakePull,
  type GitHubServerOptions,
  startGitHubServer
} from '../servers/github-server.js'
import { type ResponsesHandler, type ResponsesServer, startResponsesServer } from '../servers/responses-server.js'
import {
  actionEnvironment,
  API_KEY,
  createWorkspace,
  FAST_RUN,
  GITHUB_TOKEN,
  OWNER,
  pullRequestEvent,
  REPO,
  runStep,
  type StepResult,
  type Workspace
} from './harness.js'

export { FAST_RUN } from './harness.js'

export function makePull(diff: string, overrides: Partial<FakePull> = {}): FakePull {
  return {
    number: 17,
    title: 'A change',
    body: 'What this PR does.',
    headSha: 'c'.repeat(40),
    baseSha: 'd'.repeat(40),
    headRef: 'feature',
    baseRef: 'main',
    diff,
    ...overrides
  }
}

export interface Scenario {
  readonly github: FakeGitHub
  readonly model: ResponsesServer
  readonly workspace: Workspace
  readonly pull: FakePull
  /** The step's variables; `api-key` and `base-url` preset, `inputs` added on top. */
  env(inputs?: Record<string, string>): Record<string, string>
  run(options?: {
    readonly inputs?: Record<string, string>
    readonly env?: Record<string, string>
    readonly run?: RunOptions
  }): Promise<StepResult<void>>
  /** Body of the one summary comment ('' when none). */
  summary(): string
  close(): Promise<void>
}

export async function startScenario(options: {
  readonly pull: FakePull
  readonly handler?: ResponsesHandler
  readonly pathPrefix?: string
  /** More of the fake GitHub's options (repository files per ref, users' roles, symbolic links in trees). */
  readonly github?: Pick<GitHubServerOptions, 'files' | 'permissions' | 'identity' | 'tokens' | 'gitTrees'>
}): Promise<Scenario> {
  const github = await startGitHubServer({
    owner: OWNER,
    repo: REPO,
    token: GITHUB_TOKEN,
    pulls: [options.pull],
    ...(options.pathPrefix === undefined ? {} : { pathPrefix: options.pathPrefix }),
    ...options.github
  })
  const model = await startResponsesServer(options.handler)
  const workspace = createWorkspace()
  const env = (inputs: Record<string, string> = {}): Record<string, string> =>
    actionEnvironment({
      workspace,
      eventPath: workspace.writeEvent(pullRequestEvent(options.pull)),
      githubUrl: github.baseUrl,
      inputs: { 'api-key': API_KEY, 'base-url': model.baseUrl, ...inputs }
    })
  return {
    github,
    model,
    workspace,
    pull: options.pull,
    env,
    run: (step = {}) => runStep({ ...env(step.inputs), ...step.env }, () => run(step.run ?? FAST_RUN)),
    summary: () => github.issueComments.find((comment) => comment.body.includes(SUMMARY_MARKER))?.body ?? '',
    close: async () => {
      await github.close()
      await model.close()
      workspace.remove()
    }
  }
}

/** A PR adding `files` new TypeScript files of `lines` lines each, `src/mod0.ts` … : one chunk per file at a small budget. */
export function newFilesDiff(options: { readonly files: number; readonly lines: number }): string {
  const sections: string[] = []
  for (let file = 0; file < options.files; file += 1) {
    const path = `src/mod${file}.ts`
    const body = Array.from(
      { length: options.lines },
      (_, line) => `+export const value${file}x${line} = compute(${line}, 'padding text for the token count')`
    )
    sections.push(
      `diff --git a/${path} b/${path}`,
      'new file mode 100644',
      `index 0000000..${String(1000000 + file)}`,
      '--- /dev/null',
      `+++ b/${path}`,
      `@@ -0,0 +1,${options.lines} @@`,
      ...body
    )
  }
  return `${sections.join('\n')}\n`
}
