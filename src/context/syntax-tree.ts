/**
 * A parse tree copied out of tree-sitter's WASM memory into plain objects (named nodes only), so the WASM tree
 * can be freed at once and everything after it is ordinary, testable TypeScript.
 */
import type { Language, Tree, TreeCursor } from 'web-tree-sitter'

/** One named node of the parse tree, with 1-based inclusive line numbers. */
export interface SyntaxNode {
  readonly type: string
  /** The grammar's field name for this node in its parent (`name`, `body`, `left`...). */
  readonly field: string | undefined
  readonly start: number
  readonly end: number
  /** The source text of name-like nodes (types containing `identifier`, and string contents); else undefined. */
  readonly text: string | undefined
  readonly children: SyntaxNode[]
  readonly parent: SyntaxNode | undefined
}

const TEXT_TYPE = /identifier|string_literal_content|string_fragment|string_content/

/** Copies `tree`, parsed from `text`, into plain nodes. The caller still owns (and deletes) `tree`. */
export function copySyntaxTree(tree: Tree, text: string): SyntaxNode {
  const cursor = tree.walk()
  try {
    return copyFromCursor(cursor, tree.language, text)
  } finally {
    cursor.delete()
  }
}

// Each cursor getter is a call into WASM, and they dominate the copy: per node we ask only the type id (and,
// for named nodes, the field id and the start and end offsets), and work out names, lines and text in
// JavaScript. Iterative: a long chain such as `a + b + c + ...` nests thousands deep and would overflow a
// recursive copy. An anonymous node (a keyword, an operator) is skipped; a named node under it is lifted.
function copyFromCursor(cursor: TreeCursor, language: Language, text: string): SyntaxNode {
  const lineStarts = lineStartOffsets(text)
  const named = new Map<number, boolean>()
  const isNamed = (typeId: number): boolean => {
    let known = named.get(typeId)
    if (known === undefined) {
      known = language.nodeTypeIsNamed(typeId) || typeId === ERROR_TYPE_ID
      named.set(typeId, known)
    }
    return known
  }
  const makeNode = (typeId: number, parent: SyntaxNode | undefined): SyntaxNode & { children: SyntaxNode[] } => {
    const type = typeId === ERROR_TYPE_ID ? 'ERROR' : (language.types[typeId] ?? 'ERROR')
    const startIndex = cursor.startIndex
    const endIndex = cursor.endIndex
    const start = lineOfOffset(lineStarts, startIndex)
    // A node that ends with a newline ends on the line before the next one starts.
    const end = Math.max(start, lineOfOffset(lineStarts, Math.max(startIndex, endIndex - 1)))
    return {
      type,
      field: parent === undefined ? undefined : (language.fields[cursor.currentFieldId] ?? undefined),
      start,
      end,
      text: TEXT_TYPE.test(type) ? text.slice(startIndex, endIndex) : undefined,
      children: [],
      parent
    }
  }

  const root = makeNode(cursor.nodeTypeId, undefined)
  const containers: (SyntaxNode & { children: SyntaxNode[] })[] = [root]
  let depth = 0
  const visit = (): void => {
    const container = containers[depth - 1] as SyntaxNode & { children: SyntaxNode[] }
    const typeId = cursor.nodeTypeId
    if (isNamed(typeId)) {
      const node = makeNode(typeId, container)
      container.children.push(node)
      containers[depth] = node
    } else {
      containers[depth] = container
    }
  }
  for (;;) {
    if (cursor.gotoFirstChild()) {
      depth += 1
      visit()
      continue
    }
    let moved = false
    while (depth > 0) {
      if (cursor.gotoNextSibling()) {
        visit()
        moved = true
        break
      }
      cursor.gotoParent()
      depth -= 1
    }
    if (!moved) return root
  }
}

// tree-sitter's ERROR symbol is the largest 16-bit id.
const ERROR_TYPE_ID = 65535

function lineStartOffsets(text: string): number[] {
  const starts = [0]
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) starts.push(index + 1)
  return starts
}

/** The 1-based line holding `offset` (a UTF-16 index into the text, as tree-sitter reports for string input). */
function lineOfOffset(lineStarts: readonly number[], offset: number): number {
  let low = 0
  let high = lineStarts.length - 1
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if ((lineStarts[middle] as number) <= offset) low = middle
    else high = middle - 1
  }
  return low + 1
}

/** The first child in `field`. */
export function childInField(node: SyntaxNode, field: string): SyntaxNode | undefined {
  return node.children.find((child) => child.field === field)
}

/** Every child in `field`. */
export function childrenInField(node: SyntaxNode, field: string): SyntaxNode[] {
  return node.children.filter((child) => child.field === field)
}

/** Every node of the tree in document order (the root first). */
export function* walkSyntaxTree(root: SyntaxNode): Generator<SyntaxNode> {
  const stack: SyntaxNode[] = [root]
  while (stack.length > 0) {
    const node = stack.pop() as SyntaxNode
    yield node
    for (let index = node.children.length - 1; index >= 0; index -= 1) stack.push(node.children[index] as SyntaxNode)
  }
}
