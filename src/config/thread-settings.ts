/**
 * The inputs of the review-thread features (issue 13). They are the action's alone: the CLI reviews a local diff
 * and has no threads. Neither shapes what the model is asked about the code, so neither is in the config
 * fingerprint: changing them does not force a full review.
 */
import { type InputReader, readBoolean, readInteger } from './parse-inputs.js'

export interface ThreadSettings {
  /** On runs after the first, resolve the action's threads whose code the new commits fixed. */
  readonly resolveFixed: boolean
  /** Most replies the action answers per pull request (each is one model request); 0 = never answer. */
  readonly maxReplies: number
}

/**
 * 20 answers: a lively review of a large pull request has a handful of discussed findings; 20 leaves room for
 * that several times over, while a thread that turns into a chat (or a bot that replies to every answer) stops
 * costing model requests after 20. Each answer is one small request (about the cost of a small chunk).
 */
export const DEFAULT_MAX_REPLIES = 20
export const MAX_MAX_REPLIES = 200

/** Reads and validates the thread inputs; errors name the input, the value and what is allowed. */
export function readThreadSettings(read: InputReader): ThreadSettings {
  return {
    resolveFixed: readBoolean(read, { name: 'resolve-fixed', fallback: true }),
    maxReplies: readInteger(read, { name: 'max-replies', fallback: DEFAULT_MAX_REPLIES, min: 0, max: MAX_MAX_REPLIES })
  }
}
