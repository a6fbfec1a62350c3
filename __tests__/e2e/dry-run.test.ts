/**
 * The action's dry run: no key, no model request, nothing posted on the pull request; the plan and its
 * estimated cost go to the job summary, on a same-repository pull request and on a fork's alike.
 */
import { isGitHubWrite } from '../../__fixtures__/servers/github-server.js'
import { SAMPLE_DIFF } from '../../__fixtures__/servers/github-sample-diffs.js'
import { makePull, startScenario, type Scenario } from '../../__fixtures__/e2e/scenario.js'

describe('dry-run: true', () => {
  let scenario: Scenario
  afterEach(async () => scenario?.close())

  it.each([
    ['a pull request of the repository', {}],
    ['a fork pull request (no secrets)', { headRepo: 'stranger/hello-world' }]
  ])('plans %s without a key, a model request or a write, and shows the plan in the job summary', async (_, pull) => {
    scenario = await startScenario({ pull: makePull(SAMPLE_DIFF, pull) })
    const step = await scenario.run({ inputs: { 'dry-run': 'true', 'api-key': '' } })

    expect(step.exitCode).toBeUndefined()
    expect(scenario.model.requests).toHaveLength(0)
    expect(scenario.github.requests.filter(isGitHubWrite)).toEqual([])
    expect(step.log).toMatch(/Dry run: would review 1 file\(s\) in 1 request\(s\), estimated \$0\.\d+/)
    const summary = scenario.workspace.jobSummary()
    expect(summary).toContain('Dry run (`dry-run: true`): nothing was sent to the model and nothing was posted')
    expect(summary).toContain('## Review plan: octo-org/hello-world#17')
    expect(summary).toMatch(/\| `src\/app\.ts` \| modified \|/)
    expect(summary).toContain('| `logo.png` | image: .png |')
    expect(summary).toMatch(/- Estimated cost: \$0\.\d{4}/)
    const outputs = scenario.workspace.outputs()
    expect(outputs).toMatchObject({ 'files-reviewed': '1', 'files-skipped': '2', chunks: '1', 'cost-usd': '0' })
  })

  it('plans the cost ceiling and escalation as the review would, naming the inputs (not CLI flags)', async () => {
    scenario = await startScenario({ pull: makePull(SAMPLE_DIFF) })
    const step = await scenario.run({
      inputs: { 'dry-run': 'true', 'api-key': '', 'max-cost-usd': '0.000001', 'escalate-on-risk': 'high' }
    })
    expect(step.exitCode).toBeUndefined()
    expect(scenario.model.requests).toHaveLength(0)
    const summary = scenario.workspace.jobSummary()
    expect(summary).toMatch(/- Cost ceiling: \$0\.0000\d* \(`max-cost-usd`\)/)
    expect(summary).toMatch(/- Not reviewed: cost ceiling, 1 chunk\(s\) needing about \$0\.\d+ more: #1/)
    expect(summary).toContain('| 1 | ')
    expect(summary).toContain('not reviewed: cost ceiling')
    expect(summary).toMatch(/- `escalate-on-risk` high: chunks `model` rates high risk reviewed again by it/)
    expect(summary).toContain('(assumed for effort medium), reasoning included.')
    // Context is gathered as the review would (read-only), counted per chunk and in the estimate.
    expect(summary).toContain('| Chunk | Diff tokens | Context tokens | Changed lines | Files |')
    expect(summary).toMatch(
      /Context: [\d,]+ tokens of code around the change over 1 request\(s\), at most 4,000 per request \(`context-tokens`\)/
    )
    expect(summary).not.toMatch(/--[a-z]/)
  })

  it('still needs the key for a real review', async () => {
    scenario = await startScenario({ pull: makePull(SAMPLE_DIFF) })
    const step = await scenario.run({ inputs: { 'api-key': '' } })
    expect(step.exitCode).toBe(1)
    expect(step.log).toContain('::error::Input "api-key" is required')
  })
})
