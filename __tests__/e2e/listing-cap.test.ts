/**
 * Issue 12, item 8: a pull request over GitHub's 3,000-file listing cap. With a checkout of the head that has the
 * base in its history, the action reviews the whole diff from git; without one, the summary says how many files
 * were not reviewed and how to get them reviewed.
 */
import { findingsResponse } from '../../__fixtures__/servers/responses-server.js'
import { makePull, startScenario, type Scenario } from '../../__fixtures__/e2e/scenario.js'
import { GIT_DIFF_FLAGS } from '../../src/cli/git.js'
import { createTempRepo, type TempRepo } from '../context/git-repo.js'

/** Past the 3,000 files GitHub lists. */
const FILES = 3_010

describe('a pull request over the 3,000-file listing cap', () => {
  let repo: TempRepo
  let base: string
  let head: string
  let diff: string
  let scenario: Scenario

  beforeAll(() => {
    repo = createTempRepo()
    repo.write('README.md', '# many files\n')
    base = repo.commitAll('base')
    repo.git('checkout', '--quiet', '-b', 'feature')
    for (let index = 0; index < FILES; index += 1) {
      repo.write(`data/${String(index).padStart(4, '0')}.txt`, `entry ${index}\n`)
    }
    head = repo.commitAll('add many files')
    diff = repo.git('diff', ...GIT_DIFF_FLAGS, base, head)
  }, 60_000)
  afterAll(() => repo.remove())
  afterEach(async () => scenario?.close())

  async function start(): Promise<Scenario> {
    scenario = await startScenario({
      pull: makePull(diff, { headSha: head, baseSha: base }),
      handler: () => ({ body: findingsResponse({ overview: 'Data files.', findings: [] }) })
    })
    return scenario
  }

  it('reviews every file from the workspace’s checkout when it holds the head and the base', async () => {
    await start()
    const step = await scenario.run({
      inputs: { 'context-tokens': '0', 'max-chunk-tokens': '200000' },
      env: { GITHUB_WORKSPACE: repo.dir }
    })

    expect(step.exitCode).toBeUndefined()
    expect(step.log).toContain(`GitHub listed only 3000 of ${FILES.toLocaleString('en-US')} files; took the whole diff`)
    const summary = scenario.summary()
    expect(summary).toContain(`**Reviewed:** ${FILES.toLocaleString('en-US')} files`)
    expect(summary).toContain("The diff is `git diff` of the workspace's checkout")
    expect(summary).not.toContain('not reviewed. To review them')
    const sent = scenario.model.requests.map((request) => JSON.stringify(request.body)).join('')
    expect(sent).toContain('data/3009.txt')
  }, 120_000)

  it('says how many files were not reviewed, and how to get them reviewed, without such a checkout', async () => {
    await start()
    const step = await scenario.run({ inputs: { 'context-tokens': '0', 'max-chunk-tokens': '200000' } })

    expect(step.exitCode).toBeUndefined()
    expect(step.log).toContain('the workspace cannot give the whole diff (GITHUB_WORKSPACE is not set)')
    const summary = scenario.summary()
    expect(summary).toContain('**Reviewed:** 3,000 files')
    expect(summary).toContain('GitHub lists at most 3,000 files: 10 more changed files were not reviewed.')
    expect(summary).toMatch(
      /check out the head with its history before this action \(`actions\/checkout` with `ref: .{1,3}head sha>` and `fetch-depth: 0`/
    )
  }, 120_000)
})
