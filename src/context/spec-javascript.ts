/** JavaScript, TypeScript and TSX (one spec: the TypeScript grammars extend the JavaScript one). */
import type { Declaration } from './outline.js'
import { childInField, type SyntaxNode } from './syntax-tree.js'
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
    'object_pattern',
    'array_pattern',
    'pair_pattern',
    'assignment_pattern',
    'object_assignment_pattern',
    'rest_pattern',
    'required_parameter',
    'optional_parameter'
  ),
  expressionFields: nodeTypes('right', 'key', 'type', 'value_default', 'decorator'),
  slots: nodeTypes(
    'variable_declarator:name',
    'function_declaration:name',
    'generator_function_declaration:name',
    'function_expression:name',
    'generator_function:name',
    'function_signature:name',
    'class_declaration:name',
    'abstract_class_declaration:name',
    'class:name',
    'interface_declaration:name',
    'type_alias_declaration:name',
    'enum_declaration:name',
    'internal_module:name',
    'module:name',
    'type_parameter:name',
    'arrow_function:parameter',
    'catch_clause:parameter',
    'for_in_statement:left',
    'formal_parameters:*',
    'namespace_import:*',
    'import_clause:*'
  )
}

// A required/optional parameter's default sits in its `value` field, which in a pair pattern is the bound name.
const PARAMETER_TYPES = nodeTypes('required_parameter', 'optional_parameter')

const MEMBER_DECLARATION_PARENTS = nodeTypes(
  'method_definition',
  'method_signature',
  'abstract_method_signature',
  'field_definition',
  'public_field_definition',
  'property_signature',
  'enum_body',
  'enum_assignment'
)

function classify(name: SyntaxNode): NameRole {
  const parent = name.parent
  if (parent === undefined) return 'ignore'
  switch (name.type) {
    case 'property_identifier':
    case 'private_property_identifier':
      if (parent.type === 'member_expression' && name.field === 'property') return 'member-use'
      return MEMBER_DECLARATION_PARENTS.has(parent.type) ? 'binding' : 'ignore'
    case 'shorthand_property_identifier':
      return 'use'
    case 'shorthand_property_identifier_pattern':
      return 'binding'
    case 'statement_identifier':
      return 'ignore'
  }
  if (parent.type === 'import_specifier') {
    const aliased = childInField(parent, 'alias') !== undefined
    return !aliased || name.field === 'alias' ? 'binding' : 'ignore'
  }
  if (parent.type === 'export_specifier') return name.field === 'name' ? 'use' : 'ignore'
  if (PARAMETER_TYPES.has(parent.type) && name.field === 'value') return 'use'
  return isBindingPosition(name, BINDING_RULES) ? 'binding' : 'use'
}

function isCall(name: SyntaxNode): boolean {
  const parent = name.parent
  if (parent === undefined) return false
  if (parent.type === 'call_expression') return name.field === 'function'
  if (parent.type === 'new_expression') return name.field === 'constructor'
  if (parent.type === 'member_expression' && name.field === 'property') {
    return parent.parent?.type === 'call_expression' && parent.field === 'function'
  }
  return false
}

const CLASS_TYPES = nodeTypes('class_declaration', 'abstract_class_declaration', 'class')
const FUNCTION_DECLARATION_TYPES = nodeTypes(
  'function_declaration',
  'generator_function_declaration',
  'function_signature'
)
const TYPE_DECLARATION_TYPES = nodeTypes(
  'interface_declaration',
  'type_alias_declaration',
  'enum_declaration',
  'internal_module',
  'module'
)

function declarations(statement: SyntaxNode): Declaration[] {
  const range = rangeOf(statement)
  const node = unwrapStatement(statement)
  if (node === undefined) return []
  const name = childInField(node, 'name')?.text
  if (FUNCTION_DECLARATION_TYPES.has(node.type))
    return name === undefined ? [] : declare([name], { kind: 'function', range, member: false })
  if (CLASS_TYPES.has(node.type)) {
    const own = name === undefined ? [] : declare([name], { kind: 'class', range, member: false })
    return [...own, ...classMembers(childInField(node, 'body'))]
  }
  if (TYPE_DECLARATION_TYPES.has(node.type))
    return name === undefined ? [] : declare([name], { kind: 'type', range, member: false })
  if (node.type === 'lexical_declaration' || node.type === 'variable_declaration') {
    return node.children
      .filter((child) => child.type === 'variable_declarator')
      .flatMap((declarator) => {
        const bound = childInField(declarator, 'name')
        return bound === undefined
          ? []
          : declare(boundNames(bound, JAVASCRIPT_SPEC), { kind: 'variable', range, member: false })
      })
  }
  if (node.type === 'import_statement') return importDeclarations(node, range)
  if (node.type === 'expression_statement') return commonJsExport(node, range)
  return []
}

