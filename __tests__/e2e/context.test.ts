/**
 * Context end to end, on the action and the CLI: a credential logged by an added line is a finding only a
 * reviewer who sees its declaration (far above, unchanged) can make. The loopback model reports it only when
 * that line is in the request, so the finding appears exactly when context reaches the model. Also where the
 * action reads the files from: the workspace when it holds the head (no API call, cross-file definitions), the
 * GitHub API otherwise (GraphQL, with a file over the size cap and a binary file), and what the summary says.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  findingsResponse,
  startResponsesServer,
  type RecordedRequest,
  type ResponsesServer
} from '../../__fixtures__/servers/responses-server.js'
import { readSentInput, readSentInstructions } from '../../__fixtures__/servers/chat-completions-shapes.js'
import {
  createContextRepo,
  judgeSecretLeak,
  sawSecretDeclaration,
  type ContextRepo
} from '../../__fixtures__/context/context-repo.js'
import { makePull, startScenario, type Scenario } from '../../__fixtures__/e2e/scenario.js'
import { EXIT_OK, EXIT_SEVERITY_GATE } from '../../src/cli/run-cli.js'
import { REVIEW_INSTRUCTIONS } from '../../src/model/instructions.js'
import { DEFAULT_MAX_FILE_BYTES } from '../../src/github/file-contents.js'
import { runCliCapture } from '../cli/cli-harness.js'

/** Two more changed files: one over the API's size cap at the head, one GitHub calls binary at the head. */
const EXTRA_DIFF = [
  'diff --git a/src/huge.js b/src/huge.js',
  'index 1111111..2222222 100644',
  '--- a/src/huge.js',
  '+++ b/src/huge.js',
  '@@ -1,1 +1,2 @@',
  ' export const table = []',
  '+export const size = table.length',
  'diff --git a/src/blob.js b/src/blob.js',
  'index 3333333..4444444 100644',
  '--- a/src/blob.js',
  '+++ b/src/blob.js',
  '@@ -1,1 +1,2 @@',
  ' export const blob = 1',
  '+export const more = 2',
  ''
].join('\n')

/** GraphQL calls that read files for context (the review threads and the token's identity are read there too). */
const graphqlCalls = (scenario: Scenario): number =>
  scenario.github.requests.filter(
    (request) =>
      request.path === '/graphql' &&
      /^\s*query (FileMetadata|FileTexts)\b/.test(String((request.body as { query?: unknown } | undefined)?.query))
  ).length
const inlineOn = (scenario: Scenario, path: string): number[] =>
  scenario.github.reviewComments.filter((comment) => comment.path === path).map((comment) => comment.line)

