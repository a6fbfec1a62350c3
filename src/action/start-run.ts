import * as core from '@actions/core'
import { type Config, readConfig, readDryRun, readPullNumber } from '../config/config.js'
import { ConfigError } from '../errors.js'
import { resolveReviewTarget, type ReviewTarget } from './event.js'
import { createGitHubClient, type GitHubApi, type GitHubClientOptions } from '../github/client.js'
import type { Logger } from '../engine/logger.js'
import type { ActionEnvironment } from './environment.js'
import { authorizeReviewRequest } from './on-demand.js'
import { resolvePostingIdentity, type PostingIdentity } from './posting-identity.js'

const DEPENDABOT_LOGIN = 'dependabot[bot]'

/** A run that will review: what to review, the validated inputs, and the GitHub client. */
export interface StartedRun {
  readonly target: Extract<ReviewTarget, { kind: 'review' }>
  readonly inputs: Config
  readonly github: GitHubApi
  /**
   * Who the token posts as: the only author whose comments the run edits or trusts. Asked once, and only when
   * needed, so a run that skips the pull request sends GitHub nothing but reads.
   */
  readonly poster: () => Promise<PostingIdentity>
}

/**
 * Decides from the event, the key's presence and the commenter's permission whether this run reviews,
 * then reads the inputs. Returns undefined (after a notice) when there is nothing to do; throws a
 * ConfigError, which fails the step, when an input is wrong.
 */
export async function startRun(options: {
  readonly environment: ActionEnvironment
  readonly throttle?: GitHubClientOptions['throttle']
  readonly logger: Logger
}): Promise<StartedRun | undefined> {
  const { environment, logger } = options
  const apiKey = core.getInput('api-key')
  if (apiKey !== '') core.setSecret(apiKey)

  const pullNumberInput = readPullNumber((name) => core.getInput(name))
  const target = resolveReviewTarget({
    eventName: environment.eventName,
    payload: environment.payload,
    repository: environment.repository,
    ...(pullNumberInput === undefined ? {} : { pullNumberInput })
  })
  if (target.kind === 'invalid') throw new ConfigError(target.reason)
  if (target.kind === 'skip') {
    logger.notice(target.reason)
    return undefined
  }
  // A dry run sends nothing to the model: it needs no key, so forks and Dependabot get their plan too.
  const dryRun = readDryRun((name) => core.getInput(name))
  const missingKey = apiKey.trim() === '' && !dryRun ? explainMissingKey(target) : undefined
  if (missingKey !== undefined) {
    logger.notice(missingKey)
    return undefined
  }

  const inputs = readConfig((name) => core.getInput(name))
  const github = createGitHubClient({
    token: inputs.githubToken,
    baseUrl: environment.apiUrl,
    log: logger.info,
    ...(options.throttle === undefined ? {} : { throttle: options.throttle })
  })
  if (!(await authorizeReviewRequest(github, { target, logger }))) return undefined
  let poster: Promise<PostingIdentity> | undefined
  return { target, inputs, github, poster: () => (poster ??= resolvePostingIdentity(github, logger)) }
}

/**
 * Runs where GitHub withholds secrets by design end with a notice, not a failure; anywhere else a
 * missing key fails the step (readConfig says which secret to set).
 */
function explainMissingKey(target: Extract<ReviewTarget, { kind: 'review' }>): string | undefined {
  if (target.fromFork) {
    return (
      'Skipped: this pull request comes from a fork, so GitHub gives the workflow a read-only token and no secrets ' +
      '(no api-key). Nothing was posted. To review fork PRs safely, have a maintainer run the workflow with ' +
      'workflow_dispatch and a pull-number, or use pull_request_target without checking out the PR code (see README).'
    )
  }
  if (target.author === DEPENDABOT_LOGIN) {
    return (
      'Skipped: Dependabot pull requests only receive Dependabot secrets. Add the API key as a Dependabot secret ' +
      'with the same name to review them.'
    )
  }
  return undefined
}
