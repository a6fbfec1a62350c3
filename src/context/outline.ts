/**
 * A file's outline: the facts scope finding needs, extracted once from a parse tree (or by the fallback) into
 * plain data, and the pure queries that answer the code index's questions from it.
 */
import { COMMON_NAMES } from './common-names.js'
import { containsLine, dropContainedRanges, type LineRange } from './line-range.js'

/** What a declaration declares. */
export type DeclarationKind = 'function' | 'class' | 'type' | 'variable' | 'method' | 'field' | 'import'

/** A named declaration at the top level of a file or directly in a class (or struct, interface, enum). */
export interface Declaration {
  readonly name: string
  readonly kind: DeclarationKind
  /** The whole declaring statement, with its `export`, decorators or annotations. */
  readonly range: LineRange
  readonly member: boolean
  /** An import of a module or package (Go `import "os"`, Python `import os`), not of a definition. */
  readonly module?: boolean
  /** For an aliased import (`import { rm as remove }`), the name in the module it comes from. */
  readonly importedName?: string
}

/** A function or class (or struct, interface, enum, namespace) in the file, at any depth. */
export interface Scope {
  readonly kind: 'function' | 'class'
  readonly range: LineRange
}

/** A name read, called or referenced as a type on one line. */
export interface NameUse {
  readonly name: string
  readonly line: number
  /** A property or method of something else (`x.name`, `this.name()`), not a name in scope. */
  readonly member: boolean
  readonly call: boolean
}

/** A name bound on one line: a declaration, parameter, local variable, loop variable or import. */
export interface NameBinding {
  readonly name: string
  readonly line: number
}

/** Everything the code index answers from, for one file. */
export interface Outline {
  readonly scopes: readonly Scope[]
  /** The top-level statements (or fallback blocks), in order. */
  readonly topLevel: readonly LineRange[]
  readonly declarations: readonly Declaration[]
  readonly uses: readonly NameUse[]
  readonly bindings: readonly NameBinding[]
  /** Names that mean nothing to a cross-file search in this language (keywords, built-ins). */
  readonly ignoredNames: ReadonlySet<string>
}

/**
 * For each line, its innermost function or class scope spanning more than one line, else the top-level
 * statement holding it. Distinct, sorted, and without a range another returned range contains.
 */
export function findEnclosingScopes(outline: Outline, lines: readonly number[]): LineRange[] {
  const found: LineRange[] = []
  for (const line of new Set(lines)) {
    // A function on one line (`items.map((item) => item.id)`) tells nothing its line does not: look further out.
    const innermost = smallestContaining(
      outline.scopes.map((scope) => scope.range).filter((range) => range.end > range.start),
      line
    )
    const range = innermost ?? outline.topLevel.find((statement) => containsLine(statement, line))
    if (range !== undefined) found.push(range)
  }
  return dropContainedRanges(found)
}

/**
 * The top-level and member declarations the given lines use, except those holding one of the lines (their
 * scope shows them already). A plain name matches top-level declarations (or, when the file has none of that
 * name, members: Java calls its own methods without `this`); `x.name` matches members only. Sorted by line.
 */
export function findUsedDeclarations(
  outline: Outline,
  lines: readonly number[]
): { name: string; kind: DeclarationKind; range: LineRange }[] {
  const lineSet = new Set(lines)
  const results = new Map<string, { name: string; kind: DeclarationKind; range: LineRange }>()
  for (const use of outline.uses) {
    if (!lineSet.has(use.line)) continue
    const named = outline.declarations.filter((declaration) => declaration.name === use.name)
    const topLevel = named.filter((declaration) => !declaration.member)
    const members = named.filter((declaration) => declaration.member)
    const candidates = use.member ? members : topLevel.length > 0 ? topLevel : members
    for (const declaration of candidates) {
      if ([...lineSet].some((line) => containsLine(declaration.range, line))) continue
      const key = `${declaration.name}:${declaration.range.start}:${declaration.range.end}`
      results.set(key, { name: declaration.name, kind: declaration.kind, range: declaration.range })
    }
  }
  return [...results.values()].sort((a, b) => a.range.start - b.range.start || a.name.localeCompare(b.name))
}

