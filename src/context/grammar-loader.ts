/**
 * Loads the tree-sitter runtime and grammars lazily, once per process: nothing happens at import time, the
 * runtime starts on the first request and each grammar is compiled on the first request for its language.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliDecompressSync } from 'node:zlib'
import type * as WebTreeSitter from 'web-tree-sitter'
import type { Language, Parser } from 'web-tree-sitter'
import { BUNDLED_GRAMMAR_DIR, COMPRESSED_SUFFIX, GRAMMAR_WASM, RUNTIME_WASM, type WasmFile } from './grammar-files.js'
import type { LanguageId } from './languages.js'

type TreeSitter = typeof WebTreeSitter

/** Where to look for the `.wasm` files; by default beside the running bundle, then in node_modules. */
export interface GrammarLocation {
  /** A folder holding `<name>.wasm.br` (or plain `<name>.wasm`) files, tried first. */
  readonly grammarDir?: string
}

let runtime: Promise<TreeSitter> | undefined
const grammars = new Map<LanguageId, Promise<Language>>()

/**
 * A parser for `language`, its grammar loaded once per process. Parsers are cheap; the caller deletes it
 * (`parser.delete()`) when done, and must delete every tree it parses.
 */
export async function createParser(language: LanguageId, location: GrammarLocation = {}): Promise<Parser> {
  const treeSitter = await loadRuntime(location)
  const grammar = await loadGrammar(language, location)
  const parser = new treeSitter.Parser()
  parser.setLanguage(grammar)
  return parser
}

/** Loads the grammars of `languages` now (each once per process), so later parsing needs no waiting. */
export async function loadGrammars(languages: Iterable<LanguageId>, location: GrammarLocation = {}): Promise<void> {
  await Promise.all([...new Set(languages)].map((language) => loadGrammar(language, location)))
}

function loadRuntime(location: GrammarLocation): Promise<TreeSitter> {
  runtime ??= (async () => {
    const treeSitter = await import('web-tree-sitter')
    // Handing over the bytes stops the runtime from looking for its .wasm beside `import.meta.url`, which in
    // the bundle is dist/index.js and would not find it.
    const wasmBinary = await readWasm(RUNTIME_WASM, location)
    await treeSitter.Parser.init({ wasmBinary })
    return treeSitter
  })()
  // A failed start is not cached, so a later call can try again (and report the error again).
  runtime.catch(() => (runtime = undefined))
  return runtime
}

function loadGrammar(language: LanguageId, location: GrammarLocation): Promise<Language> {
  let grammar = grammars.get(language)
  if (grammar === undefined) {
    grammar = (async () => {
      const treeSitter = await loadRuntime(location)
      return treeSitter.Language.load(await readWasm(GRAMMAR_WASM[language], location))
    })()
    grammar.catch(() => grammars.delete(language))
    grammars.set(language, grammar)
  }
  return grammar
}

/** The bytes of one `.wasm` file, from the first place that has it. */
async function readWasm(file: WasmFile, location: GrammarLocation): Promise<Uint8Array> {
  const tried: string[] = []
  for (const dir of bundleDirs(location)) {
    const compressed = join(dir, file.fileName + COMPRESSED_SUFFIX)
    const bytes = await readIfPresent(compressed)
    if (bytes !== undefined) return new Uint8Array(brotliDecompressSync(bytes))
    const plain = join(dir, file.fileName)
    const plainBytes = await readIfPresent(plain)
    if (plainBytes !== undefined) return new Uint8Array(plainBytes)
    tried.push(compressed, plain)
  }
  const fromPackage = resolvePackageFile(file)
  if (fromPackage !== undefined) {
    const bytes = await readIfPresent(fromPackage)
    if (bytes !== undefined) return new Uint8Array(bytes)
    tried.push(fromPackage)
  }
  throw new Error(`cannot find ${file.fileName} (looked in ${tried.join(', ') || 'no folder'})`)
}

function bundleDirs(location: GrammarLocation): string[] {
  const dirs = location.grammarDir === undefined ? [] : [location.grammarDir]
  if (import.meta.url.startsWith('file:'))
    dirs.push(join(fileURLToPath(new URL('.', import.meta.url)), BUNDLED_GRAMMAR_DIR))
  return dirs
}

function resolvePackageFile(file: WasmFile): string | undefined {
  try {
    return createRequire(import.meta.url).resolve(`${file.packageName}/${file.packagePath}`)
  } catch {
    return undefined
  }
}

async function readIfPresent(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path)
  } catch (error: unknown) {
    if (isMissingFile(error)) return undefined
    throw error
  }
}

function isMissingFile(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'ENOENT' || code === 'ENOTDIR'
}
