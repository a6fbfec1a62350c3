/**
 * Stands in for src/chunk/tokens.ts inside the benchmark bundle (see rollup.bench.config.js): same counts,
 * plus a tally of calls and characters, so the benchmark can compare the text the planner tokenized with
 * the text it produced.
 */
import { countTokens as countExactly } from '../src/chunk/tokens.js'

/** Calls made and characters tokenized since the last reset. */
export const tokenizerTally = { calls: 0, characters: 0 }

/** Resets the tally. */
export function resetTokenizerTally(): void {
  tokenizerTally.calls = 0
  tokenizerTally.characters = 0
}

/** o200k_base count of `text`, tallied. */
export function countTokens(text: string): number {
  tokenizerTally.calls += 1
  tokenizerTally.characters += text.length
  return countExactly(text)
}
