/** The settings a review runs with: the inputs, the repository config file from the base commit, the request. */

import { applyRepoConfig } from '../config/apply-repo-config.js'
import type { Config } from '../config/config.js'
import { EMPTY_REPO_CONFIG, parseRepoConfig, REPO_CONFIG_LIMITS, type RepoConfig } from '../config/repo-config.js'
import type { GitHubApi } from '../github/client.js'
import { fetchRepoFile } from '../github/repo-file.js'
import type { Logger } from '../engine/logger.js'
import type { PullRequestInfo } from '../types.js'

export interface ReviewConfig {
  /** The inputs with the file's values applied (and `full-review` forced by `/review full`). */
  readonly config: Config
  /** What the file said, for the per-chunk instructions. Empty when there is no file. */
  readonly repoConfig: RepoConfig
}

/**
 * Reads `config-file` at the pull request's BASE commit (never the head: a pull request must not be able
 * to change its own review rules), validates it and applies it over the inputs. No file is fine; an
 * invalid file fails the run with a message naming the file, the key and the value.
 */
export async function loadReviewConfig(
  github: GitHubApi,
  options: {
    readonly inputs: Config
    readonly pullRequest: Pick<PullRequestInfo, 'owner' | 'repo' | 'baseSha'>
    readonly fullReviewRequested: boolean
    readonly logger: Logger
  }
): Promise<ReviewConfig> {
  const { inputs, pullRequest, logger } = options
  const file = inputs.configFile
  const at = pullRequest.baseSha.slice(0, 12)
  const text = await fetchRepoFile(github, {
    owner: pullRequest.owner,
    repo: pullRequest.repo,
    path: file,
    ref: pullRequest.baseSha,
    maxBytes: REPO_CONFIG_LIMITS.maxBytes
  })
  const repoConfig = text === undefined ? EMPTY_REPO_CONFIG : parseRepoConfig(text, { file })
  if (text === undefined) logger.info(`No ${file} at the base commit ${at}: the action inputs apply as they are.`)
  const applied = applyRepoConfig(inputs, repoConfig)
  if (text !== undefined) logger.info(describeRepoConfig({ file, at, repoConfig, overridden: applied.overridden }))
  const config = options.fullReviewRequested
    ? Object.freeze({ ...applied.settings, fullReview: true })
    : applied.settings
  return { config, repoConfig }
}

function describeRepoConfig(options: {
  readonly file: string
  readonly at: string
  readonly repoConfig: RepoConfig
  readonly overridden: readonly string[]
}): string {
  const { repoConfig } = options
  const parts = [
    options.overridden.length > 0 ? `overrides the inputs ${options.overridden.join(', ')}` : 'overrides no input',
    `${repoConfig.pathInstructions.length} path instruction(s)`,
    repoConfig.instructions === undefined
      ? 'no extra instructions'
      : `instructions of ${repoConfig.instructions.length} characters`
  ]
  return `Read ${options.file} from the base commit ${options.at}: ${parts.join('; ')}.`
}
