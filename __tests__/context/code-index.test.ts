import { readFileSync } from 'node:fs'
import { loadCodeIndex, type CodeIndex, type SourceFile } from '../../src/context/code-index.js'

/** A hand-written fixture under __fixtures__/context, at the path it pretends to have (its name without `.fixture`). */
function fixture(name: string): SourceFile {
  return {
    path: `src/${name}`,
    text: readFileSync(new URL(`../../__fixtures__/context/${name}.fixture`, import.meta.url), 'utf8')
  }
}

const range = (text: string): { start: number; end: number } => {
  const [start, end] = text.split('-').map(Number)
  return { start: start as number, end: (end ?? start) as number }
}

let index: CodeIndex
beforeAll(async () => {
  index = await loadCodeIndex()
})

interface ScopeCase {
  readonly file: string
  readonly lines: readonly number[]
  /** Enclosing scopes as `start-end`. */
  readonly scopes: readonly string[]
  /** Used declarations as `name:kind@start-end`. */
  readonly used: readonly string[]
  readonly referenced: readonly string[]
  readonly why: string
}

const CASES: readonly ScopeCase[] = [
  // JavaScript
  {
    file: 'config-logger.js',
    lines: [22],
    scopes: ['20-25'],
    used: ['apiSecret:variable@5-5'],
    referenced: ['logger'],
    why: 'a secret declared far above a logging call'
  },
  {
    file: 'config-logger.js',
    lines: [33],
    scopes: ['32-38'],
    used: ['purgeTree:import@2-2'],
    referenced: ['purgeTree'],
    why: 'an imported function defined in another file'
  },
  {
    file: 'config-logger.js',
    lines: [34],
    scopes: ['32-38'],
    used: ['cloneTree:import@2-2', 'region:variable@6-6'],
    referenced: ['copyTree'],
    why: 'an aliased import is looked up by its exported name'
  },
  {
    file: 'config-logger.js',
    lines: [36],
    scopes: ['35-37'],
    used: ['retries:variable@6-6'],
    referenced: ['audit'],
    why: 'the innermost multi-line callback; a destructured constant'
  },
  {
    file: 'config-logger.js',
    lines: [24],
    scopes: ['20-25'],
    used: ['readFileSync:import@1-1', 'parse:method@27-29'],
    referenced: ['readFileSync'],
    why: 'a method called on this and an imported function; file is local'
  },
  {
    file: 'config-logger.js',
    lines: [14],
    scopes: ['13-30'],
    used: [],
    referenced: [],
    why: 'a class field belongs to the class'
  },
  {
    file: 'config-logger.js',
    lines: [6],
    scopes: ['6-6'],
    used: ['loadDefaults:function@9-11'],
    referenced: [],
    why: 'a top-level statement; names bound on the line are not references'
  },
  {
    file: 'config-logger.js',
    lines: [45],
    scopes: ['44-46'],
    used: [],
    referenced: [],
    why: 'a top-level block; console is built in'
  },
  {
    file: 'config-logger.js',
    lines: [41],
    scopes: ['40-42'],
    used: ['ConfigLoader:class@13-30'],
    referenced: [],
    why: 'a CommonJS export function'
  },
  // TypeScript
  {
    file: 'store.ts',
    lines: [23],
    scopes: ['20-26'],
    used: ['secret:field@14-14'],
    referenced: ['encrypt'],
    why: 'a private field read through this'
  },
  {
    file: 'store.ts',
    lines: [21, 22],
    scopes: ['20-26'],
    used: ['MAX_BATCH:variable@11-11', 'validate:method@18-18'],
    referenced: [],
    why: 'a constant and an abstract method'
  },
  {
    file: 'store.ts',
    lines: [16],
    scopes: ['13-27'],
    used: ['Db:import@2-2', 'Mode:type@9-9'],
    referenced: ['Db'],
    why: 'types in a constructor signature'
  },
  {
    file: 'store.ts',
    lines: [30],
    scopes: ['29-31'],
    used: [],
    referenced: ['MemoryStore'],
    why: 'a class instantiated from another file'
  },
  {
    file: 'store.ts',
    lines: [5],
    scopes: ['4-7'],
    used: [],
    referenced: [],
    why: 'an interface member belongs to the interface'
  },
  // TSX
  {
    file: 'view.tsx',
    lines: [11],
    scopes: ['6-14'],
    used: ['formatPrice:import@2-2', 'TAX:variable@4-4'],
    referenced: ['Price', 'formatPrice'],
    why: 'a component and a helper used in JSX'
  },
  {
    file: 'view.tsx',
    lines: [8],
    scopes: ['6-14'],
    used: [],
    referenced: [],
    why: 'a one-line callback is not a scope of its own'
  },
  // Python
  {
    file: 'service.py',
    lines: [29],
    scopes: ['26-32'],
    used: ['token:field@24-24'],
    referenced: [],
    why: 'an attribute assigned in __init__'
  },
  {
    file: 'service.py',
    lines: [24],
    scopes: ['22-24'],
    used: ['API_SECRET:variable@5-5'],
    referenced: [],
    why: 'a module constant read in a method'
  },
  {
    file: 'service.py',
    lines: [31],
    scopes: ['26-32'],
    used: ['purge_tree:import@3-3'],
    referenced: ['purge_tree'],
    why: 'a function imported from another module'
  },
  {
    file: 'service.py',
    lines: [35],
    scopes: ['34-35'],
    used: ['clone_tree:import@3-3', 'limit:field@20-20'],
    referenced: ['copy_tree'],
    why: 'an aliased import and a class attribute'
  },
  {
    file: 'service.py',
    lines: [30],
    scopes: ['26-32'],
    used: ['sh:import@2-2'],
    referenced: ['copy'],
    why: 'a module is no definition to look up, a function called on it may be'
  },
  {
    file: 'service.py',
    lines: [15],
    scopes: ['14-16'],
    used: [],
    referenced: [],
    why: 'a decorated function includes its decorator'
  },
  {
    file: 'service.py',
    lines: [39],
    scopes: ['38-39'],
    used: ['Uploader:class@19-35', 'upload:method@26-32'],
    referenced: [],
    why: 'a top-level if block'
  },
  // Go
  {
    file: 'server.go',
    lines: [29],
    scopes: ['26-35'],
    used: ['fmt:import@3-8', 'apiSecret:variable@10-10'],
    referenced: [],
    why: 'a package constant; fmt is a package'
  },
  {
    file: 'server.go',
    lines: [31],
    scopes: ['26-35'],
    used: [],
    referenced: ['PurgeTree'],
    why: 'a function of the same package in another file'
  },
  {
    file: 'server.go',
    lines: [34],
    scopes: ['26-35'],
    used: ['retries:variable@13-13', 'store:field@19-19'],
    referenced: ['Save'],
    why: 'a grouped var and a struct field'
  },
  {
    file: 'server.go',
    lines: [39],
    scopes: ['37-40'],
    used: ['osx:import@3-8'],
    referenced: ['Getenv'],
    why: 'a method called on an aliased package'
  },
  { file: 'server.go', lines: [13], scopes: ['12-15'], used: [], referenced: [], why: 'a top-level var block' },
  // Java
  {
    file: 'Uploader.java',
    lines: [18],
    scopes: ['14-25'],
    used: ['API_SECRET:field@7-7'],
    referenced: [],
    why: 'a static field read in a method'
  },
  {
    file: 'Uploader.java',
    lines: [20, 21],
    scopes: ['14-25'],
    used: ['FileTools:import@4-4'],
    referenced: ['FileTools', 'purgeTree', 'purgeCache'],
    why: 'a static call on an imported class, and an inherited method'
  },
  {
    file: 'Uploader.java',
    lines: [17],
    scopes: ['14-25'],
    used: ['parts:method@27-29'],
    referenced: [],
    why: 'a method of the same class called without this'
  },
  { file: 'Uploader.java', lines: [23], scopes: ['22-24'], used: [], referenced: ['notifyDone'], why: 'a lambda body' },
  {
    file: 'Uploader.java',
    lines: [31],
    scopes: ['6-32'],
    used: [],
    referenced: [],
    why: 'a one-line nested enum belongs to its class'
  },
  // Fallback: Ruby (indentation and `end`)
  {
    file: 'deploy.rb',
    lines: [14],
    scopes: ['11-18'],
    used: ['API_SECRET:variable@3-3'],
    referenced: ['logger'],
    why: 'a method found by indentation; a constant far above'
  },
  {
    file: 'deploy.rb',
    lines: [15],
    scopes: ['11-18'],
    used: [],
    referenced: ['purge_tree'],
    why: 'a call to a function defined elsewhere'
  },
  {
    file: 'deploy.rb',
    lines: [17],
    scopes: ['11-18'],
    used: ['finish:method@20-22'],
    referenced: [],
    why: 'a method of the same class'
  },
  // Fallback: shell (braces)
  {
    file: 'build.sh',
    lines: [14],
    scopes: ['11-17'],
    used: ['API_SECRET:variable@4-4'],
    referenced: ['curl'],
    why: 'a shell function by its braces'
  },
  { file: 'build.sh', lines: [7], scopes: ['6-9'], used: [], referenced: ['rm'], why: 'flags are not names' },
  {
    file: 'build.sh',
    lines: [19],
    scopes: ['19-19'],
    used: ['deploy:function@11-17'],
    referenced: [],
    why: 'a top-level command calling a function above'
  },
  // Fallback: C (braces, the brace on its own line)
  {
    file: 'engine.c',
    lines: [12],
    scopes: ['9-16'],
    used: ['api_secret:variable@3-3'],
    referenced: ['log_line'],
    why: 'a typed global far above'
  },
  {
    file: 'engine.c',
    lines: [13],
    scopes: ['9-16'],
    used: [],
    referenced: ['purge_tree'],
    why: 'a call to a function defined elsewhere'
  }
]

