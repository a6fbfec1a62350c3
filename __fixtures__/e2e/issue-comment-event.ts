/**
 * A real `issue_comment.created` webhook payload (from @octokit/webhooks-examples), made into a comment on
 * our fake pull request (GitHub marks comments on pull requests with `issue.pull_request`) or on an issue.
 */
import { createRequire } from 'node:module'
import type { FakePull } from '../servers/github-server.js'
import { OWNER, REPO } from './harness.js'

const require = createRequire(import.meta.url)

export function issueCommentEvent(options: {
  readonly pull: FakePull
  readonly body: string
  readonly commenter: string
  /** false: the comment is on an issue, not on a pull request. */
  readonly onPullRequest?: boolean
}): Record<string, unknown> {
  const index = require('@octokit/webhooks-examples') as { name: string; examples: Record<string, unknown>[] }[]
  const example = index.find((entry) => entry.name === 'issue_comment')?.examples.find((e) => e.action === 'created')
  if (example === undefined) throw new Error('no issue_comment.created example')
  const payload = structuredClone(example) as Record<string, unknown> & {
    issue: Record<string, unknown> & { user: { login: string } }
    comment: { body: string; user: { login: string } }
    repository: { full_name: string; name: string; owner: { login: string } }
  }
  payload.issue.number = options.pull.number
  payload.issue.user.login = options.pull.author ?? 'octocat'
  if (options.onPullRequest !== false) {
    const html = `https://github.com/${OWNER}/${REPO}/pull/${options.pull.number}`
    payload.issue.pull_request = {
      url: `https://api.github.com/repos/${OWNER}/${REPO}/pulls/${options.pull.number}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      merged_at: null
    }
  } else {
    delete payload.issue.pull_request
  }
  payload.comment.body = options.body
  payload.comment.user.login = options.commenter
  payload.repository.full_name = `${OWNER}/${REPO}`
  payload.repository.name = REPO
  payload.repository.owner.login = OWNER
  return payload
}
