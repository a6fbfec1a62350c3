import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync } from 'node:zlib'
import { loadCodeIndex } from '../../src/context/code-index.js'
import { GRAMMAR_WASM, RUNTIME_WASM } from '../../src/context/grammar-files.js'
import { createParser } from '../../src/context/grammar-loader.js'

const SCRIPT = new URL('../../scripts/copy-grammars.mjs', import.meta.url).pathname
const require = createRequire(import.meta.url)

describe('scripts/copy-grammars.mjs', () => {
  let out: string
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'codex-pr-review-grammars-'))
    execFileSync(process.execPath, [SCRIPT, out])
  })
  afterAll(() => rmSync(out, { recursive: true, force: true }))

  it('ships exactly the files the loader looks for', () => {
    const listed = JSON.parse(execFileSync(process.execPath, [SCRIPT, '--list'], { encoding: 'utf8' })) as unknown[]
    const expected = [RUNTIME_WASM, ...new Set(Object.values(GRAMMAR_WASM))]
    expect(new Set(listed.map((file) => JSON.stringify(file)))).toEqual(
      new Set(expected.map((file) => JSON.stringify(file)))
    )
  })

  it("writes each file brotli-compressed, byte for byte the package's .wasm", () => {
    for (const file of [RUNTIME_WASM, ...Object.values(GRAMMAR_WASM)]) {
      const shipped = brotliDecompressSync(readFileSync(join(out, 'grammars', `${file.fileName}.br`)))
      const original = readFileSync(require.resolve(`${file.packageName}/${file.packagePath}`))
      expect(shipped.equals(original)).toBe(true)
    }
  })

  it('is what the loader reads from a grammar folder, before node_modules', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'codex-pr-review-broken-grammars-'))
    try {
      mkdirSync(join(broken, 'grammars'))
      writeFileSync(join(broken, 'grammars', 'tree-sitter-go.wasm.br'), 'not brotli')
      await expect(createParser('go', { grammarDir: join(broken, 'grammars') })).rejects.toThrow()
    } finally {
      rmSync(broken, { recursive: true, force: true })
    }
    // A failed load is not remembered: the shipped file loads.
    const index = await loadCodeIndex({ languages: ['go'], grammarDir: join(out, 'grammars') })
    expect(
      index.findDefinition({ path: 'a.go', text: 'package a\n\nfunc PurgeTree(dir string) {\n}\n' }, 'PurgeTree')
    ).toEqual({ start: 3, end: 4 })
  })
})

describe('grammar loading', () => {
  it('loads each grammar once per process', async () => {
    const first = await createParser('python')
    const second = await createParser('python')
    expect(second.language).toBe(first.language)
    first.delete()
    second.delete()
  })

  it('falls through an empty grammar folder to the packages in node_modules', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'codex-pr-review-no-grammars-'))
    try {
      // java is not loaded in this file yet; an empty folder falls through to node_modules, which has it.
      await expect(createParser('java', { grammarDir: empty })).resolves.toBeDefined()
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
  })
})