describe('code index', () => {
  it.each(CASES)('$file line $lines: $why', ({ file, lines, scopes, used, referenced }) => {
    const source = fixture(file)
    expect(index.enclosingScopes(source, lines)).toEqual(scopes.map(range))
    expect(
      index
        .usedDeclarations(source, lines)
        .map(
          (declaration) => `${declaration.name}:${declaration.kind}@${declaration.range.start}-${declaration.range.end}`
        )
    ).toEqual(used)
    expect(index.referencedIdentifiers(source, lines)).toEqual(referenced)
  })

  it.each([
    ['config-logger.js', 'tree-sitter'],
    ['store.ts', 'tree-sitter'],
    ['view.tsx', 'tree-sitter'],
    ['service.py', 'tree-sitter'],
    ['server.go', 'tree-sitter'],
    ['Uploader.java', 'tree-sitter'],
    ['deploy.rb', 'fallback'],
    ['build.sh', 'fallback'],
    ['engine.c', 'fallback']
  ])('reads %s with %s', (file, reader) => {
    expect(index.readerOf(fixture(file))).toBe(reader)
  })

  it('gives several lines their scopes once each, without scopes inside others', () => {
    const source = fixture('config-logger.js')
    expect(index.enclosingScopes(source, [22, 23, 28, 33, 36])).toEqual([
      range('20-25'),
      range('27-29'),
      range('32-38')
    ])
    expect(index.enclosingScopes(source, [14, 22])).toEqual([range('13-30')])
    expect(index.enclosingScopes(source, [8])).toEqual([])
  })
})

