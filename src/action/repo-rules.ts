/**
 * The repository's own review rules for the action: AGENTS.md, CLAUDE.md and Copilot instruction files read
 * through the Git database API at the pull request's BASE commit, never its head, so a pull request cannot
 * rewrite the rules it is reviewed by (a change to them takes effect once merged, like the config file).
 * Reading degrades: the review runs without rules and the summary says why.
 */
import type { ReviewSettings } from '../config/review-settings.js'
import type { Logger } from '../engine/logger.js'
import type { GitHubApi } from '../github/client.js'
import { fetchRuleFiles } from '../github/rule-files.js'
import { NO_RULES, toRepositoryRules, type RepositoryRules } from '../rules/repository-rules.js'
import type { PullRequestInfo } from '../types.js'

const SHORT_SHA = 12

/** Reads and parses the rule files at the base commit; none when `rules-max-tokens` is 0. */
export async function loadRepositoryRules(
  github: GitHubApi,
  options: {
    readonly pullRequest: Pick<PullRequestInfo, 'owner' | 'repo' | 'baseSha'>
    readonly settings: Pick<ReviewSettings, 'rulesMaxTokens'>
    readonly logger: Pick<Logger, 'info'>
  }
): Promise<RepositoryRules> {
  const { pullRequest, logger } = options
  if (options.settings.rulesMaxTokens === 0) {
    logger.info("rules-max-tokens is 0: the repository's rule files (AGENTS.md, …) are not read.")
    return NO_RULES
  }
  const at = pullRequest.baseSha.slice(0, SHORT_SHA)
  const found = await fetchRuleFiles(github, {
    owner: pullRequest.owner,
    repo: pullRequest.repo,
    ref: pullRequest.baseSha
  })
  const rules = toRepositoryRules(found, `the base commit ${at}`)
  logger.info(describeRules(rules, at))
  for (const note of rules.notes) logger.info(note)
  return rules
}

/** One log line: how many rule files were read and how many hold review guidance. */
export function describeRules(rules: RepositoryRules, at: string): string {
  if (rules.files.length === 0) return `No rule files (AGENTS.md, CLAUDE.md, Copilot instructions) at ${at}.`
  const guidance = new Set(rules.entries.map((entry) => entry.source)).size
  return `Rule files at ${at}: ${rules.files.length} read, ${guidance} with review guidance (${rules.files.join(', ')}).`
}
