/**
 * The code index: scope finding over file texts. Files in a language with a grammar are parsed with
 * tree-sitter (loaded lazily, once per process); every other file is read by the language-agnostic fallback.
 * Apart from that one load, every answer is a pure function of the file's path and text.
 */
import type { Parser } from 'web-tree-sitter'
import { buildFallbackOutline } from './fallback-outline.js'
import { createParser, loadGrammars, type GrammarLocation } from './grammar-loader.js'
import { LANGUAGE_IDS, languageOfPath, type LanguageId } from './languages.js'
import type { LineRange } from './line-range.js'
import {
  findDefinitionRange,
  findEnclosingScopes,
  findReferencedIdentifiers,
  findUsedBindings,
  findUsedDeclarations,
  type DeclarationKind,
  type Outline
} from './outline.js'
import { GO_SPEC } from './spec-go.js'
import { JAVA_SPEC } from './spec-java.js'
import { JAVASCRIPT_SPEC } from './spec-javascript.js'
import { PYTHON_SPEC } from './spec-python.js'
import { copySyntaxTree } from './syntax-tree.js'
import { buildTreeOutline, type LanguageSpec } from './tree-outline.js'

/** A file's path (which picks the language) and its full text at the reviewed head. */
export interface SourceFile {
  readonly path: string
  readonly text: string
}

/** A same-file declaration the given lines use. */
export interface UsedDeclaration {
  readonly name: string
  readonly kind: DeclarationKind
  readonly range: LineRange
}

/** How a file was read: with its grammar, or by the fallback. */
export type Reader = 'tree-sitter' | 'fallback'

/** Scope finding over files; line numbers are 1-based and in the new (head) file. */
export interface CodeIndex {
  /** For each line, its innermost function/method/class, else its top-level statement; sorted, none inside another. */
  enclosingScopes(file: SourceFile, lines: readonly number[]): LineRange[]
  /**
   * The top-level and class-member declarations (functions, classes, types, variables, methods, fields, imports)
   * of this file that the lines use.
   */
  usedDeclarations(file: SourceFile, lines: readonly number[]): UsedDeclaration[]
  /** Where names the lines read are bound when no declaration binds them (locals, wrapped modules; see findUsedBindings). */
  usedBindings(file: SourceFile, lines: readonly number[]): { name: string; line: number }[]
  /** The names the lines call, read or use as types that another file may define (see findReferencedIdentifiers). */
  referencedIdentifiers(file: SourceFile, lines: readonly number[]): string[]
  /** Where `name` is defined in this file (top level first, else a class member); undefined when it is not. */
  findDefinition(file: SourceFile, name: string): LineRange | undefined
  /** Whether this file is parsed with a grammar or read by the fallback. */
  readerOf(file: SourceFile): Reader
}

/** Options for {@link loadCodeIndex}. */
export interface LoadCodeIndexOptions extends GrammarLocation {
  /** The grammars to load (default: all). Files in other languages are read by the fallback. */
  readonly languages?: readonly LanguageId[]
  /** Files longer than this are read by the fallback instead of parsed (default {@link MAX_PARSED_CHARS}). */
  readonly maxParsedChars?: number
  /** Parsing one file is abandoned after this long and the fallback reads it (default {@link PARSE_TIMEOUT_MS}). */
  readonly parseTimeoutMs?: number
  /** Told when a file could not be parsed and the fallback read it instead. */
  readonly log?: (message: string) => void
}

/** A file that takes longer to parse is read by the fallback: the review must not stall on one odd file. */
export const PARSE_TIMEOUT_MS = 2_000

/** Above this many characters a file is read by the fallback: parsing stays a few tens of milliseconds. */
export const MAX_PARSED_CHARS = 2_000_000

/** Outlines kept for reuse: the packer asks several questions about the same file in a row. */
const OUTLINE_CACHE_SIZE = 64

const SPECS: Readonly<Record<LanguageId, LanguageSpec>> = {
  javascript: JAVASCRIPT_SPEC,
  typescript: JAVASCRIPT_SPEC,
  tsx: JAVASCRIPT_SPEC,
  python: PYTHON_SPEC,
  go: GO_SPEC,
  java: JAVA_SPEC
}

// One parser per language for the whole process: a parser holds WASM memory, and parsing is synchronous, so
// indexes can share it.
const parsers = new Map<LanguageId, Promise<Parser>>()

function sharedParser(language: LanguageId, location: GrammarLocation): Promise<Parser> {
  let parser = parsers.get(language)
  if (parser === undefined) {
    parser = createParser(language, location)
    parser.catch(() => parsers.delete(language))
    parsers.set(language, parser)
  }
  return parser
}

/** Loads the grammars (once per process) and returns a code index that uses them. */
export async function loadCodeIndex(options: LoadCodeIndexOptions = {}): Promise<CodeIndex> {
  const languages = options.languages ?? LANGUAGE_IDS
  const location: GrammarLocation = options.grammarDir === undefined ? {} : { grammarDir: options.grammarDir }
  await loadGrammars(languages, location)
  const parsers = new Map(
    await Promise.all(languages.map(async (language) => [language, await sharedParser(language, location)] as const))
  )
  const parseTimeoutMs = options.parseTimeoutMs ?? PARSE_TIMEOUT_MS
  const maxParsedChars = options.maxParsedChars ?? MAX_PARSED_CHARS
  const cache = new Map<string, { text: string; outline: Outline; reader: Reader }>()

  const analyse = (file: SourceFile): { outline: Outline; reader: Reader } => {
    const cached = cache.get(file.path)
    if (cached !== undefined && cached.text === file.text) {
      // Re-inserting keeps the map in least-recently-used order.
      cache.delete(file.path)
      cache.set(file.path, cached)
      return cached
    }
    const result = outlineOf(file)
    cache.set(file.path, { text: file.text, ...result })
    if (cache.size > OUTLINE_CACHE_SIZE) cache.delete(cache.keys().next().value as string)
    return result
  }

  const outlineOf = (file: SourceFile): { outline: Outline; reader: Reader } => {
    const language = languageOfPath(file.path)
    const parser = language === undefined ? undefined : parsers.get(language)
    if (language === undefined || parser === undefined || file.text.length > maxParsedChars) {
      return { outline: buildFallbackOutline(file.path, file.text), reader: 'fallback' }
    }
    const deadline = performance.now() + parseTimeoutMs
    // Returning true from the progress callback cancels the parse, which then returns null.
    const tree = parser.parse(file.text, null, { progressCallback: () => performance.now() > deadline })
    if (tree === null) {
      // A cancelled parser resumes the old text on its next call unless reset.
      parser.reset()
      options.log?.(`parsing ${file.path} took over ${parseTimeoutMs} ms; reading it without a grammar`)
      return { outline: buildFallbackOutline(file.path, file.text), reader: 'fallback' }
    }
    try {
      return { outline: buildTreeOutline(copySyntaxTree(tree, file.text), SPECS[language]), reader: 'tree-sitter' }
    } finally {
      tree.delete()
    }
  }

  return {
    enclosingScopes: (file, lines) => findEnclosingScopes(analyse(file).outline, lines),
    usedDeclarations: (file, lines) => findUsedDeclarations(analyse(file).outline, lines),
    usedBindings: (file, lines) => findUsedBindings(analyse(file).outline, lines),
    referencedIdentifiers: (file, lines) => findReferencedIdentifiers(analyse(file).outline, lines),
    findDefinition: (file, name) => findDefinitionRange(analyse(file).outline, name),
    readerOf: (file) => analyse(file).reader
  }
}