describe('context in the action', () => {
  let repo: ContextRepo
  let scenario: Scenario

  beforeAll(() => {
    repo = createContextRepo()
  })
  afterAll(() => repo.remove())
  afterEach(async () => scenario?.close())

  async function start(options: { readonly withExtra?: boolean } = {}): Promise<Scenario> {
    const huge = `export const table = []\nexport const size = table.length\n// ${'x'.repeat(DEFAULT_MAX_FILE_BYTES)}\n`
    scenario = await startScenario({
      pull: makePull(options.withExtra === true ? `${repo.diff}${EXTRA_DIFF}` : repo.diff, {
        headSha: repo.head,
        baseSha: repo.base
      }),
      handler: (request) => ({ body: findingsResponse(judgeSecretLeak(request)) }),
      github: {
        files: {
          [repo.head]: {
            ...repo.headFiles,
            'src/huge.js': huge,
            'src/blob.js': 'export const blob = 1\nexport const more = 2\n\u0000\u0001'
          }
        }
      }
    })
    return scenario
  }

  it('without a checkout reads the files through GraphQL, finds the leak, and says what it left out and why', async () => {
    await start({ withExtra: true })
    const step = await scenario.run()

    expect(step.exitCode).toBeUndefined()
    expect(scenario.model.requests.every(sawSecretDeclaration)).toBe(true)
    expect(inlineOn(scenario, 'src/config.js')).toEqual([repo.loggedLine])
    // Sizes first, then the text of the readable files only: two calls, counted in the log.
    expect(graphqlCalls(scenario)).toBe(2)
    expect(step.log).toMatch(/Read 2 of 4 files at [0-9a-f]{7} through the GitHub API in 2 GraphQL calls \(2 skipped\)/)
    const summary = scenario.summary()
    expect(summary).toContain('### Context')
    expect(summary).toContain(`read from the GitHub API at ${repo.head.slice(0, 12)}`)
    expect(summary).toContain('left out: 1 file too large, 1 binary file')
    expect(summary).toMatch(
      /\| `src\/huge\.js` \| the file \| all \| file too large \(\d+ bytes; the limit is 500000\) \|/
    )
    expect(summary).toContain('| `src/blob.js` | the file | all | binary file')
    expect(summary).toContain(
      'No definitions from other files were included: no checkout of the head in the workspace: GITHUB_WORKSPACE is not set. ' +
        'To include them, add `actions/checkout` with `ref: ${{ github.event.pull_request.head.sha }}`'
    )
    const [request] = scenario.model.requests
    expect(readSentInput(request as RecordedRequest)).not.toContain('<context path="src/fs/tools.js"')
    // The JSON report carries the same facts, per chunk.
    const report = JSON.parse(readFileSync(scenario.workspace.outputs()['report-path'] ?? '', 'utf8')) as {
      context: { chunks: { diffTokens: number; contextTokens: number }[]; omittedByReason: object }
    }
    expect(report.context.chunks[0]?.contextTokens).toBeGreaterThan(0)
    expect(report.context.omittedByReason).toEqual({ 'too-large': 1, binary: 1 })
  })

  it('with context-tokens 0 sends today’s request exactly, and the leak goes unnoticed', async () => {
    await start()
    const step = await scenario.run({ inputs: { 'context-tokens': '0' } })

    expect(step.exitCode).toBeUndefined()
    const [request] = scenario.model.requests as RecordedRequest[]
    expect(readSentInput(request as RecordedRequest)).not.toContain('<context')
    expect(readSentInstructions(request as RecordedRequest)).toBe(REVIEW_INSTRUCTIONS)
    expect(graphqlCalls(scenario)).toBe(0)
    expect(scenario.github.reviewComments).toHaveLength(0)
    expect(scenario.summary()).not.toContain('### Context')
  })

  it('with a checkout of the head reads the workspace (no API call) and adds the definition from another file', async () => {
    await start()
    const step = await scenario.run({ env: { GITHUB_WORKSPACE: repo.dir } })

    expect(step.exitCode).toBeUndefined()
    expect(graphqlCalls(scenario)).toBe(0)
    expect(inlineOn(scenario, 'src/config.js')).toEqual([repo.loggedLine])
    const input = readSentInput(scenario.model.requests[0] as RecordedRequest)
    expect(input).toMatch(
      /<context path="src\/fs\/tools\.js" lines="4-6">\n +4 \| export async function purgeTree\(dir\) \{/
    )
    expect(input.indexOf('<context')).toBeLessThan(input.indexOf('<diff>'))
    const summary = scenario.summary()
    expect(summary).toContain(`read from the workspace's checkout of ${repo.head.slice(0, 12)}`)
    expect(summary).toMatch(/Definitions in other files: found for 2 of \d+ names the added lines use\./)
    expect(step.log).toContain("Context: reading files from the workspace's checkout")
  })

  it('does not use a workspace at another commit: it reads through the API instead', async () => {
    await start()
    // A clone of the base branch only: another commit, and no head commit in its history.
    const clone = mkdtempSync(join(tmpdir(), 'codex-pr-review-other-commit-'))
    execFileSync('git', ['clone', '--quiet', '--no-local', '--single-branch', '--branch', 'main', repo.dir, clone])
    try {
      const step = await scenario.run({ env: { GITHUB_WORKSPACE: clone } })
      expect(step.exitCode).toBeUndefined()
      expect(step.log).toMatch(/the workspace does not hold the head \(the checkout is at another commit/)
      expect(graphqlCalls(scenario)).toBe(2)
      expect(inlineOn(scenario, 'src/config.js')).toEqual([repo.loggedLine])
      expect(scenario.summary()).toContain(`read from the GitHub API at ${repo.head.slice(0, 12)}`)
    } finally {
      rmSync(clone, { recursive: true, force: true })
    }
  })
})

describe('context in the CLI', () => {
  let repo: ContextRepo
  let model: ResponsesServer

  beforeAll(async () => {
    repo = createContextRepo()
    model = await startResponsesServer((request) => ({ body: findingsResponse(judgeSecretLeak(request)) }))
  })
  afterAll(async () => {
    repo.remove()
    await model.close()
  })
  beforeEach(() => {
    model.requests.length = 0
  })

  const review = (argv: string[]) =>
    runCliCapture(['--base', 'main', '--base-url', model.baseUrl, '--format', 'json', ...argv], {
      cwd: repo.dir,
      env: { CODEX_REVIEW_API_KEY: 'sk-cli-context-test' }
    })

  it.each([
    ['the committed head', ['--head', 'feature']],
    ['the working tree', []]
  ])('finds the leak in %s only when the declaration is sent as context', async (_what, argv) => {
    const withContext = await review(argv)
    expect(withContext.code).toBe(EXIT_OK)
    const report = JSON.parse(withContext.stdout) as {
      findings: { placed: { path: string; line: number }[] }
      context: unknown
    }
    expect(report.findings.placed.map((finding) => `${finding.path}:${finding.line}`)).toEqual([
      `src/config.js:${repo.loggedLine}`
    ])
    expect(report.context).toMatchObject({ budget: 4_000, crossFile: { available: true } })
    expect(model.requests.every(sawSecretDeclaration)).toBe(true)

    model.requests.length = 0
    const without = await review([...argv, '--context-tokens', '0'])
    expect(without.code).toBe(EXIT_OK)
    expect((JSON.parse(without.stdout) as { findings: { placed: unknown[] } }).findings.placed).toEqual([])
    expect(readSentInput(model.requests[0] as RecordedRequest)).not.toContain('<context')
  })

  it('reads uncommitted changes with the working tree’s line numbers, and never follows a symlink', async () => {
    // Two lines inserted above the logging call in the working tree only: its line moves down by two.
    const { readFileSync, writeFileSync, symlinkSync, rmSync } = await import('node:fs')
    const path = `${repo.dir}/src/config.js`
    const committed = readFileSync(path, 'utf8')
    writeFileSync(path, committed.replace('export function loadConfig', '// one\n// two\nexport function loadConfig'))
    symlinkSync('/etc/hostname', `${repo.dir}/src/leak.js`)
    repo.git('add', '--intent-to-add', 'src/leak.js')
    try {
      const result = await review(['--fail-on-severity', 'high'])
      expect(result.code).toBe(EXIT_SEVERITY_GATE)
      const report = JSON.parse(result.stdout) as { findings: { placed: { line: number }[] } }
      expect(report.findings.placed.map((finding) => finding.line)).toEqual([repo.loggedLine + 2])
      const input = readSentInput(model.requests[0] as RecordedRequest)
      expect(input).not.toContain('<context path="src/leak.js"')
      expect(input).toContain(`\n   3 | const apiSecret`)
    } finally {
      repo.git('rm', '--quiet', '--cached', 'src/leak.js')
      rmSync(`${repo.dir}/src/leak.js`)
      writeFileSync(path, committed)
    }
  })

  it('has no context for a --diff file, and the plan says why and how to get it', async () => {
    const result = await runCliCapture(['--dry-run', '--diff', '-'], { cwd: repo.dir, stdin: repo.diff })
    expect(result.code).toBe(EXIT_OK)
    expect(result.stdout).toContain('Context: 0 tokens of code around the change over 1 request(s)')
    expect(result.stdout).toContain(
      'No definitions from other files: a --diff file has no commit to read files from. To include them, review a git range instead'
    )
  })
})