describe('findDefinition', () => {
  it.each([
    ['config-logger.js', 'loadDefaults', '9-11'],
    ['config-logger.js', 'cleanUp', '32-38'],
    ['config-logger.js', 'ConfigLoader', '13-30'],
    ['config-logger.js', 'parse', '27-29'],
    ['config-logger.js', 'helper', '40-42'],
    ['config-logger.js', 'purgeTree', undefined],
    ['store.ts', 'Record', '4-7'],
    ['store.ts', 'Mode', '9-9'],
    ['store.ts', 'createStore', '29-31'],
    ['store.ts', 'validate', '18-18'],
    ['service.py', 'load_config', '9-11'],
    ['service.py', 'parse', '14-16'],
    ['service.py', 'upload', '26-32'],
    ['service.py', 'RETRIES', '6-6'],
    ['service.py', 'purge_tree', undefined],
    ['server.go', 'Server', '17-20'],
    ['server.go', 'Handler', '22-24'],
    ['server.go', 'Upload', '26-35'],
    ['server.go', 'parts', '37-40'],
    ['server.go', 'timeout', '14-14'],
    ['Uploader.java', 'Uploader', '6-32'],
    ['Uploader.java', 'parts', '27-29'],
    ['Uploader.java', 'Mode', '31-31'],
    ['Uploader.java', 'FileTools', undefined],
    ['deploy.rb', 'Uploader', '6-23'],
    ['deploy.rb', 'finish', '20-22'],
    ['build.sh', 'cleanup', '6-9'],
    ['engine.c', 'start_engine', '9-16'],
    ['engine.c', 'engine', '5-7']
  ])('%s defines %s at %s', (file, name, expected) => {
    expect(index.findDefinition(fixture(file), name)).toEqual(expected === undefined ? undefined : range(expected))
  })
})

