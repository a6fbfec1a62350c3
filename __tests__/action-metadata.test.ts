/** action.yml, the code and the README must agree: the runner only knows what action.yml declares. */
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { readConfig } from '../src/config/config.js'

interface ActionInput {
  description?: string
  required?: boolean
  default?: string
}
const metadata = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, ActionInput>
  outputs: Record<string, { description?: string }>
  runs: { using: string; main: string }
}
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

describe('action.yml', () => {
  it('runs dist/index.js on node24', () => {
    expect(metadata.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
  })

  it('declares exactly the inputs the code reads', () => {
    const read = new Set<string>()
    readConfig((name) => {
      read.add(name)
      return { 'api-key': 'k', 'github-token': 't' }[name] ?? ''
    })
    expect([...read].sort()).toEqual(Object.keys(metadata.inputs).sort())
  })

  it.each(Object.entries(metadata.inputs))(
    'input %s has a description, and a default unless required',
    (_name, input) => {
      expect(input.description?.length).toBeGreaterThan(10)
      if (input.required !== true) expect(typeof input.default).toBe('string')
    }
  )

  it('defaults in action.yml are values the config accepts', () => {
    const defaults = Object.fromEntries(
      Object.entries(metadata.inputs).map(([name, input]) => [name, input.default ?? ''])
    )
    expect(() => readConfig((name) => ({ ...defaults, 'api-key': 'k', 'github-token': 't' })[name] ?? '')).not.toThrow()
  })

  it.each([...Object.keys(metadata.inputs), ...Object.keys(metadata.outputs)])('README documents %s', (name) => {
    expect(readme).toMatch(new RegExp('`' + name + '`'))
  })
})
