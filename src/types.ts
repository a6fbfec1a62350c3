/**
 * Domain types shared by the pipeline stages. Nothing here knows about Octokit or the Responses API:
 * adapters translate those shapes at the edge (github/, model/).
 */

/** Which version of a file a review comment points at: RIGHT = the PR head, LEFT = the base. */
export type Side = 'LEFT' | 'RIGHT'

export type LineKind = 'add' | 'del' | 'context'

/** One line of a hunk. `content` has no leading `+`/`-`/space. */
export interface DiffLine {
  readonly kind: LineKind
  readonly content: string
  /** Number in the base file; absent for added lines. */
  readonly oldNumber?: number
  /** Number in the head file; absent for deleted lines. */
  readonly newNumber?: number
}

export interface DiffHunk {
  /** The `@@ -a,b +c,d @@ section` line as it appeared. */
  readonly header: string
  readonly oldStart: number
  readonly oldLines: number
  readonly newStart: number
  readonly newLines: number
  readonly lines: readonly DiffLine[]
}

export type FileStatus = 'added' | 'deleted' | 'modified' | 'renamed' | 'copied'

export interface DiffFile {
  /** Path in the head (for a deleted file: its path in the base). */
  readonly path: string
  /** Path in the base when renamed or copied. */
  readonly previousPath?: string
  readonly status: FileStatus
  /** Git said "Binary files differ" (or GitHub sent no patch for a binary). */
  readonly binary: boolean
  readonly hunks: readonly DiffHunk[]
  readonly additions: number
  readonly deletions: number
  /**
   * Why there is no patch text to review, when the source had none for a file that did change
   * (e.g. GitHub's listFiles omits `patch` for very large files).
   */
  readonly missingPatchReason?: string
  /** The path is a submodule (git mode 160000): its only "lines" are the `Subproject commit` pointer. */
  readonly submodule?: boolean
}

/** Why a file is not sent to the model. Every skipped file keeps one, shown in the summary. */
export type SkipReason =
  | 'lockfile'
  | 'build-output'
  | 'minified'
  | 'vendored'
  | 'generated'
  | 'binary'
  | 'image'
  | 'no-patch'
  | 'deleted'
  | 'no-changes'
  | 'excluded'
  | 'not-included'
  | 'too-large'
  | 'over-file-limit'
  | 'submodule'

export interface SkippedFile {
  readonly path: string
  readonly reason: SkipReason
  /** Human-readable detail, e.g. the pattern that matched. */
  readonly detail: string
}

export interface FilterResult {
  readonly reviewable: readonly DiffFile[]
  readonly skipped: readonly SkippedFile[]
}

/** A file, or a slice of one, inside a chunk. Hunks may be slices of the file's hunks. */
export interface ChunkPiece {
  readonly path: string
  readonly previousPath?: string
  readonly status: FileStatus
  readonly hunks: readonly DiffHunk[]
  /** 1-based index of this piece among the pieces of the same file, and their count. */
  readonly part: number
  readonly parts: number
}

/** One request's worth of diff. */
export interface Chunk {
  /** 1-based, stable within a run. */
  readonly id: number
  readonly pieces: readonly ChunkPiece[]
  /** The diff exactly as the model sees it (line-numbered, delimited). */
  readonly text: string
  /** o200k tokens of `text`. */
  readonly tokens: number
  /** Added + deleted lines in this chunk. */
  readonly changedLines: number
  /**
   * Code around this chunk's changes, shown to the model apart from the diff (`context-tokens`). Absent when
   * context is off; present (possibly empty) on every chunk of a run with context on, so all its requests
   * carry the same instructions.
   */
  readonly context?: ChunkContext
}

/** Why a context block is in a request. */
export type ContextKind = 'scope' | 'declaration' | 'definition' | 'file'

/** One `<context>` block: contiguous lines of one file at the reviewed head. */
export interface ContextBlock {
  readonly path: string
  /** 1-based inclusive line numbers in that file at the reviewed head. */
  readonly start: number
  readonly end: number
  /** What it shows: the enclosing scope of a hunk, a declaration or definition a change uses, the whole file. */
  readonly kinds: readonly ContextKind[]
  /** o200k tokens of the block as sent, tags included. */
  readonly tokens: number
}

/** The context of one chunk, as sent. */
export interface ChunkContext {
  /** The `<context …>` blocks exactly as sent; '' when none fitted or none was found. */
  readonly text: string
  /** o200k tokens of `text` (the sum of its blocks'), at most the `context-tokens` budget. */
  readonly tokens: number
  readonly blocks: readonly ContextBlock[]
}

export interface ChunkPlan {
  readonly chunks: readonly Chunk[]
  /** Sum of chunk tokens. */
  readonly totalTokens: number
}

/** The fixed severity scale, most severe first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'nit'] as const
export type Severity = (typeof SEVERITIES)[number]

/** What a finding is about; becomes the SARIF rule id. */
export const CATEGORIES = [
  'bug',
  'security',
  'performance',
  'concurrency',
  'error-handling',
  'maintainability',
  'testing',
  'documentation',
  'style'
] as const
export type Category = (typeof CATEGORIES)[number]

