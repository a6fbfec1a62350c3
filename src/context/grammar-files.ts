/**
 * Where the tree-sitter runtime and grammar `.wasm` files come from. The bundle ships them brotli-compressed in
 * `dist/grammars/` (written by scripts/copy-grammars.mjs); run from source (tests, ts-jest), they are read from
 * the npm packages in node_modules. Shared by the loader and the build script, so both agree on every name.
 */
import type { LanguageId } from './languages.js'

/** One `.wasm` file: the npm package and path it comes from, and its file name in `dist/grammars/`. */
export interface WasmFile {
  readonly packageName: string
  readonly packagePath: string
  readonly fileName: string
}

/** The tree-sitter runtime itself. */
export const RUNTIME_WASM: WasmFile = {
  packageName: 'web-tree-sitter',
  packagePath: 'web-tree-sitter.wasm',
  fileName: 'web-tree-sitter.wasm'
}

/** The grammar of each language (the TypeScript package ships both `typescript` and `tsx`). */
export const GRAMMAR_WASM: Readonly<Record<LanguageId, WasmFile>> = {
  javascript: grammar('tree-sitter-javascript', 'tree-sitter-javascript.wasm'),
  typescript: grammar('tree-sitter-typescript', 'tree-sitter-typescript.wasm'),
  tsx: grammar('tree-sitter-typescript', 'tree-sitter-tsx.wasm'),
  python: grammar('tree-sitter-python', 'tree-sitter-python.wasm'),
  go: grammar('tree-sitter-go', 'tree-sitter-go.wasm'),
  java: grammar('tree-sitter-java', 'tree-sitter-java.wasm')
}

/** The folder beside the bundle that holds the compressed files, and the suffix they carry. */
export const BUNDLED_GRAMMAR_DIR = 'grammars'
export const COMPRESSED_SUFFIX = '.br'

function grammar(packageName: string, packagePath: string): WasmFile {
  return { packageName, packagePath, fileName: packagePath }
}
