/**
 * The outline of a file no grammar reads (Ruby, shell, C, Rust, YAML...), language-agnostic: blocks from
 * matched braces and from indentation, definitions from common keyword shapes, names from word tokens.
 * Rougher than a parse, but it gives the model the function around a change in any language.
 */
import { FALLBACK_KEYWORDS } from './common-names.js'
import type { LineRange } from './line-range.js'
import type { Declaration, DeclarationKind, NameBinding, NameUse, Outline, Scope } from './outline.js'

/** Tab width when comparing indentation: only consistency within one file matters. */
const TAB_WIDTH = 4

// Lines that close the block above them at the block's own indentation (`}`, `end`, `fi`...).
const CLOSER = /^\s*(?:[}\])]|end\b|fi\b|done\b|esac\b|endif\b|endfor\b|endwhile\b|endfunction\b|until\b)/

// Extensions whose comments start with `#` rather than `//`.
const HASH_COMMENT_EXTENSIONS = new Set([
  'rb',
  'sh',
  'bash',
  'zsh',
  'fish',
  'pl',
  'pm',
  'r',
  'yaml',
  'yml',
  'toml',
  'mk',
  'cmake',
  'ps1',
  'nim',
  'cr',
  'ex',
  'exs',
  'jl',
  'tcl',
  'coffee',
  'rake',
  'gemspec',
  'conf',
  'ini',
  'cfg',
  'dockerfile',
  'makefile'
])
const DASH_COMMENT_EXTENSIONS = new Set(['lua', 'sql', 'hs', 'elm', 'ada', 'adb', 'ads'])

const CLASS_KEYWORDS = 'class|module|struct|interface|trait|enum|impl|object|record|namespace|defmodule|protocol|union'
const FUNCTION_KEYWORDS = 'def|defp|function|func|fn|sub|proc|procedure|method|macro|fun'
const KEYWORD_DEFINITION = new RegExp(
  '^\\s*(?:(?:export|public|private|protected|internal|static|pub(?:\\([^)]*\\))?|async|unsafe|extern|abstract|' +
    'final|open|override|inline|local|default|sealed|data|case)\\s+)*' +
    `(${CLASS_KEYWORDS}|${FUNCTION_KEYWORDS})\\s+(?:self\\.)?([A-Za-z_][\\w]*[?!]?)`
)
// `name() {` (shell), `int main(int argc) {`, `fn(x) -> int {`: a name and parameters opening a brace block.
// The brace must follow on the same line or open the next one, else `purge_tree(dir)` in Ruby would define it.
const C_LIKE_DEFINITION =
  /^\s*(?:[\w:<>,*&[\]]+\s+)*?([A-Za-z_][\w:]*)\s*\([^;{}]*\)\s*(?:const\s*)?(?:->\s*[^{;]+)?\s*(\{?)\s*$/
// `static const char *api_secret = ...;`, `int count;`: a typed declaration on an unindented line.
const TYPED_DECLARATION = /^(?:[A-Za-z_][\w:<>,]*[\s*&]+)+\**([A-Za-z_]\w*)\s*(?:\[[^\]]*\]\s*)?(?:=(?!=)|;)/
const CONTROL_START =
  /^\s*(?:if|else|elif|elsif|for|foreach|while|until|switch|case|when|catch|rescue|do|return|try|with|unless|select|match|loop)\b/
const ASSIGNMENT =
  /^\s*(?:(?:local|my|our|let|var|val|const|readonly|declare|export|set)\s+)?[$@]?([A-Za-z_]\w*)\s*(?::=|\?=|\+=|=(?![=~>]))/
const WORD = /[A-Za-z_$][\w$]*[?!]?/g

/** The outline of `text`, a file at `path` in a language without a grammar here. */
export function buildFallbackOutline(path: string, text: string): Outline {
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''))
  const code = stripCommentsAndStrings(lines, commentStyle(path))
  const blocks = [...braceBlocks(code), ...indentBlocks(lines)]
  const blockByHeader = new Map<number, LineRange>()
  for (const block of blocks) {
    const known = blockByHeader.get(block.start)
    if (known === undefined || block.end > known.end) blockByHeader.set(block.start, block)
  }

  const scopes: Scope[] = []
  const declarations: Declaration[] = []
  const bindings: NameBinding[] = []
  for (const [start, block] of blockByHeader) {
    const definition = definitionOn(code, start - 1)
    if (definition !== undefined)
      scopes.push({ kind: definition.kind === 'class' ? 'class' : 'function', range: block })
  }
  code.forEach((line, index) => {
    const lineNumber = index + 1
    const definition = definitionOn(code, index)
    const assigned =
      ASSIGNMENT.exec(line)?.[1] ??
      (/^\s/.test(line) || CONTROL_START.test(line) ? undefined : TYPED_DECLARATION.exec(line)?.[1])
    const name = definition?.name ?? assigned
    if (name === undefined || FALLBACK_KEYWORDS.has(name)) return
    bindings.push({ name, line: lineNumber })
    for (const parameter of parametersOn(line, definition !== undefined))
      bindings.push({ name: parameter, line: lineNumber })
    const indented = /^\s/.test(lines[index] ?? '')
    // Only definitions and unindented assignments are declarations: an indented assignment is a local.
    if (definition === undefined && indented) return
    const kind: DeclarationKind = definition?.kind ?? 'variable'
    const member = indented && (kind === 'function' || kind === 'variable')
    declarations.push({
      name,
      kind: member ? (kind === 'function' ? 'method' : 'field') : kind,
      range: blockByHeader.get(lineNumber) ?? { start: lineNumber, end: lineNumber },
      member
    })
  })

  return {
    scopes,
    topLevel: topLevelBlocks(lines, blocks),
    declarations,
    uses: namesUsed(code),
    bindings,
    ignoredNames: FALLBACK_KEYWORDS
  }
}

