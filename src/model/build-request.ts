/**
 * Builds the `POST /responses` body for one chunk. Only fields the AI/ML API's schema lists are sent:
 * it answers unknown ones (temperature, metadata, prompt_cache_key, ...) with 400.
 */
import type { Chunk } from '../types.js'
import { FINDINGS_SCHEMA } from './findings-schema.js'
import { REVIEW_INSTRUCTIONS, REVIEW_INSTRUCTIONS_WITH_CONTEXT } from './instructions.js'

/** Longest PR description sent; the rest is cut so a huge description cannot crowd out the diff. */
export const MAX_DESCRIPTION_CHARS = 4_000
/** Longest PR title sent (GitHub allows 256; proxies and bots sometimes exceed it). */
export const MAX_TITLE_CHARS = 300
/** Name of the structured-output format; must match [A-Za-z0-9_-]{1,64}. */
export const FINDINGS_FORMAT_NAME = 'code_review_findings'

export type ReasoningEffort = 'low' | 'medium' | 'high'

export interface BuildRequestOptions {
  readonly model: string
  readonly reasoningEffort: ReasoningEffort
  /** Includes reasoning tokens. */
  readonly maxOutputTokens: number
  readonly chunk: Chunk
  readonly pullRequest: { readonly title: string; readonly body: string }
  /** Repository-specific guidance, appended after the static instructions so they stay a stable prefix. */
  readonly extraInstructions?: string
}

/**
 * A Responses request body with a strict JSON-schema answer, limited to what both OpenAI and the AI/ML
 * API accept. The Chat Completions body is derived from it, so both endpoints get the same request.
 */
export interface StructuredRequestBody {
  readonly model: string
  readonly instructions: string
  readonly input: string
  readonly reasoning: { readonly effort: ReasoningEffort }
  readonly max_output_tokens: number
  readonly store: false
  readonly text: {
    readonly format: {
      readonly type: 'json_schema'
      readonly name: string
      readonly schema: object
      readonly strict: true
    }
  }
}

/** The review request: a structured body whose schema is the findings schema. */
export type ResponsesRequestBody = StructuredRequestBody & {
  readonly text: { readonly format: { readonly schema: typeof FINDINGS_SCHEMA } }
}

/** Tags that delimit untrusted data in `input`. */
const DELIMITER_TAGS = /<(\/?)(pull_request|title|description|diff)\b/gi

/**
 * Untrusted text must not be able to close our delimiters and pose as instructions: `<` of our own
 * tags becomes `&lt;`. Function replacer on purpose: PR text may contain `$&`.
 */
function neutraliseTags(text: string): string {
  return text.replace(DELIMITER_TAGS, (_match: string, slash: string, name: string) => `&lt;${slash}${name}`)
}

/** The diff reaches the model verbatim, except that it cannot end our `<diff>` block early. */
function neutraliseDiffEnd(text: string): string {
  return text.replace(/<\/diff\b/gi, (match: string) => `&lt;${match.slice(1)}`)
}

function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text
  return `${text.slice(0, maxChars)}\n[... truncated: ${text.length - maxChars} more characters]`
}

/** The `<pull_request>` block: title and description, capped and unable to close our delimiters. */
export function formatPullRequest(pullRequest: { readonly title: string; readonly body: string }): string {
  const title = neutraliseTags(truncate(pullRequest.title.trim(), MAX_TITLE_CHARS))
  const body = pullRequest.body.trim()
  const description = body === '' ? '(no description)' : neutraliseTags(truncate(body, MAX_DESCRIPTION_CHARS))
  const lines = ['<pull_request>', '<title>', title, '</title>', '<description>', description, '</description>']
  return [...lines, '</pull_request>'].join('\n')
}

/** What joins the static instructions and the repository's guidance (counted by the plan's token estimate). */
export const GUIDANCE_SEPARATOR = '\n\n# Additional guidance from the repository\n'

/**
 * Static instructions first, then optional repository guidance: the cacheable prefix never moves. A run with
 * context (every chunk carries a `context`, empty or not) has the context section in every request.
 */
function composeInstructions(extraInstructions: string | undefined, withContext: boolean): string {
  const base = withContext ? REVIEW_INSTRUCTIONS_WITH_CONTEXT : REVIEW_INSTRUCTIONS
  const extra = extraInstructions?.trim() ?? ''
  if (extra === '') return base
  return `${base}${GUIDANCE_SEPARATOR}${extra}`
}

/**
 * The user input: PR text, then the chunk's context blocks (already rendered so they cannot close a tag, see
 * chunk/context-render.ts), then the diff last.
 */
export function buildReviewInput(options: Pick<BuildRequestOptions, 'chunk' | 'pullRequest'>): string {
  const context = options.chunk.context?.text ?? ''
  const blocks = context === '' ? '' : `${context}\n`
  return `${formatPullRequest(options.pullRequest)}\n\n${blocks}<diff>\n${neutraliseDiffEnd(options.chunk.text)}\n</diff>`
}

/** Builds the stateless, strict-schema request body for one chunk. */
export function buildResponsesRequest(options: BuildRequestOptions): ResponsesRequestBody {
  return {
    model: options.model,
    instructions: composeInstructions(options.extraInstructions, options.chunk.context !== undefined),
    input: buildReviewInput(options),
    reasoning: { effort: options.reasoningEffort },
    max_output_tokens: options.maxOutputTokens,
    store: false,
    text: {
      format: { type: 'json_schema', name: FINDINGS_FORMAT_NAME, schema: FINDINGS_SCHEMA, strict: true }
    }
  }
}
