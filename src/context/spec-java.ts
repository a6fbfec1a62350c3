/** Java. */
import type { Declaration } from './outline.js'
import { childInField, type SyntaxNode } from './syntax-tree.js'
import {
  declare,
  isBindingPosition,
  nodeTypes,
  rangeOf,
  type BindingRules,
  type LanguageSpec,
  type NameRole
} from './tree-outline.js'

const CLASS_TYPES = nodeTypes(
  'class_declaration',
  'interface_declaration',
  'enum_declaration',
  'record_declaration',
  'annotation_type_declaration'
)

const BINDING_RULES: BindingRules = {
  patternTypes: nodeTypes('inferred_parameters'),
  expressionFields: nodeTypes(),
  slots: nodeTypes(
    'variable_declarator:name',
    'formal_parameter:name',
    'catch_formal_parameter:name',
    'enhanced_for_statement:name',
    'resource:name',
    'lambda_expression:parameters',
    'inferred_parameters:*',
    'method_declaration:name',
    'constructor_declaration:name',
    'compact_constructor_declaration:name',
    'annotation_type_element_declaration:name',
    'enum_constant:name',
    'type_parameter:*',
    ...[...CLASS_TYPES].map((type) => `${type}:name`)
  )
}

function classify(name: SyntaxNode): NameRole {
  const parent = name.parent
  if (parent === undefined) return 'ignore'
  const declaration = enclosingImportOrPackage(name)
  if (declaration !== undefined) {
    // `import a.b.C;` binds `C`; the package path and `package` lines bind nothing.
    if (declaration.type === 'package_declaration') return 'ignore'
    const path = declaration.children.find((child) => child.type === 'scoped_identifier' || child.type === 'identifier')
    const last = path?.type === 'identifier' ? path : path === undefined ? undefined : childInField(path, 'name')
    return last === name ? 'binding' : 'ignore'
  }
  if (parent.type === 'method_invocation' && name.field === 'name') {
    return childInField(parent, 'object') === undefined ? 'use' : 'member-use'
  }
  if (parent.type === 'field_access' && name.field === 'field') return 'member-use'
  return isBindingPosition(name, BINDING_RULES) ? 'binding' : 'use'
}

function enclosingImportOrPackage(name: SyntaxNode): SyntaxNode | undefined {
  for (let node = name.parent; node !== undefined; node = node.parent) {
    if (node.type === 'import_declaration' || node.type === 'package_declaration') return node
    if (node.type !== 'scoped_identifier') return undefined
  }
  return undefined
}

function isCall(name: SyntaxNode): boolean {
  const parent = name.parent
  if (parent?.type === 'method_invocation') return name.field === 'name'
  return parent?.type === 'object_creation_expression' && name.field === 'type'
}

function declarations(statement: SyntaxNode): Declaration[] {
  const range = rangeOf(statement)
  if (statement.type === 'import_declaration') {
    const path = statement.children.find((child) => child.type === 'scoped_identifier' || child.type === 'identifier')
    const wildcard = statement.children.some((child) => child.type === 'asterisk')
    const name =
      path?.type === 'identifier' ? path.text : path === undefined ? undefined : childInField(path, 'name')?.text
    return name === undefined || wildcard ? [] : declare([name], { kind: 'import', range, member: false })
  }
  return classDeclarations(statement, false)
}

function classDeclarations(node: SyntaxNode, member: boolean): Declaration[] {
  if (!CLASS_TYPES.has(node.type)) return []
  const name = childInField(node, 'name')?.text
  const own = name === undefined ? [] : declare([name], { kind: 'class', range: rangeOf(node), member })
  return [...own, ...classMembers(childInField(node, 'body'))]
}

function classMembers(body: SyntaxNode | undefined): Declaration[] {
  if (body === undefined) return []
  return body.children.flatMap((member): Declaration[] => {
    const range = rangeOf(member)
    switch (member.type) {
      case 'method_declaration':
      case 'annotation_type_element_declaration': {
        const name = childInField(member, 'name')?.text
        return name === undefined ? [] : declare([name], { kind: 'method', range, member: true })
      }
      case 'field_declaration':
      case 'constant_declaration':
        return member.children
          .filter((child) => child.type === 'variable_declarator')
          .flatMap((declarator) => {
            const name = childInField(declarator, 'name')?.text
            return name === undefined ? [] : declare([name], { kind: 'field', range, member: true })
          })
      case 'enum_body_declarations':
        return classMembers(member)
      default:
        return classDeclarations(member, true)
    }
  })
}

/** The Java rules. */
export const JAVA_SPEC: LanguageSpec = {
  nameTypes: nodeTypes('identifier', 'type_identifier'),
  functionTypes: nodeTypes(
    'method_declaration',
    'constructor_declaration',
    'compact_constructor_declaration',
    'lambda_expression'
  ),
  classTypes: CLASS_TYPES,
  scopeWrappers: nodeTypes('variable_declarator', 'local_variable_declaration', 'field_declaration'),
  classify,
  isCall,
  declarations,
  ignoredNames: nodeTypes('main', 'args', 'var', 'record')
}
