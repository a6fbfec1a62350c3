/**
 * How the repository config file combines with the action inputs, and the extra instructions it adds to
 * each request. Pure.
 *
 * Precedence: a key the file sets replaces the matching input (the file is the team's shared setting;
 * the workflow's inputs are the defaults). The file cannot set anything security-relevant: credentials,
 * endpoints, models, token limits, the gates (`fail-on-severity`, `fail-on-error`) and the skip rules stay
 * inputs, written in the workflow.
 */
import picomatch from 'picomatch'
import type { PathInstruction, RepoConfig } from './repo-config.js'
import type { ReviewSettings } from './review-settings.js'

/** Input names the file replaced, for the log. */
export type OverriddenInput = 'include' | 'exclude' | 'severity-threshold' | 'language' | 'max-comments'

/** Settings with the file's values applied, and which inputs the file replaced. */
export function applyRepoConfig<T extends ReviewSettings>(
  settings: T,
  repo: RepoConfig
): { readonly settings: T; readonly overridden: readonly OverriddenInput[] } {
  const overridden: OverriddenInput[] = []
  const next: T = { ...settings }
  const set = <K extends keyof ReviewSettings>(key: K, value: T[K] | undefined, input: OverriddenInput): void => {
    if (value === undefined) return
    next[key] = value
    overridden.push(input)
  }
  set('include', repo.include, 'include')
  set('exclude', repo.exclude, 'exclude')
  set('severityThreshold', repo.severityThreshold, 'severity-threshold')
  set('language', repo.language, 'language')
  set('maxComments', repo.maxComments, 'max-comments')
  return { settings: Object.freeze(next), overridden }
}

/** Names that mean the default: no language instruction at all, so English requests stay byte-identical. */
const DEFAULT_LANGUAGES = ['', 'en', 'english']

/** The instruction that makes the model write its text in `language`; undefined for English. */
export function languageInstruction(language: string): string | undefined {
  if (DEFAULT_LANGUAGES.includes(language.trim().toLowerCase())) return undefined
  return (
    `Write "title", "body" and "overview" in ${language.trim()}. Write "verdict_reason" in ${language.trim()} too. ` +
    'Keep code, identifiers, file paths, ' +
    'suggested replacements, JSON field names, the value of "verdict" and the values of "severity", "category" and "risk" ' +
    'exactly as specified.'
  )
}

/** The path instructions whose glob matches at least one of `paths`, in the file's order. */
export function matchPathInstructions(
  pathInstructions: readonly PathInstruction[],
  paths: readonly string[]
): PathInstruction[] {
  return pathInstructions.filter((entry) => {
    const matches = picomatch(entry.pattern, { dot: true })
    return paths.some((path) => matches(path))
  })
}

/**
 * The repository guidance for one request: the file's `instructions`, the `path_instructions` for the
 * chunk's files, and the comment language. Undefined when there is none, so the request is unchanged.
 * The static review instructions always come first (build-request.ts), so the cached prefix never moves.
 */
export function composeExtraInstructions(options: {
  readonly repo: RepoConfig
  readonly language: string
  /** Paths of the files in this chunk. */
  readonly paths: readonly string[]
}): string | undefined {
  const sections: string[] = []
  if (options.repo.instructions !== undefined && options.repo.instructions !== '')
    sections.push(options.repo.instructions)
  for (const entry of matchPathInstructions(options.repo.pathInstructions, options.paths)) {
    sections.push(`For files matching \`${entry.pattern}\`:\n${entry.instructions}`)
  }
  const language = languageInstruction(options.language)
  if (language !== undefined) sections.push(language)
  return sections.length === 0 ? undefined : sections.join('\n\n')
}
