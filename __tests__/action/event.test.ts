import { createRequire } from 'node:module'
import { resolveReviewTarget } from '../../src/action/event.js'

const require = createRequire(import.meta.url)
interface Example {
  action?: string
  [key: string]: unknown
}
const index = require('@octokit/webhooks-examples') as { name: string; examples: Example[] }[]

/** A real payload from @octokit/webhooks-examples for `pull_request` with the given action. */
function pullRequestPayload(action: string): Example {
  const examples = index.find((entry) => entry.name === 'pull_request')?.examples ?? []
  const example = examples.find((candidate) => candidate.action === action)
  if (example === undefined) throw new Error(`no pull_request.${action} example`)
  return structuredClone(example)
}

describe('resolveReviewTarget', () => {
  it.each(['opened', 'synchronize', 'reopened', 'ready_for_review'])('reviews pull_request.%s', (action) => {
    const payload = pullRequestPayload(action)
    const target = resolveReviewTarget({ eventName: 'pull_request', payload, repository: 'Codertocat/Hello-World' })
    expect(target).toMatchObject({
      kind: 'review',
      ref: { owner: 'Codertocat', repo: 'Hello-World', pullNumber: payload.number },
      fromFork: false
    })
  })

  it.each(['closed', 'labeled', 'assigned'])('skips pull_request.%s with a reason', (action) => {
    const target = resolveReviewTarget({
      eventName: 'pull_request',
      payload: pullRequestPayload(action),
      repository: 'Codertocat/Hello-World'
    })
    expect(target).toEqual({ kind: 'skip', reason: expect.stringContaining(`"${action}" does not change the code`) })
  })

  it('flags a pull request whose head is another repository as a fork', () => {
    const payload = pullRequestPayload('opened') as { pull_request: { head: { repo: { full_name: string } } } }
    payload.pull_request.head.repo.full_name = 'stranger/Hello-World'
    const target = resolveReviewTarget({ eventName: 'pull_request', payload, repository: 'Codertocat/Hello-World' })
    expect(target).toMatchObject({ kind: 'review', fromFork: true })
  })

  it('treats a deleted fork (head.repo null) as a fork', () => {
    const payload = pullRequestPayload('opened') as { pull_request: { head: { repo: unknown } } }
    payload.pull_request.head.repo = null
    const target = resolveReviewTarget({ eventName: 'pull_request', payload, repository: 'Codertocat/Hello-World' })
    expect(target).toMatchObject({ kind: 'review', fromFork: true })
  })

  it('does not flag forks on pull_request_target, where the token can write', () => {
    const payload = pullRequestPayload('opened') as { pull_request: { head: { repo: { full_name: string } } } }
    payload.pull_request.head.repo.full_name = 'stranger/Hello-World'
    const target = resolveReviewTarget({ eventName: 'pull_request_target', payload, repository: 'o/r' })
    expect(target).toMatchObject({ kind: 'review', fromFork: false })
  })

  it('reads the author so Dependabot pull requests can be recognised', () => {
    const payload = pullRequestPayload('opened') as { pull_request: { user: { login: string } } }
    payload.pull_request.user.login = 'dependabot[bot]'
    const target = resolveReviewTarget({ eventName: 'pull_request', payload, repository: 'o/r' })
    expect(target).toMatchObject({ kind: 'review', author: 'dependabot[bot]' })
  })

  it('reviews workflow_dispatch with the pull-number input', () => {
    expect(
      resolveReviewTarget({ eventName: 'workflow_dispatch', payload: {}, repository: 'o/r', pullNumberInput: 7 })
    ).toEqual({ kind: 'review', ref: { owner: 'o', repo: 'r', pullNumber: 7 }, fromFork: false })
    expect(
      resolveReviewTarget({
        eventName: 'workflow_dispatch',
        payload: { inputs: { 'pull-number': '9' } },
        repository: 'o/r'
      })
    ).toMatchObject({ kind: 'review', ref: { pullNumber: 9 } })
  })

  it('skips workflow_dispatch without a pull number, saying how to pass one', () => {
    expect(resolveReviewTarget({ eventName: 'workflow_dispatch', payload: {}, repository: 'o/r' })).toEqual({
      kind: 'skip',
      reason: expect.stringContaining('pull-number')
    })
  })

  it.each(['push', 'issues', 'schedule'])('skips a %s event with a notice-worthy reason', (eventName) => {
    expect(resolveReviewTarget({ eventName, payload: {}, repository: 'o/r' })).toEqual({
      kind: 'skip',
      reason: expect.stringContaining(`"${eventName}" event`)
    })
  })

  it('skips when GITHUB_REPOSITORY is malformed', () => {
    expect(resolveReviewTarget({ eventName: 'pull_request', payload: {}, repository: 'nope' })).toMatchObject({
      kind: 'skip'
    })
  })
})
