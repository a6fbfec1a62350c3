import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setReportOutputs } from '../../src/action/outputs.js'
import { writeReports } from '../../src/action/write-reports.js'
import { SILENT_LOGGER, type Logger } from '../../src/engine/logger.js'
import { prepareReview } from '../../src/engine/prepare.js'
import { buildRunResult } from '../../src/engine/run-result.js'
import type { PullRequestInfo } from '../../src/types.js'
import { parseOutputFile } from '../../__fixtures__/e2e/harness.js'
import { BELOW, PLACEMENT } from '../report/report-fixtures.js'

const PULL: PullRequestInfo = {
  owner: 'o',
  repo: 'r',
  pullNumber: 9,
  title: 't',
  body: '',
  headSha: 'h'.repeat(40),
  baseSha: 'b'.repeat(40),
  baseRef: 'main',
  headRef: 'f',
  draft: false,
  authorLogin: 'a',
  labels: [],
  headRepoFullName: 'o/r'
}
const SOURCE = { kind: 'unified', text: '' } as const
const prepared = prepareReview(SOURCE, {
  include: [],
  exclude: [],
  maxChunkTokens: 12_000,
  maxFiles: 3_000,
  maxFileChangedLines: 5_000
})
const RESULT = buildRunResult({
  planned: {
    input: { source: SOURCE, pullRequest: { title: 't', body: '' }, head: PULL.headSha, label: 'o/r#9' },
    prepared
  },
  outcomes: [],
  findings: {
    placement: PLACEMENT,
    shown: PLACEMENT,
    belowThreshold: BELOW,
    lowConfidence: [],
    unrated: 0,
    alreadyPosted: [],
    earlier: []
  },
  settings: {
    model: 'openai/gpt-5-1-codex-mini',
    severityThreshold: 'low',
    failOnSeverity: 'off',
    escalationModel: 'openai/gpt-5-1-codex',
    verifySeverity: 'off',
    minConfidence: 0.5
  }
})

describe('writeReports', () => {
  let dir: string
  const savedOutput = process.env.GITHUB_OUTPUT
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'codex-reports-'))
    process.env.GITHUB_OUTPUT = join(dir, 'output')
    writeFileSync(process.env.GITHUB_OUTPUT, '')
  })
  afterEach(() => {
    process.env.GITHUB_OUTPUT = savedOutput
    rmSync(dir, { recursive: true, force: true })
  })

  /** Writes the reports and sets their outputs, as the action's stages do one after the other. */
  const write = async (directory: string, logger: Logger = SILENT_LOGGER) => {
    const written = await writeReports({ result: RESULT, pullRequest: PULL, logger, directory })
    setReportOutputs(written)
    return written
  }

  it('writes both files named after the pull request and sets the outputs', async () => {
    const written = await write(join(dir, 'reports'))
    expect(written.reportPath).toBe(join(dir, 'reports', 'codex-pr-review-9.json'))
    expect(written.sarifPath).toBe(join(dir, 'reports', 'codex-pr-review-9.sarif'))
    expect(JSON.parse(readFileSync(written.reportPath ?? '', 'utf8'))).toMatchObject({ maxSeverity: 'critical' })
    expect(JSON.parse(readFileSync(written.sarifPath ?? '', 'utf8'))).toMatchObject({ version: '2.1.0' })
    expect(parseOutputFile(readFileSync(process.env.GITHUB_OUTPUT ?? '', 'utf8'))).toEqual({
      'max-severity': 'critical',
      'report-path': written.reportPath,
      'sarif-path': written.sarifPath
    })
  })

  it('warns and leaves the path outputs empty when it cannot write, without failing', async () => {
    const blocker = join(dir, 'a-file')
    writeFileSync(blocker, '')
    const warnings: string[] = []
    const written = await write(join(blocker, 'sub'), {
      ...SILENT_LOGGER,
      warning: (message) => void warnings.push(message)
    })
    expect(written).toEqual({ findings: expect.any(Array), maxSeverity: 'critical' })
    expect(warnings).toHaveLength(2)
    expect(warnings[0]).toMatch(/^Could not write .*codex-pr-review-9\.json: /)
    expect(parseOutputFile(readFileSync(process.env.GITHUB_OUTPUT ?? '', 'utf8'))).toMatchObject({
      'report-path': '',
      'sarif-path': ''
    })
  })
})
