import { resolveIssueCommentEvent } from './event-comment.js'
import { asRecord, type EventContext, type ReviewTarget } from './event-payload.js'

export type { EventContext, ReviewTarget } from './event-payload.js'

/** Actions of `pull_request` that change what there is to review. */
export const REVIEWED_PULL_REQUEST_ACTIONS = ['opened', 'synchronize', 'reopened', 'ready_for_review'] as const

/**
 * Decides from the event alone whether this run reviews a pull request. Pure: the payload is untrusted
 * JSON and is read defensively.
 */
export function resolveReviewTarget(context: EventContext): ReviewTarget {
  const [owner, repo] = context.repository.split('/')
  if (owner === undefined || repo === undefined || owner === '' || repo === '') {
    return { kind: 'skip', reason: `GITHUB_REPOSITORY is "${context.repository}", expected "owner/repo".` }
  }
  switch (context.eventName) {
    case 'pull_request':
    case 'pull_request_target':
      return resolvePullRequestEvent(context, { owner, repo })
    case 'workflow_dispatch':
      return resolveDispatchEvent(context, { owner, repo })
    case 'issue_comment':
      return resolveIssueCommentEvent(context, { owner, repo })
    default:
      return {
        kind: 'skip',
        reason:
          `Nothing to review for a "${context.eventName}" event: this action reviews pull requests ` +
          '(on: pull_request, workflow_dispatch with a pull-number input, or issue_comment with /review).'
      }
  }
}

function resolvePullRequestEvent(
  context: EventContext,
  repository: { readonly owner: string; readonly repo: string }
): ReviewTarget {
  const payload = asRecord(context.payload)
  const action = typeof payload.action === 'string' ? payload.action : ''
  if (!(REVIEWED_PULL_REQUEST_ACTIONS as readonly string[]).includes(action)) {
    return {
      kind: 'skip',
      reason:
        `Pull request action "${action}" does not change the code, so there is nothing new to review ` +
        `(reviewed actions: ${REVIEWED_PULL_REQUEST_ACTIONS.join(', ')}).`
    }
  }
  const pull = asRecord(payload.pull_request)
  const pullNumber = typeof pull.number === 'number' ? pull.number : Number(payload.number)
  if (!Number.isSafeInteger(pullNumber) || pullNumber < 1) {
    return { kind: 'skip', reason: 'The pull_request event payload has no pull request number.' }
  }
  const headRepo = asRecord(asRecord(pull.head).repo).full_name
  const baseRepo = asRecord(asRecord(pull.base).repo).full_name
  // A deleted fork leaves head.repo null: treat it as a fork, its token is read-only all the same.
  const fromFork =
    context.eventName === 'pull_request' &&
    (typeof headRepo !== 'string' || (typeof baseRepo === 'string' && headRepo !== baseRepo))
  const login = asRecord(pull.user).login
  return {
    kind: 'review',
    ref: { ...repository, pullNumber },
    fromFork,
    ...(typeof login === 'string' ? { author: login } : {})
  }
}

function resolveDispatchEvent(
  context: EventContext,
  repository: { readonly owner: string; readonly repo: string }
): ReviewTarget {
  const inputs = asRecord(asRecord(context.payload).inputs)
  const given = inputs['pull-number'] ?? inputs.pull_number
  const fromPayload = Number(given ?? Number.NaN)
  if (context.pullNumberInput === undefined && given !== undefined && String(given).trim() !== '') {
    if (!/^\d+$/.test(String(given).trim()) || fromPayload < 1) {
      return {
        kind: 'invalid',
        reason: `The workflow_dispatch input "pull-number" must be a pull request number (e.g. 12); got "${String(given).slice(0, 40)}".`
      }
    }
  }
  const pullNumber = context.pullNumberInput ?? (Number.isSafeInteger(fromPayload) ? fromPayload : undefined)
  if (pullNumber === undefined || pullNumber < 1) {
    return {
      kind: 'skip',
      reason:
        'workflow_dispatch needs the pull request to review: pass `pull-number: ${{ inputs.pull-number }}` to the action.'
    }
  }
  return { kind: 'review', ref: { ...repository, pullNumber }, fromFork: false }
}
