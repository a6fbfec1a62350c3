/**
 * A parse tree copied out of tree-sitter's WASM memory into plain objects (named nodes only), so the WASM tree
 * can be freed at once and everything after it is ordinary, testable TypeScript.
 */
import type { Tree, TreeCursor } from 'web-tree-sitter'

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

/** Copies `tree` into plain nodes. The caller still owns (and deletes) `tree`. */
export function copySyntaxTree(tree: Tree): SyntaxNode {
  const cursor = tree.walk()
  try {
    return copyFromCursor(cursor)
  } finally {
    cursor.delete()
  }
}

// Iterative: a long chain such as `a + b + c + ...` nests thousands deep and would overflow a recursive copy.
// An anonymous node (a keyword, an operator) is skipped, and any named node under it is lifted into its parent.
function copyFromCursor(cursor: TreeCursor): SyntaxNode {
  const root = currentNode(cursor, undefined)
  const containers: (SyntaxNode & { children: SyntaxNode[] })[] = [root]
  let depth = 0
  const visit = (): void => {
    const container = containers[depth - 1] as SyntaxNode & { children: SyntaxNode[] }
    if (cursor.nodeIsNamed) {
      const node = currentNode(cursor, container)
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

function currentNode(cursor: TreeCursor, parent: SyntaxNode | undefined): SyntaxNode & { children: SyntaxNode[] } {
  const start = cursor.startPosition
  const end = cursor.endPosition
  // A node that ends at column 0 ends on the line before (its last character is that line's newline).
  const endLine = end.column === 0 && end.row > start.row ? end.row : end.row + 1
  const type = cursor.nodeType
  return {
    type,
    field: cursor.currentFieldName ?? undefined,
    start: start.row + 1,
    end: endLine,
    text: TEXT_TYPE.test(type) ? cursor.nodeText : undefined,
    children: [],
    parent
  }
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

/** The name-like nodes under `node` (itself included), in document order. */
export function namesUnder(node: SyntaxNode, isName: (node: SyntaxNode) => boolean): SyntaxNode[] {
  return [...walkSyntaxTree(node)].filter(isName)
}