function commentStyle(path: string): 'hash' | 'dash' | 'slash' {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase()
  const extension = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : name
  if (HASH_COMMENT_EXTENSIONS.has(extension)) return 'hash'
  if (DASH_COMMENT_EXTENSIONS.has(extension)) return 'dash'
  return 'slash'
}

/**
 * Each line with string literals blanked to `""` and comments removed, so neither braces nor words inside
 * them count. Strings end at the line's end; block comments (`/* *\/`) may span lines.
 */
export function stripCommentsAndStrings(lines: readonly string[], style: 'hash' | 'dash' | 'slash'): string[] {
  let inBlockComment = false
  return lines.map((line) => {
    let out = ''
    let index = 0
    while (index < line.length) {
      const char = line[index] as string
      const pair = line.slice(index, index + 2)
      if (inBlockComment) {
        if (pair === '*/') {
          inBlockComment = false
          index += 2
        } else index += 1
        continue
      }
      if (style === 'slash' && pair === '/*') {
        inBlockComment = true
        index += 2
        continue
      }
      if (
        (style === 'slash' && pair === '//') ||
        (style === 'hash' && char === '#' && line[index + 1] !== '{') ||
        (style === 'dash' && pair === '--')
      )
        break
      if (char === '"' || char === "'" || char === '`') {
        let end = index + 1
        while (end < line.length && line[end] !== char) end += line[end] === '\\' ? 2 : 1
        out += `"${char === "'" ? '' : interpolatedNames(line.slice(index + 1, end))}"`
        index = end + 1
        continue
      }
      out += char
      index += 1
    }
    return out
  })
}

// Names a double-quoted or backquoted string interpolates (`"$HOME"`, `"${dir}"`, `"#{name}"`) are read.
function interpolatedNames(content: string): string {
  const names = [...content.matchAll(/\$\{?([A-Za-z_]\w*)|#\{\s*([A-Za-z_]\w*)/g)].map((match) => match[1] ?? match[2])
  return names.length === 0 ? '' : ` ${names.join(' ')} `
}

/** Multi-line `{ ... }` blocks, each from its header line (the line before a lone `{`) to its `}`. */
function braceBlocks(code: readonly string[]): LineRange[] {
  const blocks: LineRange[] = []
  const open: number[] = []
  for (let index = 0; index < code.length; index += 1) {
    for (const char of code[index] as string) {
      if (char === '{') open.push(index + 1)
      else if (char === '}') {
        const start = open.pop()
        // Unbalanced braces (a brace in a regex, a template): trust indentation instead.
        if (start === undefined) return []
        if (index + 1 > start) blocks.push({ start: headerLine(code, start), end: index + 1 })
      }
    }
  }
  return open.length === 0 ? blocks : []
}

function headerLine(code: readonly string[], braceLine: number): number {
  if ((code[braceLine - 1] ?? '').trim() !== '{') return braceLine
  for (let line = braceLine - 1; line >= 1; line -= 1) if ((code[line - 1] ?? '').trim() !== '') return line
  return braceLine
}

/** Blocks by indentation: a line followed by more deeply indented lines, plus a closer at its own depth. */
function indentBlocks(lines: readonly string[]): LineRange[] {
  const blocks: LineRange[] = []
  const open: { line: number; indent: number }[] = []
  let lastNonBlank = 0
  const close = (upTo: number, indent: number, closerLine: number | undefined): void => {
    while (open.length > 0 && (open[open.length - 1] as { indent: number }).indent >= indent) {
      const header = open.pop() as { line: number; indent: number }
      const isCloser = closerLine !== undefined && header.indent === indent
      const end = isCloser ? closerLine : upTo
      if (end > header.line) blocks.push({ start: header.line, end })
    }
  }
  lines.forEach((line, index) => {
    if (line.trim() === '') return
    const indent = indentationOf(line)
    close(lastNonBlank, indent, CLOSER.test(line) ? index + 1 : undefined)
    if (!CLOSER.test(line) || !/^\s*(?:[}\])]|end|fi|done|esac)\s*[;,)]*\s*$/.test(line))
      open.push({ line: index + 1, indent })
    lastNonBlank = index + 1
  })
  close(lastNonBlank, -1, undefined)
  // A line is a block only if something was indented under it.
  return blocks.filter((block) => block.end > block.start)
}

