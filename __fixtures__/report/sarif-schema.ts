/**
 * A validator for the SARIF 2.1.0 schema that @microsoft/jest-sarif ships. The schema is draft-04; its only
 * draft-04-specific part is the root `id`, so Ajv 8 (draft-07) reads it the same once `id` is `$id`.
 * Formats are not checked (no ajv-formats installed): tests check URIs themselves. One pattern of the schema
 * is not valid in Unicode mode, hence `unicodeRegExp: false`.
 */
import { readFileSync } from 'node:fs'
import { Ajv, type ValidateFunction } from 'ajv'

const SCHEMA_PATH = new URL(
  '../../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json',
  import.meta.url
)

let compiled: ValidateFunction | undefined

export function compileSarifValidator(): ValidateFunction {
  if (compiled !== undefined) return compiled
  const { $schema: _draft, id, ...schema } = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false })
  compiled = ajv.compile({ ...schema, $id: String(id) })
  return compiled
}
