/**
 * The repository guidance for one request: the rule files' entries that apply to the chunk's files, merged
 * with the review config file's `instructions` and `path_instructions`, capped by a token budget. Pure.
 *
 * Order (each part only when present), chosen so that everything identical in every request comes first and
 * the provider's cached prompt prefix reaches as far as it can:
 * 1. a short preamble saying where the guidance comes from and which part wins on conflict;
 * 2. repository-wide rule files (root `AGENTS.md`/`CLAUDE.md` review sections, `.github/copilot-instructions.md`,
 *    instructions files whose `applyTo` is `**`), in a fixed order;
 * 3. the config file's `instructions`;
 * 4. path-scoped rule files matching the chunk's files: nested `AGENTS.md`/`CLAUDE.md` (shallower directories
 *    first, so the nearest file comes last, as it wins in Codex), then `applyTo` files by path;
 * 5. the config file's `path_instructions` matching the chunk's files;
 * 6. the comment-language instruction.
 *
 * "Ours win on conflict": the rule files are written for several tools and for agents that edit code; the
 * config file is written for this reviewer. A conflict is guidance that contradicts guidance from the config
 * file (a rule file says "flag every TODO", the config says "ignore TODOs"); the model cannot be given a
 * mechanical rule for that, so the preamble says the config file takes precedence, the config's text is
 * labelled as such, and it is never cut by the token cap. Two rule files disagreeing follow their tools'
 * own rule: the more specific (later) one wins.
 *
 * The cap (`rules-max-tokens`) counts only the rule files' blocks: whole blocks are kept in the order above
 * while they fit (a rule cut mid-sentence can say the opposite of what it said), and the ones that do not fit
 * are reported. Repository-wide blocks are decided first, identically for every chunk, so the prefix holds.
 * With no rule files the text is exactly composeExtraInstructions' (apply-repo-config.ts).
 */
import { createHash } from 'node:crypto'
import picomatch from 'picomatch'
import { countTokens } from '../chunk/tokens.js'
import { languageInstruction, matchPathInstructions } from '../config/apply-repo-config.js'
import type { RepoConfig } from '../config/repo-config.js'
import type { RuleEntry, RuleScope } from './parse-rule-files.js'

/** A rule file left out of a request because the token cap was reached. */
export interface OmittedRule {
  readonly source: string
  /** Tokens its block would have cost. */
  readonly tokens: number
}

/** The guidance for one request, and what the summary and the plan need to know about it. */
export interface ChunkRules {
  /** Text for build-request.ts's `extraInstructions`; undefined when there is none (the request is unchanged). */
  readonly extraInstructions: string | undefined
  /** o200k tokens of `extraInstructions` (0 when undefined): what the plan adds to the request's input. */
  readonly tokens: number
  /** Tokens of the rule files' blocks included: what counts against `rules-max-tokens`. */
  readonly ruleTokens: number
  /** Rule files included, in the order they appear. */
  readonly ruleFiles: readonly string[]
  /** Rule files that applied to this chunk but did not fit under the cap. */
  readonly omitted: readonly OmittedRule[]
}

export interface SelectChunkRulesOptions {
  /** Every rule entry read at the base commit (parse-rule-files.ts), in any order. */
  readonly rules: readonly RuleEntry[]
  readonly repo: RepoConfig
  /** The config file's path, named in the preamble, e.g. `.github/codex-review.yml`. */
  readonly configFile: string
  readonly language: string
  /** Paths of the files in this chunk. */
  readonly paths: readonly string[]
  /** Most tokens of rule-file text per request (`rules-max-tokens`); 0 = rule files are not used. */
  readonly maxRuleTokens: number
}

/** Tie-breaker shared by every ordering: code-unit order, the same on every machine. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function depthOf(dir: string): number {
  return dir.split('/').length
}

const SCOPE_RANK: Readonly<Record<RuleScope['kind'], number>> = { all: 0, directory: 1, globs: 2 }

/**
 * The fixed order rules are shown in: repository-wide, then directory-scoped by depth (nearest last), then
 * glob-scoped; each by source path. The same input in any order gives the same output.
 */
export function orderRules(rules: readonly RuleEntry[]): RuleEntry[] {
  return [...rules].sort((a, b) => {
    const rank = SCOPE_RANK[a.scope.kind] - SCOPE_RANK[b.scope.kind]
    if (rank !== 0) return rank
    if (a.scope.kind === 'directory' && b.scope.kind === 'directory') {
      const depth = depthOf(a.scope.dir) - depthOf(b.scope.dir)
      if (depth !== 0) return depth
    }
    return compareText(a.source, b.source)
  })
}

/** True when the rule applies to at least one of `paths`. */
export function ruleApplies(scope: RuleScope, paths: readonly string[]): boolean {
  if (scope.kind === 'all') return true
  if (scope.kind === 'directory') return paths.some((path) => path.startsWith(`${scope.dir}/`))
  const matchers = scope.globs.map((glob) => picomatch(glob, { dot: true }))
  return paths.some((path) => matchers.some((matches) => matches(path)))
}

/** A path or glob shown inside backticks: nothing in it may end the code span or start a new line. */
function quote(text: string): string {
  return `\`${text.replace(/[`\r\n]/g, '?')}\``
}