function indentationOf(line: string): number {
  let width = 0
  for (const char of line) {
    if (char === ' ') width += 1
    else if (char === '\t') width += TAB_WIDTH
    else break
  }
  return width
}

/** Top-level statements: each unindented line with the blocks it heads, and every other run of lines. */
function topLevelBlocks(lines: readonly string[], blocks: readonly LineRange[]): LineRange[] {
  const byStart = new Map<number, number>()
  for (const block of blocks) byStart.set(block.start, Math.max(byStart.get(block.start) ?? 0, block.end))
  const statements: LineRange[] = []
  let line = 1
  while (line <= lines.length) {
    const text = lines[line - 1] ?? ''
    if (text.trim() === '' || /^\s/.test(text)) {
      line += 1
      continue
    }
    const end = Math.max(line, byStart.get(line) ?? line)
    statements.push({ start: line, end })
    line = end + 1
  }
  return statements
}

function definitionOn(code: readonly string[], index: number): { name: string; kind: DeclarationKind } | undefined {
  const line = code[index] ?? ''
  const keyword = KEYWORD_DEFINITION.exec(line)
  if (keyword !== null) {
    const kind: DeclarationKind = new RegExp(`^(?:${CLASS_KEYWORDS})$`).test(keyword[1] as string)
      ? 'class'
      : 'function'
    return { name: keyword[2] as string, kind }
  }
  if (CONTROL_START.test(line)) return undefined
  const cLike = C_LIKE_DEFINITION.exec(line)
  if (cLike === null) return undefined
  const opensBlock =
    cLike[2] === '{' || (code.slice(index + 1).find((next) => next.trim() !== '') ?? '').trim().startsWith('{')
  const name = opensBlock ? cLike[1]?.split(':').pop() : undefined
  if (name === undefined || name === '' || FALLBACK_KEYWORDS.has(name)) return undefined
  return { name, kind: 'function' }
}

function parametersOn(line: string, isDefinition: boolean): string[] {
  if (!isDefinition) return []
  const open = line.indexOf('(')
  const close = line.lastIndexOf(')')
  const inside =
    open >= 0 && close > open
      ? line.slice(open + 1, close)
      : line.replace(/^.*?\b(?:def|sub|function|fn|proc)\s+\S+/, '')
  return [...inside.matchAll(WORD)].map((match) => match[0]).filter((word) => !FALLBACK_KEYWORDS.has(word))
}

function namesUsed(code: readonly string[]): NameUse[] {
  const uses: NameUse[] = []
  code.forEach((line, index) => {
    for (const match of line.matchAll(WORD)) {
      const name = match[0].replace(/^\$/, '')
      if (name === '' || /^\d/.test(name)) continue
      const before = line.slice(0, match.index)
      const after = line.slice((match.index ?? 0) + match[0].length)
      // `rm -rf`: a command-line flag, not a name.
      if (/(?:^|\s)--?$/.test(before)) continue
      const member = /(?:\.|::|->)\s*$/.test(before)
      uses.push({ name, line: index + 1, member, call: /^\s*\(/.test(after) })
    }
  })
  return uses
}
