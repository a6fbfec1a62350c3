import path from 'node:path'
import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import nodeResolve from '@rollup/plugin-node-resolve'
import typescript from '@rollup/plugin-typescript'

/**
 * `npm run bench`: bundles bench/main.ts with the same TypeScript sources as the action into build/bench.js
 * (build/ is not committed). One change: imports of src/chunk/tokens.ts from src/ resolve to
 * bench/counting-tokens.ts, which counts calls and characters before delegating to the real tokenizer, so the
 * benchmark can show how much text the planner tokenizes. The benchmark's own floor measurement imports the
 * real module.
 */
const TOKENS_MODULE = path.resolve('src/chunk/tokens.ts')
const COUNTING_MODULE = path.resolve('bench/counting-tokens.ts')
const BENCH_DIR = path.resolve('bench')

/** @returns {import('rollup').Plugin} */
function countTokenizerCalls() {
  return {
    name: 'count-tokenizer-calls',
    async resolveId(source, importer, options) {
      if (importer === undefined || importer.startsWith(BENCH_DIR)) return null
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true })
      return resolved?.id === TOKENS_MODULE ? COUNTING_MODULE : null
    }
  }
}

/** @type {import('rollup').RollupOptions} */
const config = {
  input: 'bench/main.ts',
  output: { file: 'build/bench.js', format: 'es', sourcemap: false, inlineDynamicImports: true },
  plugins: [
    countTokenizerCalls(),
    // tsconfig.json's options, but only the files the bundle imports: tests are type-checked by `npm run typecheck`.
    typescript({
      tsconfig: 'tsconfig.json',
      filterRoot: '.',
      include: [
        'bench/**/*.ts',
        'src/**/*.ts',
        '__fixtures__/real-world-diff.ts',
        '__fixtures__/model/*.ts',
        '__fixtures__/servers/*.ts'
      ],
      compilerOptions: {
        module: 'ESNext',
        moduleResolution: 'Bundler',
        types: ['node'],
        outDir: 'build',
        noEmit: false
      },
      outputToFilesystem: false
    }),
    nodeResolve({ preferBuiltins: true, exportConditions: ['node', 'import', 'default'] }),
    commonjs({ ignore: ['node:sqlite'] }),
    json()
  ],
  onwarn(warning, warn) {
    if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return
    warn(warning)
  }
}

export default config
