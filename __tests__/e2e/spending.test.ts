/**
 * Spending end to end through `run()`: the cost ceiling per run and per pull request (across pushes, against one
 * loopback GitHub that keeps a commit history and the summary's signed state), and escalation by risk. The
 * loopback model bills with the AI/ML API's `x-aimlapi-usd-spent` header where a test says so: that is the real
 * spending the ceiling must stop on. Assertions are on what the model and GitHub received, the outputs and the
 * summary.
 */
import { run } from '../../src/main.js'
import { SUMMARY_MARKER } from '../../src/render/summary-input.js'
import { parseFindingMarker } from '../../src/review/finding-marker.js'
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
  type Workspace
} from '../../__fixtures__/e2e/harness.js'
import {
  createPullHistory,
  replaceLine,
  steadyFindings,
  type PullHistory
} from '../../__fixtures__/e2e/pull-history.js'
import { makePull, startScenario, type Scenario } from '../../__fixtures__/e2e/scenario.js'
import { readSentDiff } from '../../__fixtures__/model/scripted-reviewer.js'
import { readSentInput } from '../../__fixtures__/servers/chat-completions-shapes.js'
import { requireCommit } from '../../__fixtures__/servers/fake-git.js'
import { type FakeGitHub, startGitHubServer } from '../../__fixtures__/servers/github-server.js'
import {
  answerWith,
  type RecordedRequest,
  type ResponsesHandler,
  type ResponsesServer,
  startResponsesServer
} from '../../__fixtures__/servers/responses-server.js'

const MINI = 'openai/gpt-5-1-codex-mini'
const CODEX = 'openai/gpt-5-1-codex'

/** A new file of `count` lines, as a git diff; `marker` is written into its first line. */
function addedFile(path: string, count = 12, marker = ''): string {
  const lines = Array.from(
    { length: count },
    (_, index) => `+export const value${index} = compute(${index}, 'some argument text')${index === 0 ? marker : ''}`
  )
  return [
    `diff --git a/${path} b/${path}`,
    'new file mode 100644',
    'index 0000000..1111111',
    '--- /dev/null',
    `+++ b/${path}`,
    `@@ -0,0 +1,${count} @@`,
    ...lines,
    ''
  ].join('\n')
}

const modelOf = (request: RecordedRequest): string => String((request.body as { model: string }).model)
const filesSent = (request: RecordedRequest): string[] => [...new Set(readSentDiff(request).map((line) => line.path))]

/** Answers with one finding per file (its first added line, titled by the file) and bills `billedUsd` if set. */
function steadyHandler(billedUsd?: number): ResponsesHandler {
  return (request) => ({
    headers: (billedUsd === undefined ? {} : { 'x-aimlapi-usd-spent': String(billedUsd) }) as Record<string, string>,
    body: answerWith(request, steadyFindings(request))
  })
}

