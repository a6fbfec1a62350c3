/** Python. */
import type { Declaration } from './outline.js'
import { childInField, walkSyntaxTree, type SyntaxNode } from './syntax-tree.js'
import {
  boundNames,
  declare,
  isBindingPosition,
  nodeTypes,
  rangeOf,
  type BindingRules,
  type LanguageSpec,
  type NameRole
} from './tree-outline.js'

const BINDING_RULES: BindingRules = {
  patternTypes: nodeTypes(
    'pattern_list',
    'tuple_pattern',
    'list_pattern',
    'list_splat_pattern',
    'dictionary_splat_pattern',
    'as_pattern_target',
    'typed_parameter',
    'default_parameter',
    'typed_default_parameter',
    'parenthesized_expression'
  ),
  expressionFields: nodeTypes('value', 'type'),
  slots: nodeTypes(
    'assignment:left',
    'for_statement:left',
    'for_in_clause:left',
    'parameters:*',
    'lambda_parameters:*',
    'function_definition:name',
    'class_definition:name',
    'named_expression:name',
    'as_pattern:alias',
    'global_statement:*',
    'nonlocal_statement:*'
  )
}

const IMPORT_TYPES = nodeTypes('import_statement', 'import_from_statement', 'future_import_statement')

function classify(name: SyntaxNode): NameRole {
  const parent = name.parent
  if (parent === undefined) return 'ignore'
  if (parent.type === 'attribute' && name.field === 'attribute') return 'member-use'
  if (parent.type === 'keyword_argument' && name.field === 'name') return 'ignore'
  const statement = importStatementOf(name)
  if (statement !== undefined) return importRole(name, statement)
  return isBindingPosition(name, BINDING_RULES) ? 'binding' : 'use'
}

function importStatementOf(name: SyntaxNode): SyntaxNode | undefined {
  for (let node = name.parent; node !== undefined; node = node.parent) {
    if (IMPORT_TYPES.has(node.type)) return node
    if (!['dotted_name', 'aliased_import', 'relative_import'].includes(node.type)) return undefined
  }
  return undefined
}

// `import a.b` binds `a`; `import a.b as c` and `from m import x as c` bind `c`; `from m import x` binds `x`;
// the module path of a `from` import binds nothing.
function importRole(name: SyntaxNode, statement: SyntaxNode): NameRole {
  const parent = name.parent as SyntaxNode
  if (parent.type === 'aliased_import') return name.field === 'alias' ? 'binding' : 'ignore'
  if (parent.type !== 'dotted_name' || parent.field !== 'name' || parent.parent !== statement) return 'ignore'
  if (statement.type === 'import_statement') return parent.children[0] === name ? 'binding' : 'ignore'
  return parent.children[parent.children.length - 1] === name ? 'binding' : 'ignore'
}

function isCall(name: SyntaxNode): boolean {
  const parent = name.parent
  if (parent?.type === 'call') return name.field === 'function'
  if (parent?.type === 'attribute' && name.field === 'attribute') {
    return parent.parent?.type === 'call' && parent.field === 'function'
  }
  return false
}

function declarations(statement: SyntaxNode): Declaration[] {
  const range = rangeOf(statement)
  const node = statement.type === 'decorated_definition' ? childInField(statement, 'definition') : statement
  if (node === undefined) return []
  const name = childInField(node, 'name')?.text
  if (node.type === 'function_definition')
    return name === undefined ? [] : declare([name], { kind: 'function', range, member: false })
  if (node.type === 'class_definition') {
    const own = name === undefined ? [] : declare([name], { kind: 'class', range, member: false })
    return [...own, ...classMembers(childInField(node, 'body'))]
  }
  if (node.type === 'expression_statement')
    return assignedNames(node).map((bound) => ({ name: bound, kind: 'variable', range, member: false }))
  if (IMPORT_TYPES.has(node.type)) return importDeclarations(node, range)
  return []
}

function assignedNames(statement: SyntaxNode): string[] {
  const assignment = statement.children[0]
  if (assignment?.type !== 'assignment') return []
  const left = childInField(assignment, 'left')
  return left === undefined ? [] : boundNames(left, PYTHON_SPEC)
}

function classMembers(body: SyntaxNode | undefined): Declaration[] {
  if (body === undefined) return []
  const members = body.children.flatMap((member): Declaration[] => {
    const range = rangeOf(member)
    const node = member.type === 'decorated_definition' ? childInField(member, 'definition') : member
    const name = node === undefined ? undefined : childInField(node, 'name')?.text
    if (node?.type === 'function_definition' && name !== undefined) {
      return [{ name, kind: 'method', range, member: true }, ...selfAttributes(node)]
    }
    if (node?.type === 'class_definition' && name !== undefined) return [{ name, kind: 'class', range, member: true }]
    if (node?.type === 'expression_statement')
      return declare(assignedNames(node), { kind: 'field', range, member: true })
    return []
  })
  // An attribute assigned in several methods is declared where it is first assigned.
  return members.filter(
    (member, index) =>
      member.kind !== 'field' ||
      members.findIndex((other) => other.kind === 'field' && other.name === member.name) === index
  )
}

// `self.api_secret = ...` in a method declares the attribute `api_secret`.
function selfAttributes(method: SyntaxNode): Declaration[] {
  const found: Declaration[] = []
  for (const node of walkSyntaxTree(method)) {
    if (node.type !== 'assignment') continue
    const left = childInField(node, 'left')
    if (left?.type !== 'attribute' || childInField(left, 'object')?.text !== 'self') continue
    const attribute = childInField(left, 'attribute')?.text
    const statement = node.parent?.type === 'expression_statement' ? node.parent : node
    if (attribute !== undefined) found.push({ name: attribute, kind: 'field', range: rangeOf(statement), member: true })
  }
  return found
}

function importDeclarations(node: SyntaxNode, range: Declaration['range']): Declaration[] {
  const found: Declaration[] = []
  for (const part of node.children) {
    if (part.field !== 'name') continue
    if (part.type === 'aliased_import') {
      const alias = childInField(part, 'alias')?.text
      const dotted = childInField(part, 'name')
      const imported = dotted?.children[dotted.children.length - 1]?.text
      if (alias === undefined) continue
      const module = node.type === 'import_statement'
      found.push({
        name: alias,
        kind: 'import',
        range,
        member: false,
        ...(module ? { module } : {}),
        ...(!module && imported !== undefined ? { importedName: imported } : {})
      })
    } else if (part.type === 'dotted_name') {
      const names = part.children.map((child) => child.text)
      const bound = node.type === 'import_statement' ? names[0] : names[names.length - 1]
      if (bound !== undefined)
        found.push({
          name: bound,
          kind: 'import',
          range,
          member: false,
          ...(node.type === 'import_statement' ? { module: true } : {})
        })
    }
  }
  return found
}

/** The Python rules. */
export const PYTHON_SPEC: LanguageSpec = {
  nameTypes: nodeTypes('identifier'),
  functionTypes: nodeTypes('function_definition'),
  classTypes: nodeTypes('class_definition'),
  scopeWrappers: nodeTypes('decorated_definition'),
  classify,
  isCall,
  declarations,
  ignoredNames: nodeTypes('__name__', '__main__', '__init__', '__file__', 'TYPE_CHECKING')
}
