import { buildFallbackOutline, stripCommentsAndStrings } from '../../src/context/fallback-outline.js'
import { findEnclosingScopes } from '../../src/context/outline.js'

describe('stripCommentsAndStrings', () => {
  it.each<[string, 'hash' | 'dash' | 'slash', string[], string[]]>([
    [
      'C comments and strings',
      'slash',
      ['int x = f("a { b"); // }', '/* {', '} */ y = 1;'],
      ['int x = f(""); ', '', ' y = 1;']
    ],
    [
      'shell comments keep interpolated names',
      'hash',
      ['echo "$HOME ${dir}" # $secret', "echo '$literal'"],
      ['echo " HOME dir " ', 'echo ""']
    ],
    ['Ruby interpolation is not a comment', 'hash', ['puts "#{name}" # note'], ['puts " name " ']],
    ['Lua and SQL comments', 'dash', ['x = 1 -- note'], ['x = 1 ']],
    ['an escaped quote stays inside the string', 'slash', ['s = "a \\" } b"; t()'], ['s = ""; t()']]
  ])('%s', (_, style, lines, expected) => {
    expect(stripCommentsAndStrings(lines, style)).toEqual(expected)
  })
})

describe('buildFallbackOutline scopes', () => {
  it.each<[string, string, string, number, { start: number; end: number }[]]>([
    [
      'Rust: a function by its braces',
      'lib.rs',
      'use std::fs;\n\npub fn purge(dir: &str) -> Result<()> {\n    let x = 1;\n    fs::remove_dir_all(dir)\n}\n',
      5,
      [{ start: 3, end: 6 }]
    ],
    [
      'Lua: a function by indentation and end',
      'init.lua',
      'local M = {}\n\nfunction M.purge(dir)\n  if dir then\n    os.remove(dir)\n  end\nend\n\nreturn M\n',
      5,
      [{ start: 3, end: 7 }]
    ],
    [
      'YAML: a top-level key and its block',
      'ci.yml',
      'name: ci\njobs:\n  build:\n    steps:\n      - run: make\n',
      5,
      [{ start: 2, end: 5 }]
    ],
    [
      'unbalanced braces fall back to indentation',
      'odd.txt',
      'def a\n  x = "{"\n  y = /{/\nend\n',
      3,
      [{ start: 1, end: 4 }]
    ],
    [
      'a brace on its own line belongs to the header above it',
      'x.cs',
      'class A\n{\n    void Run()\n    {\n        Go();\n    }\n}\n',
      5,
      [{ start: 3, end: 6 }]
    ]
  ])('%s', (_, path, text, line, expected) => {
    expect(findEnclosingScopes(buildFallbackOutline(path, text), [line])).toEqual(expected)
  })
})
