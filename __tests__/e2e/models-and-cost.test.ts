/**
 * The model family, escalation and cost through `run()`: the loopback model server serves both
 * `/responses` and `/chat/completions` with the AI/ML API's body validation and billing header; the
 * scripted reviewer answers from the diff it was really sent. Assertions are on what the model server
 * and GitHub received, and on the step's outputs and job summary.
 */
import { run } from '../../src/main.js'
import { SUMMARY_MARKER } from '../../src/render/summary-input.js'
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
import { readSentDiff, scriptFindings } from '../../__fixtures__/model/scripted-reviewer.js'
import { findChatBodyProblem, readSentInput } from '../../__fixtures__/servers/chat-completions-shapes.js'
import { type FakeGitHub, type FakePull, startGitHubServer } from '../../__fixtures__/servers/github-server.js'
import {
  aimlApiError,
  answerWith,
  findBodyProblem,
  type RecordedRequest,
  type ResponsesHandler,
  type ResponsesServer,
  startResponsesServer
} from '../../__fixtures__/servers/responses-server.js'

const MINI = 'openai/gpt-5-1-codex-mini'
const CODEX = 'openai/gpt-5-1-codex'
/** Dollars the fake provider bills per request, per model (`x-aimlapi-usd-spent`). */
const BILLED: Readonly<Record<string, number>> = { [MINI]: 0.0012, [CODEX]: 0.0105 }