describe('the cost ceiling of one run, end to end', () => {
  let scenario: Scenario
  afterEach(async () => scenario?.close())

  /** Four chunks at max-chunk-tokens 256, in the diff's order: docs, test, security-sensitive source, source. */
  const FOUR_KINDS =
    addedFile('docs/guide.md') +
    addedFile('src/app.test.ts') +
    addedFile('src/auth/login.ts') +
    addedFile('src/ui/button.ts')

  it('reviews the most important chunks the estimate allows and lists the rest with what they needed', async () => {
    scenario = await startScenario({ pull: makePull(FOUR_KINDS), handler: steadyHandler() })
    // Each request is estimated at about $0.0064 (3,000 output tokens at $2 per million dominate): two fit.
    const step = await scenario.run({
      inputs: { 'max-chunk-tokens': '256', 'max-cost-usd': '0.016', 'max-concurrency': '1' }
    })

    expect(step.exitCode).toBeUndefined()
    // Source before tests before docs, the security-sensitive path first; sent in that order.
    expect(scenario.model.requests.map(filesSent)).toEqual([['src/auth/login.ts'], ['src/ui/button.ts']])
    const outputs = scenario.workspace.outputs()
    expect(outputs).toMatchObject({
      'cost-ceiling-usd': '0.016',
      'chunks-over-ceiling': '2',
      'chunks-failed': '2',
      chunks: '4'
    })
    const summary = scenario.summary()
    expect(summary).toContain('### Cost ceiling')
    expect(summary).toMatch(/\*\*Spent:\*\* \$0\.\d{4} of \$0\.0160 this run may spend \(`max-cost-usd`\)\./)
    expect(summary).toMatch(
      /\*\*Not reviewed: cost ceiling\*\* — 2 chunk\(s\), which would have needed about \$0\.01\d{2} more:/
    )
    expect(summary).toMatch(/- Chunk 2: `src\/app\.test\.ts`: about \$0\.00\d{2} \(left out by the plan\)/)
    expect(summary).toMatch(/- Chunk 1: `docs\/guide\.md`: about \$0\.00\d{2} \(left out by the plan\)/)
    // The failed-chunks table says the same, and the reviewed files got their comments.
    expect(summary).toMatch(/\| 1 \| `docs\/guide\.md` \| not reviewed: cost ceiling \(needed about \$0\.00\d{2};/)
    expect(scenario.github.reviewComments.map((comment) => comment.path).sort()).toEqual([
      'src/auth/login.ts',
      'src/ui/button.ts'
    ])
    expect(step.log).toMatch(/Cost ceiling \$0\.0160 \(max-cost-usd\): the review is estimated at \$0\.02\d{2}; 2 of 4/)
  })

  it.each([
    [1, 1],
    [2, 2]
  ])(
    'after an underestimate, with max-concurrency %i, stops after the %i request(s) in flight',
    async (concurrency, sent) => {
      // Every request costs $0.05, eight times its estimate: the plan fits four, the first answer shows it does not.
      scenario = await startScenario({ pull: makePull(FOUR_KINDS), handler: steadyHandler(0.05) })
      await scenario.run({
        inputs: { 'max-chunk-tokens': '256', 'max-cost-usd': '0.03', 'max-concurrency': String(concurrency) }
      })

      expect(scenario.model.requests).toHaveLength(sent)
      const outputs = scenario.workspace.outputs()
      expect(outputs['chunks-over-ceiling']).toBe(String(4 - sent))
      expect(Number(outputs['cost-usd'])).toBeCloseTo(0.05 * sent, 10)
      const summary = scenario.summary()
      expect(summary).toContain(`**Spent:** $${(0.05 * sent).toFixed(4)} of $0.0300 this run may spend`)
      expect(summary).toContain('(refused during the run: the real spending left too little)')
    }
  )

  it('refuses before any request when the ceiling cannot be priced, naming the input', async () => {
    scenario = await startScenario({ pull: makePull(FOUR_KINDS), handler: steadyHandler() })
    const step = await scenario.run({ inputs: { model: 'acme/private-model', 'max-cost-usd': '1' } })
    expect(step.exitCode).toBe(1)
    expect(step.log).toContain('::error::Input "max-cost-usd" is set, but acme/private-model has no list prices')
    expect(scenario.model.requests).toHaveLength(0)
  })
})

describe('the cost ceiling of a pull request across pushes, end to end', () => {
  let github: FakeGitHub
  let model: ResponsesServer
  let workspace: Workspace
  let history: PullHistory

  beforeEach(async () => {
    history = createPullHistory()
    github = await startGitHubServer({
      owner: OWNER,
      repo: REPO,
      token: GITHUB_TOKEN,
      pulls: [history.pull],
      commits: history.graph
    })
    // Each request is billed $0.004; at effort low each is estimated at about $0.0033.
    model = await startResponsesServer(steadyHandler(0.004))
    workspace = createWorkspace()
  })

  afterEach(async () => {
    await github.close()
    await model.close()
    workspace.remove()
  })

  async function review(action = 'synchronize') {
    const env = actionEnvironment({
      workspace,
      eventPath: workspace.writeEvent(pullRequestEvent(history.pull, action)),
      githubUrl: github.baseUrl,
      inputs: {
        'api-key': API_KEY,
        'base-url': model.baseUrl,
        'reasoning-effort': 'low',
        'max-pr-cost-usd': '0.0095'
      }
    })
    const before = model.requests.length
    const step = await runStep(env, () => run(FAST_RUN))
    return { step, requests: model.requests.length - before, outputs: workspace.outputs() }
  }

  const summary = (): string =>
    github.issueComments.find((comment) => comment.body.includes(SUMMARY_MARKER))?.body ?? ''

  function push(line: number, text: string): void {
    const app = requireCommit(history.graph, history.pull.headSha).files['src/app.ts']!
    github.pushCommit({ pullNumber: history.pull.number, changes: { 'src/app.ts': replaceLine(app, line, text) } })
  }

  it('carries what each run spent in the signed state and stops reviewing once the pull request has spent it', async () => {
    const opened = await review('opened')
    expect(opened.requests).toBe(1)
    expect(opened.outputs).toMatchObject({ 'pr-cost-usd': '0.004', 'cost-ceiling-usd': '0.0095' })

    push(20, 'const second = readSecond()')
    const second = await review()
    expect(second.requests).toBe(1)
    // What the first run left: $0.0095 - $0.004.
    expect(second.outputs).toMatchObject({ 'pr-cost-usd': '0.008', 'cost-ceiling-usd': '0.0055' })
    expect(summary()).toContain(
      '**This pull request:** $0.0080 of $0.0095 (`max-pr-cost-usd`): $0.0040 by earlier runs, $0.0040 by this one.'
    )

    push(25, 'const third = readThird()')
    const third = await review()
    expect(third.requests).toBe(0)
    expect(third.outputs).toMatchObject({
      'pr-cost-usd': '0.008',
      'cost-ceiling-usd': '0.0015',
      'chunks-over-ceiling': '1',
      'cost-usd': '0'
    })
    const text = summary()
    expect(text).toContain('**Spent:** $0.0000 of $0.0015 this run may spend (`max-pr-cost-usd`).')
    expect(text).toMatch(/- Chunk 1: `src\/app\.ts`: about \$0\.003\d \(left out by the plan\)/)
    expect(text).toContain('left of max-pr-cost-usd $0.0095 (earlier runs spent $0.0080)')
  })
})

describe('escalation by risk, end to end', () => {
  let scenario: Scenario
  afterEach(async () => scenario?.close())

  /** The mini rates a chunk by the marker in its diff; the escalation model rewords the mini's finding and adds one. */
  const riskHandler: ResponsesHandler = (request) => {
    const input = readSentInput(request)
    const mini = modelOf(request) === MINI
    const risk = input.includes('RISK-HIGH') ? 'high' : input.includes('RISK-MEDIUM') ? 'medium' : 'low'
    const steady = steadyFindings(request) as { findings: Array<Record<string, unknown>> }
    const findings = mini
      ? steady.findings
      : [
          ...steady.findings.map((finding) => ({ ...finding, body: 'Escalation wording.', confidence: 0.95 })),
          ...steady.findings.map((finding) => ({
            ...finding,
            line: 5,
            category: 'security',
            title: `Second problem in ${String(finding.path)}`,
            body: 'Only the escalation model saw this.'
          }))
        ]
    return {
      headers: { 'x-aimlapi-usd-spent': mini ? '0.001' : '0.005' },
      body: answerWith(request, {
        overview: `Looked at it (${mini ? 'mini' : 'codex'}).`,
        risk: mini ? risk : 'medium',
        findings
      })
    }
  }
  const THREE =
    addedFile('src/a.ts', 12, ' // RISK-HIGH') + addedFile('src/b.ts') + addedFile('src/c.ts', 12, ' // RISK-MEDIUM')

  it('reviews again only the chunks rated at the gate, and posts the merged findings without duplicates', async () => {
    scenario = await startScenario({ pull: makePull(THREE), handler: riskHandler })
    const step = await scenario.run({ inputs: { 'max-chunk-tokens': '256', 'escalate-on-risk': 'high' } })

    expect(step.exitCode).toBeUndefined()
    const sent = scenario.model.requests.map((request) => [modelOf(request), filesSent(request).join()])
    expect(sent.filter(([model]) => model === CODEX)).toEqual([[CODEX, 'src/a.ts']])
    expect(sent.filter(([model]) => model === MINI)).toHaveLength(3)

    const comments = scenario.github.reviewComments
    const fingerprints = comments.map((comment) => parseFindingMarker(comment.body)?.fingerprint)
    expect(new Set(fingerprints).size).toBe(fingerprints.length)
    const onA = comments.filter((comment) => comment.path === 'src/a.ts')
    expect(onA).toHaveLength(2)
    const onABodies = onA.map((comment) => comment.body).join('\n')
    // The duplicate kept the escalation model's wording; the mini's ("Validate it before use.") is gone.
    expect(onABodies).toContain('Escalation wording.')
    expect(onABodies).not.toContain('Validate it before use.')
    expect(onABodies).toContain('Only the escalation model saw this.')
    expect(comments.filter((comment) => comment.path === 'src/c.ts')).toHaveLength(1)

    const summary = scenario.summary()
    expect(summary).toContain(`### Escalation to \`${CODEX}\``)
    expect(summary).toContain(
      '**Escalated by risk (`escalate-on-risk: high`):** 1 chunk(s) the review model rated risky; 1 reviewed again'
    )
    expect(summary).toContain(
      '- Chunk 1 (rated high): `src/a.ts`: 2 finding(s) from the escalation model, 1 from the review model, 1 duplicate(s) merged.'
    )
    expect(summary).toContain('**Escalation cost:** $0.0050 (billed)')
  })

  it('with the gate at medium, escalates the medium chunk too', async () => {
    scenario = await startScenario({ pull: makePull(THREE), handler: riskHandler })
    await scenario.run({ inputs: { 'max-chunk-tokens': '256', 'escalate-on-risk': 'medium' } })
    const escalated = scenario.model.requests.filter((request) => modelOf(request) === CODEX).map(filesSent)
    expect(escalated.sort()).toEqual([['src/a.ts'], ['src/c.ts']])
  })

  it('sends no escalation the cost ceiling cannot pay for, and says so', async () => {
    scenario = await startScenario({ pull: makePull(THREE), handler: riskHandler })
    // Room for the three mini reviews (about $0.0064 each by estimate), not for a codex review (about $0.03).
    await scenario.run({ inputs: { 'max-chunk-tokens': '256', 'escalate-on-risk': 'high', 'max-cost-usd': '0.025' } })
    expect(scenario.model.requests.map(modelOf)).toEqual([MINI, MINI, MINI])
    const summary = scenario.summary()
    expect(summary).toContain(
      '- Chunk 1 (rated high): `src/a.ts`: not reviewed again (cost ceiling); the first review stands.'
    )
    expect(summary).toContain('1 further request(s) (an escalation, a verification or a retry) were not sent')
    expect(scenario.workspace.outputs()['chunks-over-ceiling']).toBe('0')
  })
})
