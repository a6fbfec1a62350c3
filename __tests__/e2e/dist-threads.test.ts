/**
 * The review threads through the built bundle (issue 13): open → a writer replies → push a fix → the next push,
 * each run a fresh `node dist/index.js` process against one loopback GitHub, as the runner would start them.
 */
import {
  actionEnvironment,
  API_KEY,
  createWorkspace,
  GITHUB_TOKEN,
  OWNER,
  pullRequestEvent,
  REPO
} from '../../__fixtures__/e2e/harness.js'
import { replaceLine } from '../../__fixtures__/e2e/pull-history.js'
import { runDist } from '../../__fixtures__/e2e/run-dist.js'
import { createThreadHistory, reviewCommentEvent, threadModel } from '../../__fixtures__/e2e/thread-history.js'
import { requireCommit } from '../../__fixtures__/servers/fake-git.js'
import { ACTIONS_BOT, startGitHubServer } from '../../__fixtures__/servers/github-server.js'
import { userIdOf } from '../../__fixtures__/servers/github-shapes.js'
import { startResponsesServer } from '../../__fixtures__/servers/responses-server.js'
import { SUMMARY_MARKER } from '../../src/render/summary-input.js'
import { parseAnswerMarker, parseSettledMarker } from '../../src/review/thread-markers.js'

const MAINTAINER = { login: 'maintainer', type: 'User' as const }

describe('dist/index.js and review threads', () => {
  it('opens, answers a reply, resolves the fixed thread, and counts it all in the summary and outputs', async () => {
    const history = createThreadHistory()
    const github = await startGitHubServer({
      owner: OWNER,
      repo: REPO,
      token: GITHUB_TOKEN,
      pulls: [history.pull],
      commits: history.graph,
      permissions: { maintainer: 'write' }
    })
    const model = await startResponsesServer(threadModel)
    const workspace = createWorkspace()
    const step = async (eventName: string, payload: unknown) => {
      const env = actionEnvironment({
        workspace,
        eventPath: workspace.writeEvent(payload),
        eventName,
        githubUrl: github.baseUrl,
        inputs: { 'api-key': API_KEY, 'base-url': model.baseUrl }
      })
      const result = await runDist(env)
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      return workspace.outputs()
    }
    try {
      await step('pull_request', pullRequestEvent(history.pull, 'opened'))
      const app = github.reviewComments.find((comment) => comment.path === 'src/app.ts')!
      const util = github.reviewComments.find((comment) => comment.path === 'src/util.ts')!

      const question = github.addReply({ commentId: util.id, body: 'Why is this a problem?', user: MAINTAINER })
      const user = { ...MAINTAINER, id: userIdOf(MAINTAINER) }
      const answered = await step(
        'pull_request_review_comment',
        reviewCommentEvent({ pull: history.pull, reply: question, user })
      )
      expect(answered['threads-resolved']).toBe('0')
      const answers = github.reviewComments.filter(
        (comment) => comment.inReplyToId === util.id && comment.user?.login === ACTIONS_BOT.login
      )
      expect(answers.map((comment) => parseAnswerMarker(comment.body))).toEqual([{ to: question.id, dismissed: false }])

      const files = requireCommit(history.graph, history.pull.headSha).files
      const fix = github.pushCommit({
        pullNumber: history.pull.number,
        changes: { 'src/app.ts': replaceLine(files['src/app.ts']!, 7, 'send(checked(token))') }
      })
      const pushed = await step('pull_request', pullRequestEvent(history.pull, 'synchronize'))
      expect(pushed['threads-resolved']).toBe('1')
      const settled = github.reviewComments.filter((comment) => comment.inReplyToId === app.id)
      expect(settled.map((comment) => [comment.body.split('\n')[0], parseSettledMarker(comment.body)])).toEqual([
        [`Fixed in \`${fix.slice(0, 7)}\`.`, 'fixed']
      ])
      expect(github.threads.get(app.id)?.resolvedBy?.login).toBe(ACTIONS_BOT.login)
      const summary = github.issueComments.find((comment) => comment.body.includes(SUMMARY_MARKER))?.body ?? ''
      expect(summary).toContain('**Review threads:** 1 open · 1 fixed · 0 dismissed · 1 reply answered.')
      expect(model.requests).toHaveLength(3)
    } finally {
      await github.close()
      await model.close()
      workspace.remove()
    }
  }, 120_000)
})
