/**
 * The summary while a review runs: posted as soon as the plan is known ("Reviewing N files in M requests,
 * estimated $X"), replaced by the review, and never at the cost of the record of earlier reviews: a run that
 * stops half-way leaves the previous state in place for the next one.
 */
import { scriptFindings } from '../../__fixtures__/model/scripted-reviewer.js'
import { SAMPLE_DIFF } from '../../__fixtures__/servers/github-sample-diffs.js'
import { aimlApiError, answerWith, type RecordedRequest } from '../../__fixtures__/servers/responses-server.js'
import { makePull, startScenario, type Scenario } from '../../__fixtures__/e2e/scenario.js'
import { SUMMARY_MARKER } from '../../src/render/summary-input.js'

describe('the summary while the review runs', () => {
  let scenario: Scenario
  afterEach(async () => scenario?.close())

  const summaries = () => scenario.github.issueComments.filter((comment) => comment.body.includes(SUMMARY_MARKER))

  it('says a review is coming before the first model request, then becomes the review', async () => {
    const seenByModel: string[] = []
    scenario = await startScenario({
      pull: makePull(SAMPLE_DIFF),
      handler: (request: RecordedRequest) => {
        seenByModel.push(...summaries().map((comment) => comment.body))
        return { body: answerWith(request, scriptFindings(request)) }
      }
    })
    const step = await scenario.run()

    expect(step.exitCode).toBeUndefined()
    expect(seenByModel).toHaveLength(1)
    expect(seenByModel[0]).toMatch(
      /⏳ \*\*Reviewing\*\* `ccccccc`: 1 file in 1 request to `openai\/gpt-5-1-codex-mini`, estimated \$0\.\d{4}\./
    )
    // One comment: the same one, now holding the review.
    expect(summaries()).toHaveLength(1)
    expect(summaries()[0]?.body).not.toContain('Reviewing')
    expect(summaries()[0]?.body).toContain('**Reviewed:** 1 file in 1 chunk.')
  })

  it('keeps the earlier state when a run stops half-way, so the next run still builds on it', async () => {
    scenario = await startScenario({
      pull: makePull(SAMPLE_DIFF),
      handler: (request) => ({ body: answerWith(request, scriptFindings(request)) })
    })
    await scenario.run()
    const stateLineOf = (body: string): string | undefined =>
      body.split('\n').find((line) => line.startsWith('<!-- codex-pr-review:state v1 '))
    const stateLine = stateLineOf(summaries()[0]?.body ?? '')
    expect(stateLine).toBeDefined()

    // A full review is asked for; the model then refuses the key: the run fails after posting "Reviewing…".
    scenario.model.setHandler(() => aimlApiError(401, 'This request requires a valid API key.'))
    const failed = await scenario.run({ inputs: { 'full-review': 'true' } })
    expect(failed.exitCode).toBe(1)
    const body = summaries()[0]?.body ?? ''
    expect(body).toContain('⏳ **Reviewing**')
    expect(stateLineOf(body)).toBe(stateLine)
    expect(body).toContain('<!-- codex-pr-review:history -->')

    // The next run reads that state: the head was reviewed, nothing is sent.
    scenario.model.setHandler((request) => ({ body: answerWith(request, scriptFindings(request)) }))
    const before = scenario.model.requests.length
    await scenario.run()
    expect(scenario.model.requests.length).toBe(before)
    expect(summaries()[0]?.body).toContain('**Already reviewed**')
  })
})
