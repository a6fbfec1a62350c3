/** Which tree-sitter grammar reads a file, from its path alone. */

/** The languages parsed with a tree-sitter grammar; every other file gets the language-agnostic fallback. */
export type LanguageId = 'javascript' | 'typescript' | 'tsx' | 'python' | 'go' | 'java'

/** Every language with a grammar, in a stable order (the order grammars are listed and shipped in). */
export const LANGUAGE_IDS: readonly LanguageId[] = ['javascript', 'typescript', 'tsx', 'python', 'go', 'java']

// The JavaScript grammar parses JSX too; `.d.ts`, `.mts` and `.cts` are plain TypeScript. TSX needs its own
// grammar because `<T>value` means a type assertion in `.ts` and an element in `.tsx`.
const LANGUAGE_BY_EXTENSION: ReadonlyMap<string, LanguageId> = new Map([
  ['js', 'javascript'],
  ['jsx', 'javascript'],
  ['mjs', 'javascript'],
  ['cjs', 'javascript'],
  ['ts', 'typescript'],
  ['mts', 'typescript'],
  ['cts', 'typescript'],
  ['tsx', 'tsx'],
  ['py', 'python'],
  ['pyi', 'python'],
  ['go', 'go'],
  ['java', 'java']
])

/** The grammar for `path` by its extension (case-insensitive), or undefined when the fallback must read it. */
export function languageOfPath(path: string): LanguageId | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1)
  const dot = name.lastIndexOf('.')
  if (dot <= 0) return undefined
  return LANGUAGE_BY_EXTENSION.get(name.slice(dot + 1).toLowerCase())
}