function unwrapStatement(statement: SyntaxNode): SyntaxNode | undefined {
  if (statement.type === 'export_statement')
    return childInField(statement, 'declaration') ?? childInField(statement, 'value')
  if (statement.type === 'ambient_declaration') return statement.children[0]
  if (statement.type === 'expression_statement' && statement.children[0]?.type === 'internal_module')
    return statement.children[0]
  return statement
}

function classMembers(body: SyntaxNode | undefined): Declaration[] {
  if (body === undefined) return []
  return body.children.flatMap((member) => {
    const isMethod = ['method_definition', 'method_signature', 'abstract_method_signature'].includes(member.type)
    const isField = member.type === 'field_definition' || member.type === 'public_field_definition'
    if (!isMethod && !isField) return []
    const name = (childInField(member, 'name') ?? childInField(member, 'property'))?.text
    if (name === undefined || name === 'constructor') return []
    return declare([name], { kind: isMethod ? 'method' : 'field', range: rangeOf(member), member: true })
  })
}

function importDeclarations(node: SyntaxNode, range: Declaration['range']): Declaration[] {
  const clause = node.children.find((child) => child.type === 'import_clause')
  if (clause === undefined) return []
  return clause.children.flatMap((part): Declaration[] => {
    if (part.type === 'identifier' && part.text !== undefined)
      return declare([part.text], { kind: 'import', range, member: false })
    if (part.type === 'namespace_import') {
      return declare(boundNames(part, JAVASCRIPT_SPEC), { kind: 'import', range, member: false, module: true })
    }
    if (part.type !== 'named_imports') return []
    return part.children
      .filter((specifier) => specifier.type === 'import_specifier')
      .flatMap((specifier) => {
        const imported = childInField(specifier, 'name')?.text
        const local = childInField(specifier, 'alias')?.text ?? imported
        if (local === undefined) return []
        const alias = imported !== undefined && imported !== local ? { importedName: imported } : {}
        return [{ name: local, kind: 'import' as const, range, member: false, ...alias }]
      })
  })
}

// `exports.name = ...` and `module.exports.name = ...` define `name` in CommonJS.
function commonJsExport(statement: SyntaxNode, range: Declaration['range']): Declaration[] {
  const assignment = statement.children[0]
  if (assignment?.type !== 'assignment_expression') return []
  const left = childInField(assignment, 'left')
  if (left?.type !== 'member_expression') return []
  const object = childInField(left, 'object')
  const property = childInField(left, 'property')?.text
  const isExports =
    (object?.type === 'identifier' && object.text === 'exports') ||
    (object?.type === 'member_expression' &&
      childInField(object, 'object')?.text === 'module' &&
      childInField(object, 'property')?.text === 'exports')
  if (!isExports || property === undefined) return []
  return declare([property], { kind: 'variable', range, member: false })
}

/** The JavaScript, TypeScript and TSX rules. */
export const JAVASCRIPT_SPEC: LanguageSpec = {
  nameTypes: nodeTypes(
    'identifier',
    'type_identifier',
    'property_identifier',
    'private_property_identifier',
    'shorthand_property_identifier',
    'shorthand_property_identifier_pattern',
    'statement_identifier'
  ),
  functionTypes: nodeTypes(
    'function_declaration',
    'generator_function_declaration',
    'function_expression',
    'function',
    'generator_function',
    'arrow_function',
    'method_definition'
  ),
  classTypes: nodeTypes(
    'class_declaration',
    'abstract_class_declaration',
    'class',
    'interface_declaration',
    'enum_declaration',
    'internal_module'
  ),
  scopeWrappers: nodeTypes(
    'export_statement',
    'variable_declarator',
    'lexical_declaration',
    'variable_declaration',
    'assignment_expression',
    'expression_statement',
    'pair',
    'field_definition',
    'public_field_definition'
  ),
  classify,
  isCall,
  declarations,
  ignoredNames: nodeTypes('this', 'super', 'arguments', 'React', 'jsx')
}
