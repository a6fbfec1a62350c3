/**
 * Who the action posts as decides which comments are its own: with GITHUB_TOKEN (github-actions[bot]), an app's
 * installation token (my-app[bot]) and a personal token (a user), the run edits and trusts only comments that
 * account wrote; a comment by anyone else carrying our markers is left alone. When GitHub cannot say who the
 * token is, only a bot's comment can be the action's.
 */
import {
  appTokenGrant,
  personalTokenGrant,
  type FakeTokenGrant,
  type StoredComment
} from '../../__fixtures__/servers/github-server.js'
import { SAMPLE_DIFF } from '../../__fixtures__/servers/github-sample-diffs.js'
import { scriptFindings } from '../../__fixtures__/model/scripted-reviewer.js'
import { answerWith } from '../../__fixtures__/servers/responses-server.js'
import { makePull, startScenario, type Scenario } from '../../__fixtures__/e2e/scenario.js'
import { SUMMARY_MARKER } from '../../src/render/summary-input.js'

const marked = (scenario: Scenario): StoredComment[] =>
  scenario.github.issueComments.filter((comment) => comment.body.includes(SUMMARY_MARKER))

describe('the account the action posts as', () => {
  let scenario: Scenario
  afterEach(async () => scenario?.close())

  async function start(identity?: FakeTokenGrant): Promise<Scenario> {
    return startScenario({
      pull: makePull(SAMPLE_DIFF),
      handler: (request) => ({ body: answerWith(request, scriptFindings(request)) }),
      ...(identity === undefined ? {} : { github: { identity } })
    })
  }

  it.each<[string, FakeTokenGrant | undefined, string]>([
    ['GITHUB_TOKEN', undefined, 'github-actions[bot]'],
    ['an app installation token', appTokenGrant('my-app'), 'my-app[bot]'],
    ['a personal token', personalTokenGrant('release-bot-user'), 'release-bot-user']
  ])(
    'with %s: writes its summary as that account, updates it on a re-run, ignores a pasted one',
    async (_, identity, login) => {
      scenario = await start(identity)
      const pasted = scenario.github.addIssueComment({
        pullNumber: scenario.pull.number,
        body: `${SUMMARY_MARKER}\nnot the action`,
        user: { login: 'mallory', type: 'User' }
      })
      const first = await scenario.run()
      expect(first.exitCode).toBeUndefined()
      expect(first.log).toContain(`Posting as ${login} (id `)
      const ours = marked(scenario).filter((comment) => comment.user.login === login)
      expect(ours).toHaveLength(1)
      expect(scenario.github.reviews[0]?.user.login).toBe(login)

      const patchedBefore = scenario.github.requests.filter((request) => request.method === 'PATCH').length
      const second = await scenario.run()
      expect(second.exitCode).toBeUndefined()
      expect(marked(scenario).filter((comment) => comment.user.login === login)).toHaveLength(1)
      const patches = scenario.github.requests.filter((request) => request.method === 'PATCH').slice(patchedBefore)
      expect(patches.map((request) => request.path)).toEqual([
        `/repos/octo-org/hello-world/issues/comments/${ours[0]?.id}`
      ])
      expect(pasted.body).toBe(`${SUMMARY_MARKER}\nnot the action`)
    }
  )

  it('trusts only a bot when GitHub cannot say who the token is, and says so', async () => {
    scenario = await start()
    // A GitHub Enterprise Server without GraphQL; GITHUB_TOKEN cannot read GET /user either.
    scenario.github.inject({
      method: 'POST',
      pathPattern: /^\/graphql$/,
      times: 10,
      status: 404,
      body: { message: 'Not Found' }
    })
    const human = scenario.github.addIssueComment({
      pullNumber: scenario.pull.number,
      body: `${SUMMARY_MARKER}\nhuman`
    })
    const step = await scenario.run()
    expect(step.exitCode).toBeUndefined()
    expect(step.log).toMatch(/::warning::Could not tell which account the token posts as/)
    expect(human.body).toBe(`${SUMMARY_MARKER}\nhuman`)
    expect(marked(scenario).filter((comment) => comment.user.type === 'Bot')).toHaveLength(1)
  })
})