/** A finding as the model reported it, after schema validation, before placement. */
export interface ModelFinding {
  readonly path: string
  /** Last (or only) line, numbered in the head file. */
  readonly line: number
  /** First line of a multi-line range, or null. */
  readonly startLine: number | null
  readonly severity: Severity
  readonly category: Category
  readonly title: string
  readonly body: string
  /** Code to replace lines startLine..line (or line) with, or null. */
  readonly replacement: string | null
  /** Chunk that produced it. */
  readonly chunkId: number
  /**
   * How likely the finding is a real problem its author would fix, from 0 to 1: the reviewing model's own
   * score, replaced by the escalation model's when that model re-checked the finding (`verify-severity`).
   * Absent when the answer gave none (a provider that ignored strict mode): unknown, which is not the same
   * as low, so it is never gated as low confidence and never shown as a number.
   */
  readonly confidence?: number
  /** Model that confirmed it on a second look (`verify-severity`), when it was checked. */
  readonly verifiedBy?: string
}

/** A finding anchored on lines that GitHub will accept. Always RIGHT side. */
export interface PlacedFinding {
  readonly finding: ModelFinding
  readonly path: string
  readonly line: number
  /** Present only when it differs from `line`, and within the same hunk. */
  readonly startLine?: number
  /** Set when the anchor differs from what the model cited, saying how. */
  readonly reanchored?: string
  /** Stable fingerprint of path + title + body, for dedupe and hidden markers. */
  readonly fingerprint: string
}

export interface UnplacedFinding {
  readonly finding: ModelFinding
  /** Why it could not be posted inline (not in the diff, over max-comments, ...). */
  readonly reason: string
  readonly fingerprint: string
}

export interface PlacementResult {
  /** Ranked by severity, at most max-comments. */
  readonly inline: readonly PlacedFinding[]
  /** Shown in the summary, nothing lost. */
  readonly summaryOnly: readonly UnplacedFinding[]
  /** Findings dropped as duplicates of another finding in this run. */
  readonly duplicates: number
}

export interface TokenUsage {
  readonly inputTokens: number
  readonly cachedInputTokens: number
  readonly outputTokens: number
  readonly reasoningTokens: number
}

export const ZERO_USAGE: TokenUsage = Object.freeze({
  inputTokens: 0,
  cachedInputTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0
})

/** Adds two usage records. */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens
  }
}

/** How risky a change is, as the model judges it; most risky first. */
export const RISK_LEVELS = ['high', 'medium', 'low'] as const
export type RiskLevel = (typeof RISK_LEVELS)[number]

/** The model's overall judgement of a change: would it break existing behaviour or tests. */
export const CORRECTNESS_VERDICTS = ['correct', 'incorrect'] as const
export type Correctness = (typeof CORRECTNESS_VERDICTS)[number]

/** The model's verdict on one chunk's change. Advice only: nothing ever approves or blocks on it alone. */
export interface ChunkVerdict {
  readonly verdict: Correctness
  /** One to three sentences justifying it; absent when the answer gave none. */
  readonly reason?: string
  /** 0 to 1; absent when the answer gave none (unknown, not low). */
  readonly confidence?: number
}

/** What the model said about one chunk. */
export interface ChunkReview {
  readonly findings: readonly ModelFinding[]
  /** Short overview of the chunk's change and its risk, written by the model. */
  readonly overview: string
  /** The model's risk level for the chunk's change; absent when the answer did not give one. */
  readonly risk?: RiskLevel
  /** The model's verdict on the chunk's change; absent when the answer did not give one. */
  readonly verdict?: ChunkVerdict
  readonly usage: TokenUsage
  /** Model id as sent. */
  readonly model: string
  /** Dollars billed, when the provider says (AI/ML API `x-aimlapi-usd-spent`). */
  readonly billedUsd?: number
  /** Requests made for this chunk, retries included. */
  readonly attempts: number
  /** Paths of the chunk that matched `escalate-paths`: it was reviewed by the escalation model. */
  readonly escalatedFor?: readonly string[]
  /** The escalation model's second look at the chunk's severe findings (`verify-severity`). */
  readonly verification?: FindingVerification
  /**
   * The escalation model's review of the same chunk because the review model rated its risk at or above
   * `escalate-on-risk`; `findings` are then both models' findings merged.
   */
  readonly riskEscalation?: RiskEscalation
}