/** One rule file's block, labelled with its scope and its file. */
function renderRule(rule: RuleEntry): string {
  const from = quote(rule.source)
  if (rule.scope.kind === 'all') return `From ${from}:\n${rule.text}`
  if (rule.scope.kind === 'directory')
    return `For files under ${quote(`${rule.scope.dir}/`)} (from ${from}):\n${rule.text}`
  return `For files matching ${rule.scope.globs.map(quote).join(', ')} (from ${from}):\n${rule.text}`
}

function renderPreamble(configFile: string): string {
  return (
    "Parts of this guidance may be quoted from the repository's own rule files (AGENTS.md, CLAUDE.md, Copilot " +
    "instructions) as they are on the pull request's base branch; each such part names its file. Guidance for a " +
    'directory or for matching files is more specific than guidance for the whole repository and comes after ' +
    `it. Where any of it conflicts with guidance from the review configuration (${quote(configFile)}), follow the ` +
    'review configuration.'
  )
}

interface Budget {
  remaining: number
  readonly included: RuleEntry[]
  readonly omitted: OmittedRule[]
  tokens: number
}

/** Keeps each block that still fits, in order; records the others. */
function fitRules(rules: readonly RuleEntry[], budget: Budget): string[] {
  const blocks: string[] = []
  for (const rule of rules) {
    const block = renderRule(rule)
    const tokens = countTokens(block)
    if (tokens > budget.remaining) {
      budget.omitted.push({ source: rule.source, tokens })
      continue
    }
    budget.remaining -= tokens
    budget.tokens += tokens
    budget.included.push(rule)
    blocks.push(block)
  }
  return blocks
}

/**
 * The guidance for one chunk (see the module comment for the order, the conflict rule and the cap). With
 * `maxRuleTokens` 0 or no rules, the text is exactly what composeExtraInstructions gives.
 */
export function selectChunkRules(options: SelectChunkRulesOptions): ChunkRules {
  const rules = options.maxRuleTokens > 0 ? orderRules(options.rules) : []
  const labelled = rules.length > 0
  const budget: Budget = { remaining: options.maxRuleTokens, included: [], omitted: [], tokens: 0 }
  const wide = fitRules(
    rules.filter((rule) => rule.scope.kind === 'all'),
    budget
  )
  const scoped = fitRules(
    rules.filter((rule) => rule.scope.kind !== 'all' && ruleApplies(rule.scope, options.paths)),
    budget
  )

  const { repo } = options
  const sections: string[] = labelled ? [renderPreamble(options.configFile), ...wide] : []
  if (repo.instructions !== undefined && repo.instructions !== '') {
    sections.push(
      labelled
        ? `From the review configuration (${quote(options.configFile)}):\n${repo.instructions}`
        : repo.instructions
    )
  }
  sections.push(...scoped)
  for (const entry of matchPathInstructions(repo.pathInstructions, options.paths)) {
    const origin = labelled ? ' (from the review configuration)' : ''
    sections.push(`For files matching \`${entry.pattern}\`${origin}:\n${entry.instructions}`)
  }
  const language = languageInstruction(options.language)
  if (language !== undefined) sections.push(language)
  // The preamble alone is no guidance: with every rule cut and nothing of ours, send nothing.
  const extraInstructions =
    sections.length === 0 || (labelled && sections.length === 1) ? undefined : sections.join('\n\n')
  return {
    extraInstructions,
    tokens: extraInstructions === undefined ? 0 : countTokens(extraInstructions),
    ruleTokens: budget.tokens,
    ruleFiles: budget.included.map((rule) => rule.source),
    omitted: budget.omitted
  }
}

/** Rule use across a run, for the summary. */
export interface RuleUseSummary {
  /** Rule files included in at least one request, in the order rules are shown. */
  readonly used: readonly string[]
  /** Rule files left out of at least one request by the cap, with the requests they were left out of. */
  readonly omitted: readonly (OmittedRule & { readonly requests: number })[]
}

/** Merges the per-chunk results: which rule files were used, and which the cap cut where. */
export function summarizeRuleUse(options: {
  readonly chunks: readonly ChunkRules[]
  /** The rules given to selectChunkRules: they fix the order of `used`. */
  readonly rules: readonly RuleEntry[]
}): RuleUseSummary {
  const usedSet = new Set(options.chunks.flatMap((chunk) => chunk.ruleFiles))
  const used = [...new Set(orderRules(options.rules).map((rule) => rule.source))].filter((source) =>
    usedSet.has(source)
  )
  const omitted = new Map<string, { source: string; tokens: number; requests: number }>()
  for (const rule of options.chunks.flatMap((chunk) => chunk.omitted)) {
    const seen = omitted.get(rule.source)
    if (seen === undefined) omitted.set(rule.source, { ...rule, requests: 1 })
    else seen.requests++
  }
  return { used, omitted: [...omitted.values()] }
}

/**
 * A short, stable digest of the rules (sources, scopes and texts, order-independent) for the config
 * fingerprint: when a rule file's guidance changes at the base, earlier reviews no longer stand.
 */
export function fingerprintRules(rules: readonly RuleEntry[]): string {
  const canonical = orderRules(rules).map((rule) => [rule.source, rule.scope, rule.text])
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex')
}