/**
 * Where the names the given lines read are bound, for names that are not top-level or member declarations (those
 * are {@link findUsedDeclarations}'s): a variable, constant or parameter of an enclosing function, e.g. a module's
 * variables inside an AMD or IIFE wrapper, or a secret read 40 lines up in the same long function. For each name,
 * the nearest binding line before its first use on the lines (or after it, when there is none before), outside
 * the lines themselves. By name only, so shadowing can pick a wrong binding: it is context, not analysis.
 */
export function findUsedBindings(outline: Outline, lines: readonly number[]): { name: string; line: number }[] {
  const lineSet = new Set(lines)
  const declared = new Set(outline.declarations.map((declaration) => declaration.name))
  const firstUse = new Map<string, number>()
  for (const use of outline.uses) {
    if (!lineSet.has(use.line) || use.member || declared.has(use.name)) continue
    const known = firstUse.get(use.name)
    if (known === undefined || use.line < known) firstUse.set(use.name, use.line)
  }
  const found: { name: string; line: number }[] = []
  for (const [name, used] of firstUse) {
    let before: number | undefined
    let after: number | undefined
    for (const binding of outline.bindings) {
      if (binding.name !== name || lineSet.has(binding.line)) continue
      if (binding.line < used && (before === undefined || binding.line > before)) before = binding.line
      if (binding.line > used && (after === undefined || binding.line < after)) after = binding.line
    }
    const line = before ?? after
    if (line !== undefined) found.push({ name, line })
  }
  return found.sort((a, b) => a.line - b.line || a.name.localeCompare(b.name))
}

/** Names shorter than this are loop counters and the like: too common to look up. */
const MIN_REFERENCED_NAME_LENGTH = 2

/**
 * The names the given lines call, read or use as types that may be defined in another file, in order of first
 * use: plain names, and the names of methods called on something (`utils.purgeTree()`). Left out: names bound
 * on those lines, names this file declares (except imports, which point elsewhere: an aliased import gives the
 * name it imports), module imports, keywords, built-ins, very common names and one-letter names.
 */
export function findReferencedIdentifiers(outline: Outline, lines: readonly number[]): string[] {
  const lineSet = new Set(lines)
  const boundHere = new Set(
    outline.bindings.filter((binding) => lineSet.has(binding.line)).map((binding) => binding.name)
  )
  const imports = new Map(
    outline.declarations
      .filter((declaration) => declaration.kind === 'import')
      .map((declaration) => [declaration.name, declaration])
  )
  const importBindingLines = new Set([...imports.values()].flatMap((declaration) => rangeLines(declaration.range)))
  const declaredHere = new Set(
    outline.bindings.filter((binding) => !importBindingLines.has(binding.line)).map((binding) => binding.name)
  )
  const names: string[] = []
  for (const use of outline.uses) {
    if (!lineSet.has(use.line) || (use.member && !use.call)) continue
    const imported = use.member ? undefined : imports.get(use.name)
    if (imported?.module === true) continue
    const name = imported?.importedName ?? use.name
    if (imported === undefined && !use.member && declaredHere.has(name)) continue
    if (use.member && outline.declarations.some((declaration) => declaration.member && declaration.name === name))
      continue
    if (boundHere.has(use.name) || !isLookupWorthy(name, outline.ignoredNames)) continue
    if (!names.includes(name)) names.push(name)
  }
  return names
}

/**
 * The range of the definition of `name` in this file: a top-level one first, else a class member; the first
 * in the file when there are several. Imports are not definitions.
 */
export function findDefinitionRange(outline: Outline, name: string): LineRange | undefined {
  const named = outline.declarations.filter((declaration) => declaration.name === name && declaration.kind !== 'import')
  return (named.find((declaration) => !declaration.member) ?? named[0])?.range
}

function isLookupWorthy(name: string, ignored: ReadonlySet<string>): boolean {
  return name.length >= MIN_REFERENCED_NAME_LENGTH && !ignored.has(name) && !COMMON_NAMES.has(name)
}

function smallestContaining(ranges: readonly LineRange[], line: number): LineRange | undefined {
  let best: LineRange | undefined
  for (const range of ranges) {
    if (!containsLine(range, line)) continue
    if (best === undefined || range.end - range.start < best.end - best.start) best = range
  }
  return best
}

function rangeLines(range: LineRange): number[] {
  return Array.from({ length: range.end - range.start + 1 }, (_, index) => range.start + index)
}