/** The escalation model's second review of a chunk the review model rated risky (`escalate-on-risk`). */
export interface RiskEscalation {
  /** Model id as sent. */
  readonly model: string
  /** The review model's rating of the chunk that triggered the escalation. */
  readonly risk: RiskLevel
  readonly usage: TokenUsage
  /** Dollars billed for its requests, when the provider says. */
  readonly billedUsd?: number
  readonly attempts: number
  /** Findings of the review model and of the escalation model, before merging. */
  readonly primaryFindings: number
  readonly escalationFindings: number
  /** Findings of the review model dropped as duplicates of the escalation model's. */
  readonly duplicates: number
  /** Why the escalated review did not happen or failed: the review model's findings stand alone. */
  readonly error?: string
  /** Set when the escalated review was not made for a typed reason (the cost ceiling). */
  readonly failure?: ChunkFailure
}

/** What the escalation model said about one chunk's findings at or above `verify-severity`. */
export interface FindingVerification {
  /** Model id as sent. */
  readonly model: string
  readonly usage: TokenUsage
  /** Dollars billed for the verification requests, when the provider says. */
  readonly billedUsd?: number
  readonly attempts: number
  /** Findings it confirmed: posted, marked as verified. */
  readonly confirmed: number
  /** Findings it rejected: not posted, counted and listed in the summary. */
  readonly rejected: readonly ModelFinding[]
  /** Findings kept without a verdict (the verification failed, or gave none for them). */
  readonly unverified: number
  /** Why the verification failed, when it did. */
  readonly error?: string
}

/**
 * Why a chunk was not reviewed, when it was not the model request failing on its own: `cancelled` (its request
 * was cancelled by the caller's signal), `time-budget` (the run's time ran out before or while it was reviewed),
 * `cost-ceiling` (reviewing it would have crossed `max-cost-usd` or `max-pr-cost-usd`).
 * A value, so reports and policies never match on message text.
 */
export type ChunkFailure = 'cancelled' | 'time-budget' | 'cost-ceiling'

export type ChunkOutcome =
  | { readonly ok: true; readonly chunk: Chunk; readonly review: ChunkReview }
  | {
      readonly ok: false
      readonly chunk: Chunk
      /** Provider's message or our description of what went wrong. */
      readonly error: string
      /** Absent when the model request failed (refused, unreachable, an unusable answer). */
      readonly failure?: ChunkFailure
      /**
       * How the model API answered the last request, when it was the request that failed: its HTTP status, or
       * `unreachable` when no answer came at all (DNS, refused connection, timeout). Lets a run tell a typo in
       * `base-url`, `api-key` or `model` from a chunk the model could not review.
       */
      readonly api?: { readonly status: number } | { readonly unreachable: true }
      /** Tokens already spent on failed attempts. */
      readonly usage: TokenUsage
      readonly attempts: number
      /** Dollars the provider billed for the failed attempts, when it says. */
      readonly billedUsd?: number
      /** Model id the failed requests were sent to. */
      readonly model?: string
      /** Paths that matched `escalate-paths`, when the chunk was sent to the escalation model. */
      readonly escalatedFor?: readonly string[]
      /** For `cost-ceiling`: the estimated dollars its review would have needed. */
      readonly neededUsd?: number
    }

/** Identifies the pull request under review. */
export interface PullRequestRef {
  readonly owner: string
  readonly repo: string
  readonly pullNumber: number
}

export interface PullRequestInfo extends PullRequestRef {
  readonly title: string
  readonly body: string
  readonly headSha: string
  readonly baseSha: string
  readonly baseRef: string
  readonly headRef: string
  readonly draft: boolean
  readonly authorLogin: string
  readonly labels: readonly string[]
  /** `owner/repo` of the head; differs from the base for fork PRs. */
  readonly headRepoFullName: string
  /**
   * Files the pull request changes as GitHub counts them (`changed_files`), listed or not; absent when the
   * pull request was not read from GitHub's API.
   */
  readonly changedFiles?: number
}

/** A file entry from `pulls.listFiles`, already translated from Octokit's shape. */
export interface PullFileEntry {
  readonly filename: string
  readonly status: string
  readonly previousFilename?: string
  readonly additions: number
  readonly deletions: number
  /** Absent for binary files and for diffs GitHub considers too large. */
  readonly patch?: string
}

/** The PR's changes, as GitHub gave them. */
export type PullDiffSource =
  | {
      readonly kind: 'unified'
      readonly text: string
      /**
       * Set when the diff is not GitHub's own: where it came from and why, e.g. the workspace's checkout for a pull
       * request GitHub lists only 3,000 files of. Shown in the reports.
       */
      readonly origin?: string
    }
  | {
      readonly kind: 'files'
      readonly files: readonly PullFileEntry[]
      /** Why the unified diff was not used (GitHub's 406 message). */
      readonly fallbackReason: string
      /** True when GitHub's 3,000-file listing cap (or a lower `maxFiles`) was reached. */
      readonly truncated: boolean
      /** Changed files that were not listed (GitHub's `changed_files` minus those listed), when known. */
      readonly unlistedFiles?: number
    }

/** One inline comment of a review, as sent to GitHub. */
export interface ReviewComment {
  readonly path: string
  readonly line: number
  readonly side: 'RIGHT'
  readonly startLine?: number
  readonly startSide?: 'RIGHT'
  readonly body: string
}
