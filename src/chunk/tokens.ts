/**
 * Token counting with o200k_base, the encoding of the gpt-5.x / codex models (gpt-tokenizer maps them to it).
 *
 * Diff text is counted as ORDINARY text: a line containing `<|endoftext|>` is seven ordinary tokens, not one
 * special token. That is how the API tokenizes user input, and gpt-tokenizer's default would instead throw
 * "Disallowed special token found" on such a line, letting any PR that mentions a special token break the run.
 */
import { countTokens as countO200kTokens } from 'gpt-tokenizer/encoding/o200k_base'

/**
 * o200k_base token count of `text`, special-token strings counted as ordinary text.
 * Counts are additive over units that end with "\n" when the next starts with a safe character; see
 * render-piece.ts for the argument.
 */
export function countTokens(text: string): number {
  // An empty disallowed set (and no allowed set) turns off both the check and special-token matching.
  return countO200kTokens(text, { disallowedSpecial: new Set<string>() })
}
