/**
 * The event a run was started by, as the reviewer sees it, and what it asks for. The payload is untrusted
 * JSON (GITHUB_EVENT_PATH): every reader goes through `asRecord` and checks each field's type.
 */
import type { PullRequestRef } from '../types.js'

/** The parts of the workflow run that decide whether and what to review. */
export interface EventContext {
  readonly eventName: string
  /** The webhook payload (`GITHUB_EVENT_PATH`), untyped JSON. */
  readonly payload: unknown
  /** `owner/repo` from `GITHUB_REPOSITORY`. */
  readonly repository: string
  /** The `pull-number` input, for workflow_dispatch. */
  readonly pullNumberInput?: number
}

export type ReviewTarget =
  | {
      readonly kind: 'review'
      readonly ref: PullRequestRef
      /** True when the head lives in another repository (the token is read-only, secrets are absent). */
      readonly fromFork: boolean
      /** Login of whoever opened the PR, when the payload says (Dependabot PRs get no Actions secrets). */
      readonly author?: string
      /** On-demand (`/review` comment): who asked. Their write access is checked before anything runs. */
      readonly requestedBy?: string
      /** `/review full`: review the whole PR this time. */
      readonly fullReview?: boolean
    }
  | { readonly kind: 'skip'; readonly reason: string }
  /** The event asks for something impossible (e.g. a pull-number that is not a number): the step must fail. */
  | { readonly kind: 'invalid'; readonly reason: string }

/** `value` when it is a JSON object, else an empty one: a missing or odd field reads as absent. */
export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
}
