/**
 * The repository guidance each request carries, decided once per run before anything is sent: the config
 * file's instructions and the repository's own rule files (AGENTS.md, CLAUDE.md, Copilot instructions, read at
 * the base commit by the shell) selected per chunk under `rules-max-tokens` (rules/select-rules.ts). The plan's
 * token counts, the cost estimates, the requests and the summary all read this one result. Pure.
 */
import { countTokens } from '../chunk/tokens.js'
import type { RepoConfig } from '../config/repo-config.js'
import type { ReviewSettings } from '../config/review-settings.js'
import { GUIDANCE_SEPARATOR } from '../model/build-request.js'
import type { RepositoryRules } from '../rules/repository-rules.js'
import { selectChunkRules, summarizeRuleUse, type ChunkRules, type RuleUseSummary } from '../rules/select-rules.js'
import type { Chunk } from '../types.js'

/** What the summary and the dry run say about the rule files. */
export interface RulesReport {
  readonly origin: string
  /** `rules-max-tokens`. */
  readonly maxTokens: number
  readonly read: readonly string[]
  /** Included in at least one request, in the order they are shown to the model. */
  readonly used: readonly string[]
  /** Left out of at least one request by the cap. */
  readonly omitted: RuleUseSummary['omitted']
  readonly notes: readonly string[]
}

export interface ChunkGuidance {
  /** The guidance of each chunk, by chunk id (every planned chunk has one). */
  readonly byChunk: ReadonlyMap<number, ChunkRules>
  /** Absent when no rule file was read and none was noted: nothing to report. */
  readonly report?: RulesReport
}

export interface PlanChunkGuidanceOptions {
  readonly chunks: readonly Chunk[]
  /** The config file's guidance (instructions, path instructions). */
  readonly repo: RepoConfig
  readonly rules: RepositoryRules
  readonly settings: Pick<ReviewSettings, 'configFile' | 'language' | 'rulesMaxTokens'>
}

/** Selects every chunk's guidance and summarizes which rule files were used and which the cap left out. */
export function planChunkGuidance(options: PlanChunkGuidanceOptions): ChunkGuidance {
  const { rules, settings } = options
  const byChunk = new Map(
    options.chunks.map((chunk) => [
      chunk.id,
      selectChunkRules({
        rules: rules.entries,
        repo: options.repo,
        configFile: settings.configFile,
        language: settings.language,
        paths: [...new Set(chunk.pieces.map((piece) => piece.path))],
        maxRuleTokens: settings.rulesMaxTokens
      })
    ])
  )
  if (rules.files.length === 0 && rules.notes.length === 0) return { byChunk }
  const use = summarizeRuleUse({ chunks: [...byChunk.values()], rules: rules.entries })
  return {
    byChunk,
    report: {
      origin: rules.origin,
      maxTokens: settings.rulesMaxTokens,
      read: rules.files,
      used: use.used,
      omitted: use.omitted,
      notes: rules.notes
    }
  }
}

let separatorTokens: number | undefined

/**
 * Tokens the guidance adds to a chunk's request: its text and the heading that joins it to the static
 * instructions (0 without any guidance: the request is then exactly the static one).
 */
export function guidanceTokensOf(guidance: ChunkGuidance, chunk: Pick<Chunk, 'id'>): number {
  const tokens = guidance.byChunk.get(chunk.id)?.tokens ?? 0
  if (tokens === 0) return 0
  separatorTokens ??= countTokens(GUIDANCE_SEPARATOR)
  return tokens + separatorTokens
}
