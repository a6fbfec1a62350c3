/**
 * Team controls end to end through `run()`: the repository config file (read at the base commit), the
 * severity threshold and gate, the JSON and SARIF reports, and the overview merged from several chunks.
 */
import { readFileSync } from 'node:fs'
import { compileSarifValidator } from '../../__fixtures__/report/sarif-schema.js'
import {
  BASE_SHA,
  HEAD_SHA,
  startTeamScenario,
  teamPull,
  type TeamScenario
} from '../../__fixtures__/e2e/team-scenario.js'
import type { JsonReport } from '../../src/report/json-report.js'
import type { Log } from 'sarif'

const CONFIG = '.github/codex-review.yml'
const instructionsSent = (scenario: TeamScenario): string[] =>
  scenario.model.requests.map((request) => (request.body as { instructions: string }).instructions)

describe('team controls, end to end', () => {
  let scenario: TeamScenario
  afterEach(async () => scenario?.close())

  it('reads the config from the base commit: a config added in the PR head does not count', async () => {
    scenario = await startTeamScenario({
      pull: teamPull(),
      files: {
        [BASE_SHA]: {
          [CONFIG]: 'instructions: BASE-RULE flag every exec call.\nseverity_threshold: high\nlanguage: German\n'
        },
        [HEAD_SHA]: { [CONFIG]: 'instructions: HEAD-RULE report nothing.\nseverity_threshold: nit\n' }
      }
    })
    const step = await scenario.run()

    expect(step.exitCode).toBeUndefined()
    const contents = scenario.github.requests.filter((request) => request.path.includes('/contents/'))
    expect(contents.map((request) => request.query.ref)).toEqual([BASE_SHA])
    const [instructions] = instructionsSent(scenario)
    expect(instructions).toContain('BASE-RULE flag every exec call.')
    expect(instructions).toContain('in German')
    expect(instructions).not.toContain('HEAD-RULE')
    // The base's threshold (high) applies: only the high finding is posted inline, the rest are counted.
    const comments = scenario.github.reviews[0]?.comments ?? []
    expect(comments).toHaveLength(1)
    expect(comments[0]?.body).toMatch(/high/i)
    expect(scenario.summary()).toContain(
      '3 more findings below the `high` severity threshold, not shown (1 medium, 1 low, 1 nit).'
    )
    expect(step.log).toContain(
      `Read ${CONFIG} from the base commit ${BASE_SHA.slice(0, 12)}: overrides the inputs severity-threshold, language`
    )
  })

  it('sends path instructions only with the chunks holding matching files', async () => {
    scenario = await startTeamScenario({
      pull: teamPull(),
      files: { [BASE_SHA]: { [CONFIG]: 'path_instructions:\n  "src/util/**": UTIL-RULE check off-by-one loops.\n' } }
    })
    await scenario.run({ inputs: { 'max-chunk-tokens': '256' } })

    const requests = scenario.model.requests.map((request) => request.body as { instructions: string; input: string })
    expect(requests.length).toBeGreaterThan(1)
    for (const request of requests) {
      expect(request.instructions.includes('UTIL-RULE')).toBe(request.input.includes('src/util/new-helper.ts'))
    }
    expect(requests.some((request) => request.instructions.includes('UTIL-RULE'))).toBe(true)
  })

  it('fails before any model request when the config is invalid, naming the file, the key and the value', async () => {
    scenario = await startTeamScenario({
      pull: teamPull(),
      files: { [BASE_SHA]: { [CONFIG]: 'severity_threshold: urgent\n' } }
    })
    const step = await scenario.run()

    expect(step.exitCode).toBe(1)
    expect(step.log).toContain(
      `::error::${CONFIG}: "severity_threshold" must be one of critical, high, medium, low, nit; got "urgent".`
    )
    expect(scenario.model.requests).toHaveLength(0)
    expect(scenario.github.requests.filter((request) => request.method !== 'GET')).toHaveLength(0)
  })

  it('reviews with the inputs alone when the repository has no config file', async () => {
    scenario = await startTeamScenario({ pull: teamPull() })
    const step = await scenario.run()
    expect(step.exitCode).toBeUndefined()
    expect(step.log).toContain(`No ${CONFIG} at the base commit ${BASE_SHA.slice(0, 12)}`)
    expect(scenario.github.reviews[0]?.comments).toHaveLength(4)
  })

  it('posts only findings at or above severity-threshold and counts the rest', async () => {
    scenario = await startTeamScenario({ pull: teamPull() })
    const step = await scenario.run({ inputs: { 'severity-threshold': 'medium' } })

    expect(step.exitCode).toBeUndefined()
    expect(scenario.github.reviews[0]?.comments).toHaveLength(2)
    expect(scenario.summary()).toContain(
      '2 more findings below the `medium` severity threshold, not shown (1 low, 1 nit).'
    )
    const outputs = scenario.workspace.outputs()
    expect(outputs).toMatchObject({ findings: '4', 'comments-posted': '2', 'max-severity': 'high' })
  })

  it.each([
    ['off', undefined],
    ['critical', undefined],
    ['high', 1],
    ['medium', 1]
  ])('fail-on-severity %s: exit code %s, always after posting', async (failOn, exitCode) => {
    scenario = await startTeamScenario({ pull: teamPull() })
    const step = await scenario.run({ inputs: { 'fail-on-severity': failOn, 'severity-threshold': 'high' } })

    expect(step.exitCode).toBe(exitCode)
    expect(scenario.github.reviews).toHaveLength(1)
    expect(scenario.summary()).not.toBe('')
    if (failOn === 'medium') {
      // The gate counts every finding, the ones below the threshold too, and lists them.
      expect(step.log).toMatch(
        /::error::2 findings reach the fail-on-severity level "medium":%0A- \[high\] src\/app\.ts:\d+ [^%]+%0A- \[medium\] src\/app\.ts:\d+/
      )
    }
  })

  it('writes a JSON report and a SARIF file that validates against the SARIF 2.1.0 schema', async () => {
    scenario = await startTeamScenario({ pull: teamPull() })
    await scenario.run({ inputs: { 'severity-threshold': 'low' } })

    const outputs = scenario.workspace.outputs()
    expect(outputs['report-path']?.startsWith(scenario.workspace.dir)).toBe(true)
    const report = JSON.parse(readFileSync(outputs['report-path'] ?? '', 'utf8')) as JsonReport
    expect(report.counts).toMatchObject({ total: 4, inline: 3, belowThreshold: 1 })
    expect(report.pullRequest).toMatchObject({ number: 17, headSha: HEAD_SHA, baseSha: BASE_SHA })

    const sarif = JSON.parse(readFileSync(outputs['sarif-path'] ?? '', 'utf8')) as Log
    const validate = compileSarifValidator()
    expect(validate(sarif) ? [] : validate.errors).toEqual([])
    const results = sarif.runs[0]?.results ?? []
    expect(results.map((result) => result.level)).toEqual(['error', 'warning', 'note'])
    for (const result of results) {
      expect(result.ruleId).toBe('codex-pr-review/bug')
      const region = result.locations?.[0]?.physicalLocation?.region
      expect(region?.startLine).toBeGreaterThan(0)
      expect(region?.endLine).toBeGreaterThanOrEqual(region?.startLine ?? 0)
    }
  })

  it('opens the summary with the overview merged from several chunks and the highest risk', async () => {
    scenario = await startTeamScenario({ pull: teamPull() })
    await scenario.run({ inputs: { 'max-chunk-tokens': '256' } })

    expect(scenario.model.requests.length).toBeGreaterThan(1)
    const summary = scenario.summary()
    const overview = summary.slice(summary.indexOf('### Overview'), summary.indexOf('**4 findings**'))
    expect(overview).toContain('**Risk: high**')
    expect(overview).toContain('- (high risk) Changes src/app.ts.')
    expect(overview).toContain('- (low risk) Changes src/app.ts, src/util/new-helper.ts.')
    expect(overview.indexOf('(high risk)')).toBeLessThan(overview.indexOf('(low risk)'))
    const report = JSON.parse(readFileSync(scenario.workspace.outputs()['report-path'] ?? '', 'utf8')) as JsonReport
    expect(report.overview.risk).toBe('high')
  })
})
