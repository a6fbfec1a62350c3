/**
 * The committed bundle, run the way the runner runs it: `node dist/index.js` in a fresh process with
 * INPUT_* and GITHUB_* variables and a real pull_request webhook payload (from @octokit/webhooks-examples).
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  actionEnvironment,
  API_KEY,
  createWorkspace,
  GITHUB_TOKEN,
  OWNER,
  pullRequestEvent,
  REPO
} from '../../__fixtures__/e2e/harness.js'
import { commentableRightLines } from '../../__fixtures__/e2e/commentable.js'
import { scriptFindings } from '../../__fixtures__/model/scripted-reviewer.js'
import { type FakePull, startGitHubServer } from '../../__fixtures__/servers/github-server.js'
import { findingsResponse, startResponsesServer } from '../../__fixtures__/servers/responses-server.js'

const DIST = fileURLToPath(new URL('../../dist/index.js', import.meta.url))
const SAMPLE_DIFF = readFileSync(new URL('../../__fixtures__/e2e/sample-pr.diff', import.meta.url), 'utf8')

function runNode(
  script: string,
  env: Record<string, string>
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // A clean environment: only what the runner would set, plus PATH for node itself.
    const child = spawn(process.execPath, [script], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'pipe' })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString('utf8')))
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString('utf8')))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('dist/index.js', () => {
  it('reviews a pull request when run by node as the runner does', async () => {
    const pull: FakePull = {
      number: 5,
      title: 'Add helper',
      body: 'Small change.',
      headSha: 'e'.repeat(40),
      baseSha: 'f'.repeat(40),
      headRef: 'feature',
      baseRef: 'main',
      diff: SAMPLE_DIFF
    }
    const github = await startGitHubServer({ owner: OWNER, repo: REPO, token: GITHUB_TOKEN, pulls: [pull] })
    const model = await startResponsesServer((request) => ({ body: findingsResponse(scriptFindings(request)) }))
    const workspace = createWorkspace()
    try {
      const env = actionEnvironment({
        workspace,
        eventPath: workspace.writeEvent(pullRequestEvent(pull, 'synchronize')),
        githubUrl: github.baseUrl,
        inputs: { 'api-key': API_KEY, 'base-url': model.baseUrl }
      })
      const result = await runNode(DIST, env)

      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect(result.stdout).toContain('::group::Review')
      expect(model.requests).toHaveLength(1)
      expect(github.reviews).toHaveLength(1)
      const commentable = commentableRightLines(SAMPLE_DIFF)
      for (const comment of github.reviews[0]!.comments)
        expect(commentable.get(comment.path)?.has(comment.line)).toBe(true)
      expect(github.issueComments).toHaveLength(1)
      expect(workspace.outputs()['comments-posted']).toBe(String(github.reviews[0]!.comments.length))
    } finally {
      await github.close()
      await model.close()
      workspace.remove()
    }
  }, 60_000)
})
