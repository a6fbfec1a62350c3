/**
 * A run in which no chunk could be reviewed because the model API itself was wrong for it: unreachable, the
 * key refused, the model or endpoint unknown. That is a setup mistake (a typo in `base-url`, `api-key` or
 * `model`), not a bad day of the model, so the run says plainly that nothing was reviewed, names the input most
 * likely at fault, and fails even with `fail-on-error: false`. Pure.
 */
import type { ChunkOutcome } from '../types.js'

/** The input a setup failure points at. */
export type SuspectInput = 'base-url' | 'api-key' | 'model'

export interface NothingReviewed {
  readonly input: SuspectInput
  /** One sentence for the summary, the log and the step's error. */
  readonly message: string
}

/** What each kind of answer says about the setup, or undefined when it says nothing about it. */
function suspectOf(outcome: Extract<ChunkOutcome, { ok: false }>): SuspectInput | undefined {
  const { api } = outcome
  if (api === undefined) return undefined
  if ('unreachable' in api) return 'base-url'
  if (api.status === 401 || api.status === 403) return 'api-key'
  if (api.status === 404 || api.status === 400 || api.status === 422) return 'model'
  return undefined
}

const EXPLANATIONS: Readonly<Record<SuspectInput, string>> = {
  'base-url': 'the model API could not be reached: check the `base-url` input (e.g. https://api.aimlapi.com/v1)',
  'api-key':
    'the model API refused the key: check the `api-key` input and the secret it reads (missing, revoked, no credits)',
  model:
    'the model API does not know the model or the endpoint: check the `model` input (e.g. openai/gpt-5-1-codex-mini) and the `base-url` input (it should end in /v1)'
}

/**
 * Undefined unless there were chunks and every one of them failed on a setup problem; then the input most of
 * them point at (the first in chunk order on a tie) and the message.
 */
export function describeNothingReviewed(outcomes: readonly ChunkOutcome[]): NothingReviewed | undefined {
  if (outcomes.length === 0) return undefined
  const suspects: SuspectInput[] = []
  for (const outcome of outcomes) {
    if (outcome.ok) return undefined
    const suspect = suspectOf(outcome)
    if (suspect === undefined) return undefined
    suspects.push(suspect)
  }
  const counts = new Map<SuspectInput, number>()
  for (const suspect of suspects) counts.set(suspect, (counts.get(suspect) ?? 0) + 1)
  const [input] = [...counts.entries()].reduce((best, entry) => (entry[1] > best[1] ? entry : best))
  const chunks = outcomes.length === 1 ? 'the only chunk' : `all ${outcomes.length} chunks`
  return { input, message: `Nothing was reviewed: ${chunks} failed because ${EXPLANATIONS[input]}.` }
}
