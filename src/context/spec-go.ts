/** Go. */
import type { Declaration } from './outline.js'
import { childInField, childrenInField, walkSyntaxTree, type SyntaxNode } from './syntax-tree.js'
import {
  declare,
  isBindingPosition,
  nodeTypes,
  rangeOf,
  type BindingRules,
  type LanguageSpec,
  type NameRole
} from './tree-outline.js'

const BINDING_RULES: BindingRules = {
  patternTypes: nodeTypes('expression_list'),
  expressionFields: nodeTypes(),
  slots: nodeTypes(
    'const_spec:name',
    'var_spec:name',
    'parameter_declaration:name',
    'variadic_parameter_declaration:name',
    'function_declaration:name',
    'method_declaration:name',
    'type_spec:name',
    'type_alias:name',
    'type_parameter_declaration:name',
    'field_declaration:name',
    'method_elem:name',
    'method_spec:name',
    'import_spec:name',
    'short_var_declaration:left',
    'range_clause:left',
    'receive_statement:left'
  )
}

function classify(name: SyntaxNode): NameRole {
  const parent = name.parent
  if (parent === undefined || parent.type === 'package_clause') return 'ignore'
  if (name.type === 'field_identifier') {
    if (parent.type === 'selector_expression' && name.field === 'field') return 'member-use'
    return isBindingPosition(name, BINDING_RULES) ? 'binding' : 'ignore'
  }
  if (parent.type === 'labeled_statement' || parent.type === 'break_statement' || parent.type === 'continue_statement')
    return 'ignore'
  return isBindingPosition(name, BINDING_RULES) ? 'binding' : 'use'
}

function isCall(name: SyntaxNode): boolean {
  const parent = name.parent
  if (parent?.type === 'call_expression') return name.field === 'function'
  if (parent?.type === 'selector_expression' && name.field === 'field') {
    return parent.parent?.type === 'call_expression' && parent.field === 'function'
  }
  return false
}

function declarations(statement: SyntaxNode): Declaration[] {
  const range = rangeOf(statement)
  const name = childInField(statement, 'name')?.text
  switch (statement.type) {
    case 'function_declaration':
      return name === undefined ? [] : declare([name], { kind: 'function', range, member: false })
    case 'method_declaration':
      return name === undefined ? [] : declare([name], { kind: 'method', range, member: true })
    case 'type_declaration':
      return typeDeclarations(statement)
    case 'const_declaration':
    case 'var_declaration':
      return valueDeclarations(statement)
    case 'import_declaration':
      return [...walkSyntaxTree(statement)]
        .filter((node) => node.type === 'import_spec')
        .flatMap((spec) => {
          const bound = childInField(spec, 'name')?.text ?? packageNameOf(spec)
          return bound === undefined || bound === '_' || bound === '.'
            ? []
            : declare([bound], { kind: 'import', range, member: false, module: true })
        })
  }
  return []
}

// One spec per declaration: a grouped `const ( ... )` gives each name its own line, not the whole group.
function valueDeclarations(statement: SyntaxNode): Declaration[] {
  const specs = [...walkSyntaxTree(statement)].filter((node) => node.type === 'const_spec' || node.type === 'var_spec')
  const grouped = specs.length > 1 || statement.children.some((child) => child.type === 'var_spec_list')
  return specs.flatMap((spec) =>
    declare(
      childrenInField(spec, 'name').flatMap((name) =>
        name.text === undefined || name.text === '_' ? [] : [name.text]
      ),
      { kind: 'variable', range: rangeOf(grouped ? spec : statement), member: false }
    )
  )
}

function typeDeclarations(statement: SyntaxNode): Declaration[] {
  const specs = statement.children.filter((child) => child.type === 'type_spec' || child.type === 'type_alias')
  return specs.flatMap((spec) => {
    const name = childInField(spec, 'name')?.text
    if (name === undefined) return []
    const range = rangeOf(specs.length > 1 ? spec : statement)
    const members = [...walkSyntaxTree(spec)].flatMap((node): Declaration[] => {
      if (node.type === 'field_declaration') {
        return declare(
          childrenInField(node, 'name').flatMap((field) => (field.text === undefined ? [] : [field.text])),
          { kind: 'field', range: rangeOf(node), member: true }
        )
      }
      if (node.type === 'method_elem' || node.type === 'method_spec') {
        const method = childInField(node, 'name')?.text
        return method === undefined ? [] : declare([method], { kind: 'method', range: rangeOf(node), member: true })
      }
      return []
    })
    return [{ name, kind: 'type' as const, range, member: false }, ...members]
  })
}

// `import "github.com/x/y/v2"` binds `y`: the last path element that is not a major-version suffix.
function packageNameOf(spec: SyntaxNode): string | undefined {
  const path = [...walkSyntaxTree(spec)].find((node) => node.type === 'interpreted_string_literal_content')?.text
  if (path === undefined) return undefined
  const parts = path.split('/').filter((part) => part !== '')
  const last = parts[parts.length - 1]
  const name = last !== undefined && /^v\d+$/.test(last) && parts.length > 1 ? parts[parts.length - 2] : last
  return name?.replace(/^go-/, '').replace(/[.-].*$/, '')
}

/** The Go rules. */
export const GO_SPEC: LanguageSpec = {
  nameTypes: nodeTypes('identifier', 'type_identifier', 'field_identifier', 'package_identifier'),
  functionTypes: nodeTypes('function_declaration', 'method_declaration', 'func_literal'),
  classTypes: nodeTypes('type_declaration'),
  scopeWrappers: nodeTypes('expression_list', 'short_var_declaration', 'var_spec', 'assignment_statement'),
  classify,
  isCall,
  declarations,
  ignoredNames: nodeTypes('_', 'iota', 'true', 'false', 'main', 'init')
}
