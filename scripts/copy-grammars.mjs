/**
 * Ships the tree-sitter runtime and grammar .wasm files beside the bundle, brotli-compressed (4.6 MB of
 * WebAssembly becomes about 0.5 MB): dist/grammars/<name>.wasm.br, which src/context/grammar-loader.ts reads
 * relative to the running bundle. Use it as a rollup plugin (`plugins: [..., copyGrammars()]`), or run
 * `node scripts/copy-grammars.mjs <out-dir>` to write the files into <out-dir>/grammars; `--list` prints the
 * files it ships as JSON. The list must match src/context/grammar-files.ts (a test checks it).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants } from 'node:zlib'

/** Every shipped file: the npm package, its path there, and its name in dist/grammars (plus `.br`). */
export const WASM_FILES = [
  { packageName: 'web-tree-sitter', packagePath: 'web-tree-sitter.wasm', fileName: 'web-tree-sitter.wasm' },
  {
    packageName: 'tree-sitter-javascript',
    packagePath: 'tree-sitter-javascript.wasm',
    fileName: 'tree-sitter-javascript.wasm'
  },
  {
    packageName: 'tree-sitter-typescript',
    packagePath: 'tree-sitter-typescript.wasm',
    fileName: 'tree-sitter-typescript.wasm'
  },
  { packageName: 'tree-sitter-typescript', packagePath: 'tree-sitter-tsx.wasm', fileName: 'tree-sitter-tsx.wasm' },
  { packageName: 'tree-sitter-python', packagePath: 'tree-sitter-python.wasm', fileName: 'tree-sitter-python.wasm' },
  { packageName: 'tree-sitter-go', packagePath: 'tree-sitter-go.wasm', fileName: 'tree-sitter-go.wasm' },
  { packageName: 'tree-sitter-java', packagePath: 'tree-sitter-java.wasm', fileName: 'tree-sitter-java.wasm' }
]

const GRAMMAR_DIR = 'grammars'
// Quality 5 takes 0.2 s for all files and gives 476 KB; 11 takes 16 s for 415 KB. Every bundle build pays it.
const BROTLI_QUALITY = 5
const require = createRequire(import.meta.url)
const compressed = new Map()

/** The compressed files as { fileName, source }, computed once per process (both bundles reuse them). */
export function compressedGrammars() {
  return WASM_FILES.map((file) => {
    let source = compressed.get(file.fileName)
    if (source === undefined) {
      const bytes = readFileSync(require.resolve(`${file.packageName}/${file.packagePath}`))
      source = brotliCompressSync(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length }
      })
      compressed.set(file.fileName, source)
    }
    return { fileName: `${GRAMMAR_DIR}/${file.fileName}.br`, source }
  })
}

/** A rollup plugin that emits the compressed files as assets beside each output file. */
export function copyGrammars() {
  return {
    name: 'copy-grammars',
    generateBundle() {
      for (const { fileName, source } of compressedGrammars()) this.emitFile({ type: 'asset', fileName, source })
    }
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const target = process.argv[2]
  if (target === '--list') {
    process.stdout.write(JSON.stringify(WASM_FILES) + '\n')
  } else if (target === undefined) {
    process.stderr.write('usage: node scripts/copy-grammars.mjs <out-dir> | --list\n')
    process.exitCode = 2
  } else {
    mkdirSync(join(target, GRAMMAR_DIR), { recursive: true })
    for (const { fileName, source } of compressedGrammars()) writeFileSync(join(target, fileName), source)
  }
}
