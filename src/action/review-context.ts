import type { Config } from '../config/config.js'
import type { RepoConfig } from '../config/repo-config.js'
import { fetchPullRequest } from '../github/pull-request.js'
import { type IncrementalPlan, planIncrementalReview } from './earlier-reviews.js'
import { type ModelRouting, planModelRouting } from '../engine/model-routing.js'
import type { Logger } from '../engine/logger.js'
import type { PullRequestInfo } from '../types.js'
import { fingerprintRepositoryRules, type RepositoryRules } from '../rules/repository-rules.js'
import { loadRepositoryRules } from './repo-rules.js'
import { loadReviewConfig } from './review-config.js'
import { decideSkip } from './skip-rules.js'
import type { StartedRun } from './start-run.js'

/** Everything decided before the diff is read: the pull request, the effective settings, the scope. */
export interface ReviewContext {
  readonly pullRequest: PullRequestInfo
  /** Inputs with the repository config applied. */
  readonly config: Config
  readonly repoConfig: RepoConfig
  /** The repository's rule files (AGENTS.md, …) at the base commit. */
  readonly rules: RepositoryRules
  readonly routing: ModelRouting
  readonly incremental: IncrementalPlan
}

/**
 * Reads the pull request, applies the skip rules and the base branch's config file, picks the models,
 * and decides from earlier runs what to review. Undefined (after a notice) when the PR is skipped.
 */
export async function loadReviewContext(run: StartedRun, logger: Logger): Promise<ReviewContext | undefined> {
  const { github, target, inputs } = run
  const pullRequest = await logger.group('Pull request', async () => {
    const info = await fetchPullRequest(github, target.ref)
    logger.info(
      `#${info.pullNumber} "${info.title.slice(0, 80)}" at ${info.headSha.slice(0, 12)} by ${info.authorLogin}`
    )
    return info
  })
  const skip = decideSkip(pullRequest, inputs, { onDemand: target.requestedBy !== undefined })
  if (skip !== undefined) {
    logger.notice(skip)
    return undefined
  }
  const { config, repoConfig } = await logger.group('Repository config', () =>
    loadReviewConfig(github, {
      inputs,
      pullRequest,
      // A dry run shows the plan of the whole pull request, whatever earlier runs reviewed.
      fullReviewRequested: target.fullReview === true || inputs.dryRun,
      logger
    })
  )
  const rules = await logger.group('Repository rules', () =>
    loadRepositoryRules(github, { pullRequest, settings: config, logger })
  )
  const routing = planModelRouting(config, logger)
  const poster = await run.poster()
  const incremental = await logger.group('Earlier reviews', () =>
    planIncrementalReview(github, {
      pullRequest,
      settings: config,
      extra: {
        'repository-config': JSON.stringify(repoConfig),
        ...fingerprintRepositoryRules(rules, config.rulesMaxTokens)
      },
      poster,
      logger
    })
  )
  return { pullRequest, config, repoConfig, rules, routing, incremental }
}
