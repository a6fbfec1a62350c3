/**
 * Pull requests with nothing to review, end to end: each ends with a clear summary comment, exit 0 and no
 * model request. And the missing-key cases not covered in action.test.ts.
 */
import { makePull, startScenario, type Scenario } from '../../__fixtures__/e2e/scenario.js'

const BINARY_ONLY = [
  'diff --git a/assets/logo.png b/assets/logo.png',
  'index 0f49c4a..0d4028e 100644',
  'Binary files a/assets/logo.png and b/assets/logo.png differ',
  'diff --git a/fonts/icons.woff2 b/fonts/icons.woff2',
  'new file mode 100644',
  'index 0000000..3b18e51',
  'Binary files /dev/null and b/fonts/icons.woff2 differ',
  ''
].join('\n')

const RENAMES_ONLY = [
  'diff --git a/src/old-name.ts b/src/new-name.ts',
  'similarity index 100%',
  'rename from src/old-name.ts',
  'rename to src/new-name.ts',
  'diff --git a/scripts/run.sh b/scripts/run.sh',
  'old mode 100644',
  'new mode 100755',
  ''
].join('\n')

const SKIPPED_ONLY = [
  'diff --git a/package-lock.json b/package-lock.json',
  'index 1111111..2222222 100644',
  '--- a/package-lock.json',
  '+++ b/package-lock.json',
  '@@ -1,3 +1,3 @@',
  ' {',
  '-  "version": "1.0.0",',
  '+  "version": "1.0.1",',
  ' }',
  'diff --git a/dist/index.js b/dist/index.js',
  'index 3333333..4444444 100644',
  '--- a/dist/index.js',
  '+++ b/dist/index.js',
  '@@ -1 +1 @@',
  '-var a=1',
  '+var a=2',
  ''
].join('\n')

/** The diff stops right after a hunk header: nothing of the file's lines arrived. */
const TRUNCATED = [
  'diff --git a/src/a.ts b/src/a.ts',
  'index 1..2 100644',
  '--- a/src/a.ts',
  '+++ b/src/a.ts',
  '@@ -1,3 +1,4 @@',
  ''
].join('\n')

describe('pull requests with nothing to review, end to end', () => {
  let scenario: Scenario
  afterEach(async () => scenario?.close())

  it.each([
    ['an empty diff', '', /the diff of this pull request is empty/, []],
    [
      'a malformed diff',
      '<html><body>502 Bad Gateway</body></html>\n@@ garbage @@\n',
      /GitHub's diff \([\d,]+ characters\) could not be read/,
      []
    ],
    ['a truncated diff', TRUNCATED, /the only changed file was skipped/, ['src/a.ts']],
    ['a binary-only PR', BINARY_ONLY, /all 2 changed files were skipped/, ['assets/logo.png', 'fonts/icons.woff2']],
    [
      'renames and mode changes without content',
      RENAMES_ONLY,
      /all 2 changed files were skipped/,
      ['src/new-name.ts', 'scripts/run.sh']
    ],
    [
      'only lockfiles and build output',
      SKIPPED_ONLY,
      /all 2 changed files were skipped/,
      ['package-lock.json', 'dist/index.js']
    ]
  ])('%s: a clear summary, exit 0, no model call', async (_name, diff, note, listed) => {
    scenario = await startScenario({ pull: makePull(diff) })
    const step = await scenario.run({ inputs: { 'fail-on-error': 'true' } })

    expect(step.exitCode).toBeUndefined()
    expect(scenario.model.requests).toHaveLength(0)
    expect(scenario.github.reviews).toHaveLength(0)
    const summary = scenario.summary()
    expect(summary).toMatch(note)
    for (const path of listed) expect(summary).toContain(path)
    expect(step.log).toMatch(/::notice::Nothing to review: /)
    expect(scenario.workspace.outputs().chunks).toBe('0')
  })
})

describe('a missing api-key, end to end', () => {
  let scenario: Scenario
  afterEach(async () => scenario?.close())

  it('skips a Dependabot pull request with a notice and exit 0, without calling anyone', async () => {
    scenario = await startScenario({ pull: makePull(SKIPPED_ONLY, { author: 'dependabot[bot]' }) })
    const step = await scenario.run({ inputs: { 'api-key': '' } })
    expect(step.exitCode).toBeUndefined()
    expect(step.log).toMatch(/::notice::Skipped: Dependabot pull requests only receive Dependabot secrets/)
    expect(scenario.model.requests).toHaveLength(0)
    expect(scenario.github.issueComments).toHaveLength(0)
  })

  it('fails a same-repo pull request by a person, naming the input and its secret', async () => {
    scenario = await startScenario({ pull: makePull(SKIPPED_ONLY, { author: 'octocat' }) })
    const step = await scenario.run({ inputs: { 'api-key': '  ' } })
    expect(step.exitCode).toBe(1)
    expect(step.log).toMatch(
      /::error::Input "api-key" is required: add your AI\/ML API key as a repository secret \(e\.g\. AIMLAPI_API_KEY\)/
    )
    expect(scenario.model.requests).toHaveLength(0)
  })
})
