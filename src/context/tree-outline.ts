/**
 * Builds a file's {@link Outline} from its plain parse tree, driven by a per-language {@link LanguageSpec}
 * (node types and the grammar's field names; see language-specs.ts).
 */
import type { LineRange } from './line-range.js'
import type { Declaration, NameBinding, NameUse, Outline, Scope } from './outline.js'
import { walkSyntaxTree, type SyntaxNode } from './syntax-tree.js'

/** What a name-like node is where it stands. */
export type NameRole = 'binding' | 'use' | 'member-use' | 'ignore'

/** The node types and rules of one grammar. */
export interface LanguageSpec {
  /** Leaf types that hold a name. */
  readonly nameTypes: ReadonlySet<string>
  readonly functionTypes: ReadonlySet<string>
  readonly classTypes: ReadonlySet<string>
  /** Parents a function or class takes its range from: `export`, decorators, `const f = () => ...`. */
  readonly scopeWrappers: ReadonlySet<string>
  /** What a name node is: a binding, a use of a name in scope, a member of something else, or neither. */
  classify(name: SyntaxNode): NameRole
  /** True when the name is called (`f()`, `x.f()`, `new F()`). */
  isCall(name: SyntaxNode): boolean
  /** The declarations one top-level statement makes, with the members of the classes it declares. */
  declarations(statement: SyntaxNode): Declaration[]
  /** Built-ins and other names of this language that no cross-file search should chase. */
  readonly ignoredNames: ReadonlySet<string>
}

/** The outline of a parsed file. */
export function buildTreeOutline(root: SyntaxNode, spec: LanguageSpec): Outline {
  const scopes: Scope[] = []
  const uses: NameUse[] = []
  const bindings: NameBinding[] = []
  for (const node of walkSyntaxTree(root)) {
    if (spec.functionTypes.has(node.type)) scopes.push({ kind: 'function', range: scopeRange(node, root, spec) })
    else if (spec.classTypes.has(node.type)) scopes.push({ kind: 'class', range: scopeRange(node, root, spec) })
    else if (spec.nameTypes.has(node.type) && node.text !== undefined) {
      const role = spec.classify(node)
      if (role === 'binding') bindings.push({ name: node.text, line: node.start })
      else if (role !== 'ignore') {
        uses.push({ name: node.text, line: node.start, member: role === 'member-use', call: spec.isCall(node) })
      }
    }
  }
  return {
    scopes,
    topLevel: root.children.map(rangeOf),
    declarations: root.children.flatMap((statement) => spec.declarations(statement)),
    uses,
    bindings,
    ignoredNames: spec.ignoredNames
  }
}

/** The lines a node spans. */
export function rangeOf(node: SyntaxNode): LineRange {
  return { start: node.start, end: node.end }
}

function scopeRange(node: SyntaxNode, root: SyntaxNode, spec: LanguageSpec): LineRange {
  let current = node
  while (current.parent !== undefined && current.parent !== root && spec.scopeWrappers.has(current.parent.type)) {
    current = current.parent
  }
  return rangeOf(current)
}

/** How a language says where names are bound: pattern nodes to climb through, and the slots that bind. */
/** A set of node type names, as the language specs list them. */
export const nodeTypes = (...types: string[]): ReadonlySet<string> => new Set(types)

export interface BindingRules {
  /** Destructuring and parameter nodes a bound name can sit in. */
  readonly patternTypes: ReadonlySet<string>
  /** Fields of a pattern that hold an expression or a type, never a bound name (`= default`, `: Type`). */
  readonly expressionFields: ReadonlySet<string>
  /** `parentType:field` (or `parentType:*` for any child) where a name or pattern is bound. */
  readonly slots: ReadonlySet<string>
}

/** True when `name` is bound where it stands under `rules`. */
export function isBindingPosition(name: SyntaxNode, rules: BindingRules): boolean {
  let current = name
  while (current.parent !== undefined && rules.patternTypes.has(current.parent.type)) {
    if (current.field !== undefined && rules.expressionFields.has(current.field)) return false
    current = current.parent
  }
  const parent = current.parent
  if (parent === undefined) return false
  return rules.slots.has(`${parent.type}:${current.field ?? ''}`) || rules.slots.has(`${parent.type}:*`)
}

/** The names a binding node binds (an identifier, or every bound name in a destructuring pattern). */
export function boundNames(node: SyntaxNode, spec: LanguageSpec): string[] {
  const names: string[] = []
  for (const child of walkSyntaxTree(node)) {
    if (spec.nameTypes.has(child.type) && child.text !== undefined && spec.classify(child) === 'binding') {
      names.push(child.text)
    }
  }
  return names
}

/** One declaration per name. */
export function declare(names: readonly string[], fields: Omit<Declaration, 'name'>): Declaration[] {
  return names.map((name) => ({ name, ...fields }))
}
