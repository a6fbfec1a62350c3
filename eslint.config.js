// ESLint flat config: typescript-eslint's recommended rules, Prettier for layout (run separately), and the
// import rules that keep the architecture honest: no import cycles, and lower layers never import upper ones
// (see the README's "Source layout" and ../shared/DESIGN.md).
import js from '@eslint/js'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import { importX } from 'eslint-plugin-import-x'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import noImportCycleWithTypes from './eslint-rules/no-import-cycle-with-types.js'

/** Folders of src/ from the bottom up; a folder may import only from folders listed before it (and itself). */
const LAYERS = [
  ['types.ts', 'errors.ts', 'util'],
  ['config', 'diff', 'chunk', 'model', 'review', 'markdown', 'github', 'context', 'rules'],
  ['state'],
  ['engine'],
  ['render', 'report'],
  ['action', 'cli'],
  ['main.ts', 'cli.ts', 'index.ts']
]

const folderOf = (entry) => `./src/${entry}`

/** One zone per layer: its folders may not import from any folder of a higher layer. */
const layerZones = LAYERS.flatMap((layer, index) => {
  const higher = LAYERS.slice(index + 1).flat()
  if (higher.length === 0) return []
  return [
    {
      target: layer.map(folderOf),
      from: higher.map(folderOf),
      message: 'A lower layer must not import an upper one (see eslint.config.js LAYERS).'
    }
  ]
})

/** The two shells are siblings: neither may import the other. */
const shellZones = [
  { target: './src/action', from: './src/cli', message: 'The action shell must not import the CLI shell.' },
  { target: './src/cli', from: './src/action', message: 'The CLI shell must not import the action shell.' },
  { target: './src/render', from: './src/report', message: 'Markdown rendering must not import the report views.' }
]

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    plugins: { 'import-x': importX },
    languageOptions: { globals: { ...globals.node } },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })]
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }]
    }
  },
  {
    // Tests walk JSON answers of the loopback servers, whose shapes are asserted, not typed.
    files: ['__tests__/**/*.ts', '__fixtures__/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  },
  {
    files: ['src/**/*.ts'],
    plugins: { local: { rules: { 'no-import-cycle-with-types': noImportCycleWithTypes } } },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: [...layerZones, ...shellZones] }],
      'local/no-import-cycle-with-types': ['error', { root: 'src' }]
    }
  }
)
