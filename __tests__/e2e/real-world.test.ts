/**
 * A real pull request's worth of change: summernote 0.8.9 → 0.8.10 as `git diff` writes it (406 files,
 * about 3,700 changed lines, renames, deletions, binaries), made at test time from the npm registry.
 * Over 300 files, so the fake GitHub answers the diff media type with 406 like the real one, and the
 * action must fall back to paginated listFiles.
 */
import { run } from '../../src/main.js'
import {
  actionEnvironment,
  API_KEY,
  createWorkspace,
  FAST_RUN,
  GITHUB_TOKEN,
  OWNER,
  pullRequestEvent,
  REPO,
  runStep
} from '../../__fixtures__/e2e/harness.js'
import { commentableRightLines } from '../../__fixtures__/e2e/commentable.js'
import { scriptFindings } from '../../__fixtures__/model/scripted-reviewer.js'
import { loadRealWorldDiff } from '../../__fixtures__/real-world-diff.js'
import { type FakePull, startGitHubServer } from '../../__fixtures__/servers/github-server.js'
import { findingsResponse, startResponsesServer } from '../../__fixtures__/servers/responses-server.js'
import { SUMMARY_MARKER } from '../../src/render/summary-input.js'

/** Every file git lists in the diff, by its path in the head (or in the base when deleted). */
function filesInDiff(diff: string): string[] {
  const paths: string[] = []
  for (const block of diff.split(/^diff --git /m).slice(1)) {
    const header = /^a\/(.+?) b\/(.+)$/m.exec(block)
    if (header?.[1] === undefined || header[2] === undefined) continue
    paths.push(/^deleted file mode/m.test(block) ? header[1] : header[2])
  }
  return paths
}

describe('a real-world pull request', () => {
  const diff = loadRealWorldDiff()

  it('posts exactly one review on lines of the diff, and a summary that accounts for every file', async () => {
    const pull: FakePull = {
      number: 88,
      title: 'Release 0.8.10',
      body: 'Upgrade summernote.',
      headSha: 'c'.repeat(40),
      baseSha: 'd'.repeat(40),
      headRef: 'release',
      baseRef: 'main',
      diff
    }
    const github = await startGitHubServer({ owner: OWNER, repo: REPO, token: GITHUB_TOKEN, pulls: [pull] })
    const model = await startResponsesServer((request) => ({
      body: findingsResponse(scriptFindings(request, { wrongCitations: true, perFile: 2 }))
    }))
    const workspace = createWorkspace()
    try {
      const env = actionEnvironment({
        workspace,
        eventPath: workspace.writeEvent(pullRequestEvent(pull)),
        githubUrl: github.baseUrl,
        inputs: { 'api-key': API_KEY, 'base-url': model.baseUrl, 'max-comments': '40', 'max-concurrency': '4' }
      })
      const step = await runStep(env, () => run(FAST_RUN))
      expect(step.exitCode).toBeUndefined()

      // GitHub refused the unified diff (over 300 files) and the action paged through listFiles.
      const diffRequests = github.requests.filter(
        (r) => r.path === `/repos/${OWNER}/${REPO}/pulls/88` && r.headers.accept?.includes('diff')
      )
      expect(diffRequests).toHaveLength(1)
      const filePages = github.requests.filter((r) => r.path.endsWith('/pulls/88/files'))
      expect(filePages.length).toBeGreaterThanOrEqual(5)

      expect(model.requests.length).toBeGreaterThan(1)
      expect(github.reviews).toHaveLength(1)
      const review = github.reviews[0]!
      expect(review.comments).toHaveLength(40)
      const commentable = commentableRightLines(diff)
      for (const comment of review.comments) expect(commentable.get(comment.path)?.has(comment.line)).toBe(true)

      const summary = github.issueComments.find((comment) => comment.body.includes(SUMMARY_MARKER))?.body ?? ''
      // A file is accounted for by name, or by its folder's row when the summary grouped a long list.
      const folderOf = (path: string): string => path.slice(0, path.lastIndexOf('/') + 1)
      const unaccounted = filesInDiff(diff).filter(
        (path) => !summary.includes(path) && !summary.includes(`\`${folderOf(path)}\` (`)
      )
      expect(unaccounted).toEqual([])
      expect(summary).toMatch(/Findings not posted inline/)
      expect(summary).toMatch(/over the max-comments limit/)
      const outputs = workspace.outputs()
      expect(Number(outputs['files-reviewed']) + Number(outputs['files-skipped'])).toBe(filesInDiff(diff).length)
      expect(outputs['chunks-failed']).toBe('0')
    } finally {
      await github.close()
      await model.close()
      workspace.remove()
    }
  }, 120_000)
})
