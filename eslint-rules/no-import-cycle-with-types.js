// A cycle check that counts `import type` too. import-x/no-cycle skips type-only imports (they vanish at run
// time), but a type cycle is still two modules that cannot be understood, moved or tested apart, which is what
// the layering is about. The graph is built once per lint run from the relative imports of every .ts file
// under the linted file's source root; a file in a strongly connected component of two or more modules is
// reported with the cycle it belongs to.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const IMPORT = /(?:^|\n)\s*(?:import|export)\s+[^;'"]*?from\s+['"](\.[^'"]+)['"]/g
const graphs = new Map()

function listTypeScript(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return listTypeScript(path)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : []
  })
}

function importsOf(file) {
  const text = readFileSync(file, 'utf8')
  const targets = new Set()
  for (const match of text.matchAll(IMPORT)) {
    const target = resolve(dirname(file), match[1]).replace(/\.js$/, '.ts')
    const withExtension = target.endsWith('.ts') ? target : `${target}.ts`
    if (existsSync(withExtension)) targets.add(withExtension)
  }
  return targets
}

/** Tarjan's strongly connected components; returns file → the cycle's members (only for cycles). */
function findCycles(root) {
  const edges = new Map(listTypeScript(root).map((file) => [file, importsOf(file)]))
  const index = new Map()
  const low = new Map()
  const stack = []
  const onStack = new Set()
  const cycleOf = new Map()
  let counter = 0
  const visit = (node) => {
    index.set(node, counter)
    low.set(node, counter)
    counter += 1
    stack.push(node)
    onStack.add(node)
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next)
        low.set(node, Math.min(low.get(node), low.get(next)))
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), index.get(next)))
      }
    }
    if (low.get(node) !== index.get(node)) return
    const component = []
    let member
    do {
      member = stack.pop()
      onStack.delete(member)
      component.push(member)
    } while (member !== node)
    if (component.length > 1) for (const file of component) cycleOf.set(file, component)
  }
  for (const node of edges.keys()) if (!index.has(node)) visit(node)
  return cycleOf
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow import cycles, type-only imports included' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: { cycle: 'Import cycle (type imports included): {{members}}' }
  },
  create(context) {
    const root = resolve(context.cwd, context.options[0]?.root ?? 'src')
    const file = context.physicalFilename
    if (!file.startsWith(`${root}/`)) return {}
    if (!graphs.has(root)) graphs.set(root, findCycles(root))
    const cycle = graphs.get(root).get(file)
    if (cycle === undefined) return {}
    return {
      Program(node) {
        const members = cycle
          .map((member) => relative(root, member))
          .sort()
          .join(' <-> ')
        context.report({ node, messageId: 'cycle', data: { members } })
      }
    }
  }
}
