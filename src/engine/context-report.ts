/**
 * What the context stage did, built once (gather-context.ts) and carried by the plan and the run result: per
 * chunk its diff and context tokens, where files were read from, whether definitions in other files could be
 * looked up, and every piece of context that could not be included, with why. Views only format it.
 */

/** Why some context is not in a request. */
export type ContextOmissionReason =
  'over-budget' | 'too-large' | 'binary' | 'missing' | 'not-a-file' | 'mismatch' | 'unreadable'

/** One piece of context left out. */
export interface ContextOmission {
  readonly reason: ContextOmissionReason
  readonly path: string
  /** What it would have shown: "enclosing scope of lines 12–20", "definition of purgeTree", "the file". */
  readonly what: string
  /** The chunk it was for; absent when it concerns every chunk holding the file. */
  readonly chunk?: number
  readonly detail?: string
}

/** One chunk's figures. */
export interface ChunkContextFigures {
  readonly id: number
  readonly diffTokens: number
  readonly contextTokens: number
  readonly blocks: number
}

/** Whether definitions in other files were looked up, and what came of it. */
export type CrossFileContext =
  | {
      readonly available: true
      /** Distinct names looked up. */
      readonly names: number
      /** Names whose definition was found in a file the change does not touch. */
      readonly found: number
    }
  | {
      readonly available: false
      readonly reason: string
      /** What to do to get them, e.g. the checkout step to add. */
      readonly howToEnable: string
    }

/** Most omissions listed one by one; the counts by reason cover them all. */
export const MAX_LISTED_OMISSIONS = 200

export interface ContextReport {
  /** The `context-tokens` budget per request. */
  readonly budget: number
  /** Where the files came from: `checkout` (the workspace), `git` (a local repository), `working tree`, `api`, `none`. */
  readonly sourceKind: 'checkout' | 'git' | 'working tree' | 'api' | 'none'
  /** The same in words, e.g. "the workspace's checkout of 1a2b3c4d5e6f". */
  readonly source: string
  /** GraphQL calls made to read files (the API source only). */
  readonly apiCalls?: number
  readonly crossFile: CrossFileContext
  readonly chunks: readonly ChunkContextFigures[]
  /** Context tokens over every chunk. */
  readonly totalTokens: number
  /** Scopes, declarations and definitions shown only in part, cut to fit the budget. */
  readonly shortened: number
  /** What was left out, first {@link MAX_LISTED_OMISSIONS}. */
  readonly omitted: readonly ContextOmission[]
  /** Every omission counted by reason (the list above may be shortened). */
  readonly omittedByReason: Readonly<Partial<Record<ContextOmissionReason, number>>>
}

const REASON_TEXT: Readonly<Record<ContextOmissionReason, string>> = {
  'over-budget': 'over the context-tokens budget',
  'too-large': 'file too large',
  binary: 'binary file',
  missing: 'not in the head commit',
  'not-a-file': 'not a regular file (a symlink, submodule or folder)',
  mismatch: 'the file read does not match the diff',
  unreadable: 'could not be read'
}

/** The reason in words, e.g. "over the context-tokens budget". */
export function describeOmissionReason(reason: ContextOmissionReason): string {
  return REASON_TEXT[reason]
}

/** "3 over the context-tokens budget, 1 file too large", or '' when nothing was left out. */
export function describeOmissionCounts(report: Pick<ContextReport, 'omittedByReason'>): string {
  return Object.entries(report.omittedByReason)
    .filter(([, count]) => (count ?? 0) > 0)
    .map(([reason, count]) => `${count} ${describeOmissionReason(reason as ContextOmissionReason)}`)
    .join(', ')
}
