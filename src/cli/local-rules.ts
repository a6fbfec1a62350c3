/**
 * The repository's review rules for a local run, read the way the action reads them: from git objects at the
 * BASE commit (the --base ref's commit, where the config file is read too), never the working tree or the head,
 * so the change under review cannot change its own rules and a local run applies what CI will apply. A `--diff`
 * has no base commit: no rule files are read then (a note says how to get them), even with --config, which names
 * one file on disk and says nothing about where rule files would come from.
 */
import type { ReviewSettings } from '../config/review-settings.js'
import type { Logger } from '../engine/logger.js'
import { readGitRuleFiles } from '../rules/git-rule-files.js'
import { NO_RULES, toRepositoryRules, type RepositoryRules } from '../rules/repository-rules.js'
import type { LoadedDiff } from './diff-source.js'
import type { GitRunner } from './git.js'

const SHORT_SHA = 12

/** What a --diff run says about rule files instead of reading them. */
export const DIFF_HAS_NO_RULES =
  '--diff has no base commit to read rule files (AGENTS.md, CLAUDE.md, Copilot instructions) from, so none were ' +
  'read; review a git range (e.g. --base main) to use them.'

/** Reads and parses the rule files at the base commit; none when --rules-max-tokens is 0 or for a --diff. */
export async function loadLocalRules(options: {
  readonly review: Pick<ReviewSettings, 'rulesMaxTokens'>
  readonly base?: LoadedDiff['base']
  readonly git: GitRunner
  readonly logger: Pick<Logger, 'info' | 'debug'>
}): Promise<RepositoryRules> {
  const { base, logger } = options
  if (options.review.rulesMaxTokens === 0) {
    logger.debug('--rules-max-tokens is 0: rule files are not read.')
    return NO_RULES
  }
  if (base === undefined) {
    logger.info(DIFF_HAS_NO_RULES)
    return { ...NO_RULES, notes: [DIFF_HAS_NO_RULES] }
  }
  const found = await readGitRuleFiles({ git: options.git, commit: base.sha })
  const rules = toRepositoryRules(found, `${base.ref} (${base.sha.slice(0, SHORT_SHA)})`)
  const guidance = new Set(rules.entries.map((entry) => entry.source)).size
  logger.info(
    rules.files.length === 0
      ? `No rule files at ${rules.origin}.`
      : `Rule files at ${rules.origin}: ${rules.files.length} read, ${guidance} with review guidance.`
  )
  for (const note of rules.notes) logger.debug(note)
  return rules
}
