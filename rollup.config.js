import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import nodeResolve from '@rollup/plugin-node-resolve'
import typescript from '@rollup/plugin-typescript'

/**
 * One self-contained ESM file per entry point: the runner executes dist/index.js, `npx codex-pr-review`
 * runs dist/cli.js. undici 7 lazily requires node:sqlite, which commonjs would hoist into a top-level
 * import that crashes on Node 20, so it stays a runtime require.
 */
const plugins = () => [
  typescript({ tsconfig: 'tsconfig.build.json', outputToFilesystem: false }),
  nodeResolve({ preferBuiltins: true, exportConditions: ['node', 'import', 'default'] }),
  commonjs({ ignore: ['node:sqlite'] }),
  json()
]

/** @type {import('rollup').RollupOptions['onwarn']} */
const onwarn = (warning, warn) => {
  if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return
  warn(warning)
}

/** @type {import('rollup').RollupOptions[]} */
const config = [
  {
    input: 'src/index.ts',
    output: { file: 'dist/index.js', format: 'es', sourcemap: false, inlineDynamicImports: true },
    plugins: plugins(),
    onwarn
  },
  {
    input: 'src/cli.ts',
    output: {
      file: 'dist/cli.js',
      format: 'es',
      sourcemap: false,
      inlineDynamicImports: true,
      banner: '#!/usr/bin/env node'
    },
    plugins: plugins(),
    onwarn
  }
]

export default config
