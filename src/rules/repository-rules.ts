/**
 * The repository's rule files as a run uses them: read by a shell at the base commit (github/rule-files.ts or
 * rules/git-rule-files.ts), parsed here into guidance, with every reason a file was not read or not used kept as
 * a note for the summary and the dry run. Pure.
 */
import { parseRuleFiles, type RuleEntry } from './parse-rule-files.js'
import type { RuleFilesResult } from './rule-candidates.js'
import { fingerprintRules } from './select-rules.js'

export interface RepositoryRules {
  /** Where they were read, e.g. `the base commit 1a2b3c4d5e6f`; '' when none were looked for. */
  readonly origin: string
  /** Rule files read, in reading order (those without review guidance included). */
  readonly files: readonly string[]
  /** The guidance they hold. */
  readonly entries: readonly RuleEntry[]
  /** What was not read or not used, and why: symbolic links, sizes, a truncated tree, files without a review section. */
  readonly notes: readonly string[]
}

/** No rule files: the run's guidance is the config file's alone, exactly as before rule files existed. */
export const NO_RULES: RepositoryRules = Object.freeze({ origin: '', files: [], entries: [], notes: [] })

/** Parses what a reader found into the run's rules; the reader's notes come first, then the parser's. */
export function toRepositoryRules(found: RuleFilesResult, origin: string): RepositoryRules {
  const parsed = parseRuleFiles(found.files)
  return {
    origin,
    files: found.files.map((file) => file.path),
    entries: parsed.entries,
    notes: [...found.notes, ...parsed.notes]
  }
}

/**
 * The config fingerprint's entries for the rules (state/config-fingerprint.ts `extra`): a change of any rule's
 * guidance at the base, or of the cap, forces a full review. None without rules, so a repository that keeps no
 * rule files is fingerprinted exactly as before they were read, and upgrading forces no full review.
 */
export function fingerprintRepositoryRules(
  rules: Pick<RepositoryRules, 'entries'>,
  maxTokens: number
): Record<string, string> {
  if (rules.entries.length === 0) return {}
  return { 'review-rules': fingerprintRules(rules.entries), 'rules-max-tokens': String(maxTokens) }
}