/** A new file with `count` added lines, as a git diff. */
function addedFile(path: string, count: number): string {
  const lines = Array.from(
    { length: count },
    (_, index) => `+export const value${index} = compute(${index}, 'some argument text')`
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

/** Two files that land in separate chunks at `max-chunk-tokens: 256`. */
const TWO_FILE_DIFF = addedFile('src/auth/session.ts', 12) + addedFile('src/ui/button.ts', 12)

function makePull(diff: string): FakePull {
  return {
    number: 21,
    title: 'Session handling and a button',
    body: 'Adds two modules.',
    headSha: 'e'.repeat(40),
    baseSha: 'f'.repeat(40),
    headRef: 'feature',
    baseRef: 'main',
    diff
  }
}

type Json = Record<string, unknown>

function formatName(request: RecordedRequest): string | undefined {
  const body = request.body as {
    text?: { format?: { name?: string } }
    response_format?: { json_schema?: { name?: string } }
  }
  return body.text?.format?.name ?? body.response_format?.json_schema?.name
}

const isVerification = (request: RecordedRequest): boolean => formatName(request) === 'finding_verdicts'
const modelOf = (request: RecordedRequest): string => String((request.body as Json).model)
const filesSent = (request: RecordedRequest): string[] => [...new Set(readSentDiff(request).map((line) => line.path))]

/** The findings listed in a verification request. */
function listedFindings(request: RecordedRequest): { index: number; path: string; title: string; severity: string }[] {
  const input = readSentInput(request)
  const start = input.indexOf('<findings_to_verify>') + '<findings_to_verify>'.length
  return JSON.parse(input.slice(start, input.indexOf('</findings_to_verify>'))) as ReturnType<typeof listedFindings>
}

/**
 * Validates like the AI/ML API, bills per model, answers reviews with the scripted reviewer (two findings per
 * file: high, then medium) and verifications with `verdictFor`.
 */
function modelHandler(
  verdictFor: (finding: { path: string }) => 'confirmed' | 'rejected' = () => 'confirmed'
): ResponsesHandler {
  return (request) => {
    const chat = request.path.endsWith('/chat/completions')
    const problem = chat ? findChatBodyProblem(request.body) : findBodyProblem(request.body)
    if (problem !== undefined) return aimlApiError(400, problem, request.path)
    const billed = BILLED[modelOf(request)]
    const headers: Record<string, string> = billed === undefined ? {} : { 'x-aimlapi-usd-spent': String(billed) }
    if (isVerification(request)) {
      const verdicts = listedFindings(request).map((finding) => ({
        index: finding.index,
        verdict: verdictFor(finding),
        reason: 'Checked.'
      }))
      return { headers, body: answerWith(request, { verdicts }, { input_tokens: 2000, output_tokens: 150 }) }
    }
    return { headers, body: answerWith(request, scriptFindings(request, { perFile: 2 })) }
  }
}

describe('models, escalation and cost, end to end', () => {
  let github: FakeGitHub
  let model: ResponsesServer
  let workspace: Workspace

  async function start(diff: string, handler: ResponsesHandler = modelHandler()): Promise<FakePull> {
    const pull = makePull(diff)
    github = await startGitHubServer({ owner: OWNER, repo: REPO, token: GITHUB_TOKEN, pulls: [pull] })
    model = await startResponsesServer(handler)
    workspace = createWorkspace()
    return pull
  }

  afterEach(async () => {
    await github?.close()
    await model?.close()
    workspace?.remove()
  })

  function runAction(pull: FakePull, inputs: Record<string, string>) {
    const env = actionEnvironment({
      workspace,
      eventPath: workspace.writeEvent(pullRequestEvent(pull)),
      githubUrl: github.baseUrl,
      inputs: { 'api-key': API_KEY, 'base-url': model.baseUrl, ...inputs }
    })
    return runStep(env, () => run(FAST_RUN))
  }

  const summary = (): string =>
    github.issueComments.find((comment) => comment.body.includes(SUMMARY_MARKER))?.body ?? ''
  const postedComments = () =>
    github.reviews.flatMap((review) => review.comments.map(({ path, line, body }) => ({ path, line, body })))

  it('writes the per-model table and the escalation section to the job summary too', async () => {
    const pull = await start(TWO_FILE_DIFF)
    await runAction(pull, { 'max-chunk-tokens': '256', 'escalate-paths': 'src/auth/**' })
    const jobSummary = workspace.jobSummary()
    expect(jobSummary).toContain(`### Escalation to \`${CODEX}\``)
    expect(jobSummary).toContain('| Model | Requests | Input | Cached input | Output | Reasoning | Cost |')
    expect(jobSummary).toContain(`| \`${MINI}\` | 1 |`)
  })

  it.each([
    [MINI, '/v1/responses'],
    [CODEX, '/v1/responses'],
    ['openai/gpt-5-mini-2025-08-07', '/v1/responses'],
    ['openai/gpt-5-1', '/v1/chat/completions']
  ])('reviews with %s through %s, with a body that endpoint accepts', async (id, path) => {
    const pull = await start(TWO_FILE_DIFF)
    const step = await runAction(pull, { model: id })
    expect(step.exitCode).toBeUndefined()
    expect(model.requests.map((request) => [request.path, modelOf(request)])).toEqual([[path, id]])
    const body = model.requests[0]!.body as Json
    expect(body).not.toHaveProperty('temperature')
    expect(body).toHaveProperty(path.endsWith('/responses') ? 'max_output_tokens' : 'max_completion_tokens', 16_000)
    expect(workspace.outputs()['chunks-failed']).toBe('0')
    expect(postedComments().length).toBeGreaterThan(0)
  })

  it('posts the same findings through chat completions as through /responses for the same answer', async () => {
    let pull = await start(TWO_FILE_DIFF)
    await runAction(pull, { model: 'openai/gpt-5-1' })
    const viaChat = postedComments()
    expect(model.requests.map((request) => request.path)).toEqual(['/v1/chat/completions'])
    await github.close()
    await model.close()
    workspace.remove()

    pull = await start(TWO_FILE_DIFF)
    await runAction(pull, { model: 'openai/gpt-5-1', api: 'responses' })
    expect(model.requests.map((request) => request.path)).toEqual(['/v1/responses'])
    expect(viaChat.length).toBeGreaterThan(0)
    expect(postedComments()).toEqual(viaChat)
  })

  it('sends chunks touching escalate-paths to the escalation model, the rest to the mini, and reports the cost', async () => {
    const pull = await start(TWO_FILE_DIFF)
    const step = await runAction(pull, { 'max-chunk-tokens': '256', 'escalate-paths': 'src/auth/**' })
    expect(step.exitCode).toBeUndefined()

    const sent = model.requests.map((request) => ({ model: modelOf(request), files: filesSent(request) }))
    expect(sent).toHaveLength(2)
    expect(sent).toEqual(
      expect.arrayContaining([
        { model: CODEX, files: ['src/auth/session.ts'] },
        { model: MINI, files: ['src/ui/button.ts'] }
      ])
    )
    expect(model.requests.every((request) => request.path === '/v1/responses')).toBe(true)

    const text = summary()
    expect(text).toContain(`### Escalation to \`${CODEX}\``)
    expect(text).toMatch(/- Chunk \d+: `src\/auth\/session\.ts`/)
    expect(text).toContain(`**Escalation cost:** $${BILLED[CODEX]!.toFixed(4)} (billed)`)
    expect(text).toMatch(
      new RegExp(`\\| \`${MINI}\` \\| 1 \\| 1,200 \\| 0 \\| 300 \\| 200 \\| \\$0\\.0012 \\(billed\\) \\|`)
    )
    expect(text).toMatch(
      new RegExp(`\\| \`${CODEX}\` \\| 1 \\| 1,200 \\| 0 \\| 300 \\| 200 \\| \\$0\\.0105 \\(billed\\) \\|`)
    )

    const outputs = workspace.outputs()
    expect(Number(outputs['cost-usd'])).toBeCloseTo(BILLED[MINI]! + BILLED[CODEX]!, 10)
    expect(outputs['input-tokens']).toBe('2400')
    expect(outputs['output-tokens']).toBe('600')
  })

  it('re-checks severe findings with the escalation model and posts only the confirmed ones, marked verified', async () => {
    const pull = await start(
      TWO_FILE_DIFF,
      modelHandler((finding) => (finding.path === 'src/ui/button.ts' ? 'rejected' : 'confirmed'))
    )
    const step = await runAction(pull, { 'max-chunk-tokens': '256', 'verify-severity': 'high' })
    expect(step.exitCode).toBeUndefined()

    const reviews = model.requests.filter((request) => !isVerification(request))
    const verifications = model.requests.filter(isVerification)
    expect(reviews.map(modelOf)).toEqual([MINI, MINI])
    expect(verifications.map(modelOf)).toEqual([CODEX, CODEX])
    // One request per chunk, listing only that chunk's findings at or above `high`, with that chunk's diff.
    for (const request of verifications) {
      const listed = listedFindings(request)
      expect(listed).toHaveLength(1)
      expect(listed[0]).toMatchObject({ index: 0, severity: 'high' })
      expect(filesSent(request)).toEqual([listed[0]!.path])
    }

    const comments = postedComments()
    const describe = (path: string) =>
      comments.filter((comment) => comment.path === path).map((comment) => comment.body)
    const session = describe('src/auth/session.ts')
    const button = describe('src/ui/button.ts')
    expect(session).toHaveLength(2)
    expect(session.filter((body) => body.includes(`Verified by ${CODEX}`))).toHaveLength(1)
    expect(session.find((body) => body.includes('Verified'))).toMatch(/🔴 High/)
    expect(button).toHaveLength(1)
    expect(button[0]).toMatch(/🟠 Medium/)
    expect(button[0]).not.toContain('Verified')

    const text = summary()
    expect(text).toMatch(
      /2 finding\(s\) in 2 chunk\(s\) re-checked: 1 confirmed \(marked verified\), 1 rejected \(not posted\), 0 posted unverified/
    )
    expect(text).toMatch(/- Rejected: 🔴 High — .* \(`src\/ui\/button\.ts:1`\)/)
    const escalationCost = 2 * BILLED[CODEX]!
    expect(text).toContain(`**Escalation cost:** $${escalationCost.toFixed(4)} (billed)`)

    const outputs = workspace.outputs()
    expect(Number(outputs['cost-usd'])).toBeCloseTo(2 * BILLED[MINI]! + escalationCost, 10)
    expect(outputs['input-tokens']).toBe(String(2 * 1200 + 2 * 2000))
    expect(outputs['output-tokens']).toBe(String(2 * 300 + 2 * 150))
  })

  it('keeps the findings unverified, and says so, when the verification fails', async () => {
    const review = modelHandler()
    const pull = await start(TWO_FILE_DIFF, (request, index) =>
      isVerification(request) ? aimlApiError(503, 'Service Unavailable') : review(request, index)
    )
    const step = await runAction(pull, { 'max-chunk-tokens': '256', 'verify-severity': 'high' })
    expect(step.exitCode).toBeUndefined()
    const comments = postedComments()
    expect(comments.filter((comment) => /🔴 High/.test(comment.body))).toHaveLength(2)
    expect(comments.some((comment) => comment.body.includes('Verified'))).toBe(false)
    expect(summary()).toMatch(/The verification of 2 chunk\(s\) failed: their findings were posted unverified/)
    expect(summary()).toMatch(
      /2 finding\(s\) in 2 chunk\(s\) re-checked: 0 confirmed .* 0 rejected .* 2 posted unverified/
    )
  })

  it('works with an unknown model through /responses, says what it assumed, and reports the cost as unknown', async () => {
    const pull = await start(TWO_FILE_DIFF)
    const step = await runAction(pull, { model: 'acme/reviewer-9' })
    expect(step.exitCode).toBeUndefined()
    expect(step.log).toMatch(/::notice::Model "acme\/reviewer-9" \(input "model"\) is not in the model table/)
    expect(model.requests.map((request) => request.path)).toEqual(['/v1/responses'])
    expect(workspace.outputs()['cost-usd']).toBe('unknown')
    expect(summary()).toContain('**Cost:** unknown')
  })

  it('estimates the cost at list prices when the provider sends no billing header', async () => {
    const pull = await start(TWO_FILE_DIFF, (request) => ({ body: answerWith(request, scriptFindings(request)) }))
    await runAction(pull, {})
    // 1,200 input at $0.25/M + 300 output at $2/M (the fake's default usage).
    expect(Number(workspace.outputs()['cost-usd'])).toBeCloseTo((1200 * 0.25 + 300 * 2) / 1_000_000, 10)
    expect(summary()).toContain('(estimated from list prices)')
  })

  it('fails before any model request when the api input does not fit the model, naming the inputs', async () => {
    const pull = await start(TWO_FILE_DIFF)
    const step = await runAction(pull, { api: 'chat-completions' })
    expect(step.exitCode).toBe(1)
    expect(step.log).toMatch(
      /::error::Input "api" is "chat-completions", but openai\/gpt-5-1-codex-mini \(input "model"\) is served only by \/responses/
    )
    expect(model.requests).toHaveLength(0)
  })
})
