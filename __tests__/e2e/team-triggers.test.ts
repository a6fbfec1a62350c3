/**
 * Who and what starts a review, end to end through `run()`: `/review` comments checked against the
 * commenter's permission through the API, and the skip rules (drafts, labels, authors).
 */
import { issueCommentEvent } from '../../__fixtures__/e2e/issue-comment-event.js'
import { startTeamScenario, teamPull, type TeamScenario } from '../../__fixtures__/e2e/team-scenario.js'
import type { FakePull } from '../../__fixtures__/servers/github-server.js'

const PERMISSIONS = { maintainer: 'maintain', writer: 'write', reader: 'read', triager: 'triage' } as const
const writes = (scenario: TeamScenario) => scenario.github.requests.filter((request) => request.method !== 'GET')

describe('on-demand reviews (/review)', () => {
  let scenario: TeamScenario
  afterEach(async () => scenario?.close())

  async function comment(body: string, commenter: string, options: { pull?: FakePull; onPullRequest?: boolean } = {}) {
    const pull = options.pull ?? teamPull()
    scenario = await startTeamScenario({ pull, permissions: PERMISSIONS })
    const payload = issueCommentEvent({
      pull,
      body,
      commenter,
      ...(options.onPullRequest === undefined ? {} : { onPullRequest: options.onPullRequest })
    })
    return scenario.run({ event: { name: 'issue_comment', payload } })
  }

  it.each(['maintainer', 'writer'])('reviews when %s comments /review', async (commenter) => {
    const step = await comment('/review', commenter)
    expect(step.exitCode).toBeUndefined()
    const permission = scenario.github.requests.find((request) => request.path.endsWith('/permission'))
    expect(permission?.path).toBe(`/repos/octo-org/hello-world/collaborators/${commenter}/permission`)
    expect(scenario.github.reviews).toHaveLength(1)
    expect(scenario.summary()).not.toBe('')
    expect(step.log).toContain(`/review requested by ${commenter}`)
  })

  it('runs a full review on /review full', async () => {
    const step = await comment('/review full', 'writer')
    expect(scenario.github.reviews).toHaveLength(1)
    expect(step.log).toContain('/review full requested by writer (write access).')
  })

  it.each(['reader', 'triager', 'drive-by-stranger'])(
    'ignores /review by %s: a notice, exit 0, nothing posted',
    async (commenter) => {
      const step = await comment('/review', commenter)
      expect(step.exitCode).toBeUndefined()
      expect(step.log).toMatch(new RegExp(`::notice::Ignored: /review by ${commenter}, who has "(read|triage)" access`))
      expect(writes(scenario)).toHaveLength(0)
      expect(scenario.model.requests).toHaveLength(0)
      // Nothing about the pull request was read before the permission said no.
      expect(scenario.github.requests.filter((request) => request.path.includes('/pulls/'))).toHaveLength(0)
    }
  )

  it.each([
    ['a comment on an issue', '/review', { onPullRequest: false }, /the comment is on an issue, not on a pull request/],
    ['a comment that is not a command', 'Nice work!', {}, /does not start with \/review/]
  ])('ignores %s without calling GitHub', async (_label, body, options, notice) => {
    const step = await comment(body, 'maintainer', options)
    expect(step.exitCode).toBeUndefined()
    expect(step.log).toMatch(notice)
    expect(scenario.github.requests).toHaveLength(0)
    expect(scenario.model.requests).toHaveLength(0)
  })

  it('reviews a draft when a writer asks for it', async () => {
    await comment('/review', 'writer', { pull: teamPull({ draft: true }) })
    expect(scenario.github.reviews).toHaveLength(1)
  })
})

describe('skip rules', () => {
  let scenario: TeamScenario
  afterEach(async () => scenario?.close())

  it.each<[string, Partial<FakePull>, Record<string, string>, RegExp]>([
    ['a draft', { draft: true }, {}, /::notice::Skipped: #17 is a draft; it is reviewed when marked ready for review/],
    [
      'a PR with a skip label',
      { labels: ['bug', 'No-AI-Review'] },
      { 'skip-labels': 'no-ai-review, wip' },
      /::notice::Skipped: #17 has the label "No-AI-Review", listed in skip-labels/
    ],
    [
      'a PR by a skipped author',
      { author: 'dependabot[bot]' },
      { 'skip-authors': 'dependabot[bot]' },
      /::notice::Skipped: #17 was opened by dependabot\[bot\], listed in skip-authors/
    ]
  ])('skips %s with a notice, exit 0, nothing posted', async (_label, pullOverrides, inputs, notice) => {
    scenario = await startTeamScenario({ pull: teamPull(pullOverrides) })
    const step = await scenario.run({ inputs })
    expect(step.exitCode).toBeUndefined()
    expect(step.log).toMatch(notice)
    expect(writes(scenario)).toHaveLength(0)
    expect(scenario.model.requests).toHaveLength(0)
  })

  it('reviews a draft with review-drafts: true', async () => {
    scenario = await startTeamScenario({ pull: teamPull({ draft: true }) })
    const step = await scenario.run({ inputs: { 'review-drafts': 'true' } })
    expect(step.exitCode).toBeUndefined()
    expect(scenario.github.reviews).toHaveLength(1)
  })

  it('reviews PRs whose labels and author are not listed', async () => {
    scenario = await startTeamScenario({ pull: teamPull({ labels: ['bug'], author: 'alice' }) })
    await scenario.run({ inputs: { 'skip-labels': 'no-ai-review', 'skip-authors': 'dependabot[bot]' } })
    expect(scenario.github.reviews).toHaveLength(1)
  })
})