describe('the motivating cross-file case', () => {
  it('finds purgeTree called in one file and defined in another', () => {
    const caller = fixture('config-logger.js')
    const definer: SourceFile = {
      path: 'src/fs-tools.js',
      text: [
        'import { rm } from "node:fs/promises"',
        '',
        '/** Deletes a whole tree. */',
        'export async function purgeTree(dir) {',
        '  await rm(dir, { recursive: true, force: true })',
        '}',
        ''
      ].join('\n')
    }
    expect(index.referencedIdentifiers(caller, [33])).toEqual(['purgeTree'])
    expect(index.findDefinition(definer, 'purgeTree')).toEqual(range('4-6'))
  })
})

describe('robustness', () => {
  it('reads a file with syntax errors as far as it can', () => {
    const source: SourceFile = { path: 'broken.ts', text: 'const secret = 1\nlog(secret)\nfunction f( {\n' }
    expect(index.usedDeclarations(source, [2])).toEqual([{ name: 'secret', kind: 'variable', range: range('1-1') }])
    expect(index.enclosingScopes(source, [2])).toEqual([range('2-2')])
  })

  it('keeps names and lines right after non-ASCII text (emoji take two UTF-16 units)', () => {
    const text = [
      'const greeting = "héllo 👋🏽 wörld"',
      'const café = "☕"',
      '',
      'function brew() {',
      '  return naïveFilter(café, greeting) // 🚀',
      '}',
      ''
    ].join('\n')
    const source: SourceFile = { path: 'cafe.js', text }
    expect(index.usedDeclarations(source, [5])).toEqual([
      { name: 'greeting', kind: 'variable', range: range('1-1') },
      { name: 'café', kind: 'variable', range: range('2-2') }
    ])
    expect(index.referencedIdentifiers(source, [5])).toEqual(['naïveFilter'])
    expect(index.enclosingScopes(source, [5])).toEqual([range('4-6')])
  })

  it('parses a deeply nested expression without overflowing the stack', () => {
    const text = `const total = ${Array.from({ length: 20_000 }, (_, i) => `v${i}`).join(' + ')}\n`
    expect(index.enclosingScopes({ path: 'deep.js', text }, [1])).toEqual([range('1-1')])
  })

  it('reads an empty file and lines past the end without failing', () => {
    expect(index.enclosingScopes({ path: 'empty.py', text: '' }, [1, 5])).toEqual([])
    expect(index.referencedIdentifiers({ path: 'empty.rb', text: '' }, [1])).toEqual([])
  })

  it('answers again from the same text after other files (a cache never serves stale text)', () => {
    const before: SourceFile = { path: 'a.js', text: 'const k = 1\nlog(k)\n' }
    const after: SourceFile = { path: 'a.js', text: '\nconst k = 1\nlog(k)\n' }
    expect(index.usedDeclarations(before, [2])).toEqual([{ name: 'k', kind: 'variable', range: range('1-1') }])
    expect(index.usedDeclarations(after, [3])).toEqual([{ name: 'k', kind: 'variable', range: range('2-2') }])
  })

  it('reads a file whose parse runs out of time with the fallback, and says so', async () => {
    const messages: string[] = []
    const impatient = await loadCodeIndex({
      languages: ['javascript'],
      parseTimeoutMs: 0,
      log: (message) => messages.push(message)
    })
    const text = Array.from({ length: 3000 }, (_, i) => `function f${i}(a) {\n  return a + ${i}\n}`).join('\n')
    expect(impatient.readerOf({ path: 'big.js', text })).toBe('fallback')
    expect(impatient.enclosingScopes({ path: 'big.js', text }, [5])).toEqual([range('4-6')])
    expect(messages).toEqual(['parsing big.js took over 0 ms; reading it without a grammar'])
    // The parser is shared: the next parse starts afresh instead of resuming the cancelled one.
    const next: SourceFile = { path: 'next.js', text: 'const token = 1\nsend(token)\n' }
    expect(index.readerOf(next)).toBe('tree-sitter')
    expect(index.usedDeclarations(next, [2])).toEqual([{ name: 'token', kind: 'variable', range: range('1-1') }])
  })

  it('reads languages whose grammar was not loaded with the fallback', async () => {
    const pythonOnly = await loadCodeIndex({ languages: ['python'] })
    expect(pythonOnly.readerOf({ path: 'a.py', text: 'x = 1\n' })).toBe('tree-sitter')
    expect(pythonOnly.readerOf({ path: 'a.go', text: 'package a\n' })).toBe('fallback')
    expect(pythonOnly.readerOf({ path: 'a.py', text: 'x = 1\n'.repeat(10) })).toBe('tree-sitter')
    const tiny = await loadCodeIndex({ languages: ['python'], maxParsedChars: 5 })
    expect(tiny.readerOf({ path: 'a.py', text: 'x = 1\n'.repeat(10) })).toBe('fallback')
  })
})
