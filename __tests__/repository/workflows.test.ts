/**
 * The repository's GitHub files are checked like code: the workflows with actionlint and the workflow schema,
 * action.yml with the action schema, dependabot.yml with the documented options, and the README's workflow
 * examples with actionlint too. Each validator is first shown to reject a deliberately broken file, so a green
 * run means the files were really checked.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { parse, parseDocument } from 'yaml'
import {
  checkActionMetadata,
  checkDependabot,
  checkWorkflowSchema,
  lintWorkflow
} from '../../__fixtures__/repository/validators.js'

const ROOT = new URL('../../', import.meta.url)
const read = (path: string): string => readFileSync(new URL(path, ROOT), 'utf8')

const WORKFLOW_FILES = readdirSync(new URL('.github/workflows/', ROOT))
  .filter((name) => /\.ya?ml$/.test(name))
  .sort()
  .map((name) => `.github/workflows/${name}`)
const CI = read('.github/workflows/ci.yml')

interface Step {
  readonly uses?: string
  readonly run?: string
  readonly with?: Record<string, unknown>
}
interface Job {
  readonly if?: string
  readonly permissions?: Record<string, string> | string
  readonly steps?: Step[]
}
interface DispatchTrigger {
  readonly workflow_dispatch?: { readonly inputs?: Record<string, { readonly description?: string }> }
}
interface Workflow {
  readonly on?: unknown
  readonly permissions?: Record<string, string> | string
  readonly jobs?: Record<string, Job>
}

/** A copy of ci.yml with one change, made through the YAML document so the rest stays as written. */
function editCi(edit: (document: ReturnType<typeof parseDocument>) => void): string {
  const document = parseDocument(CI)
  edit(document)
  return String(document)
}

describe('workflows', () => {
  it('include ci.yml', () => {
    expect(WORKFLOW_FILES).toContain('.github/workflows/ci.yml')
  })

  it.each(WORKFLOW_FILES)('%s passes actionlint', async (path) => {
    expect(await lintWorkflow(read(path), path)).toEqual([])
  })

  it.each(WORKFLOW_FILES)('%s passes the workflow schema', (path) => {
    expect(checkWorkflowSchema(read(path))).toEqual([])
  })

  it.each(WORKFLOW_FILES)('%s sets the token permissions and pins every action to a major version', (path) => {
    const workflow = parse(read(path)) as Workflow
    expect(workflow.permissions).toBeDefined()
    const remote = Object.values(workflow.jobs ?? {})
      .flatMap((job) => job.steps ?? [])
      .flatMap((step) => (step.uses === undefined || step.uses.startsWith('./') ? [] : [step.uses]))
    expect(remote.length).toBeGreaterThan(0)
    for (const uses of remote) expect(uses).toMatch(/^[\w.-]+\/[\w./-]+@v\d+$/)
  })
})

describe('a broken workflow', () => {
  it.each<[string, (document: ReturnType<typeof parseDocument>) => void, RegExp]>([
    ['a job without runs-on', (d) => d.deleteIn(['jobs', 'test', 'runs-on']), /"runs-on" section is missing/],
    ['a misspelt key', (d) => d.setIn(['jobs', 'test', 'timeout-minute'], 30), /unexpected key "timeout-minute"/],
    [
      'a job needing a job that does not exist',
      (d) => d.setIn(['jobs', 'dry-run', 'needs'], 'build'),
      /needs job "build"/
    ],
    [
      'a context property that does not exist',
      (d) => d.setIn(['jobs', 'dry-run', 'if'], "github.event_nam == 'pull_request'"),
      /property "event_nam" is not defined/
    ],
    [
      'pull request text pasted into a shell script',
      (d) => d.addIn(['jobs', 'test', 'steps'], { run: 'echo "${{ github.event.pull_request.title }}"' }),
      /"github.event.pull_request.title" is potentially untrusted/
    ]
  ])('fails actionlint: %s', async (_name, edit, expected) => {
    const problems = await lintWorkflow(editCi(edit), '.github/workflows/ci.yml')
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(expected)]))
  })

  it('fails the workflow schema', () => {
    const broken = editCi((d) => d.setIn(['jobs', 'test', 'timeout-minute'], 30))
    expect(checkWorkflowSchema(broken)).not.toEqual([])
  })
})

describe('ci.yml', () => {
  const ci = parse(CI) as Workflow
  const jobs = ci.jobs ?? {}
  const runs = (job: Job | undefined): string[] =>
    (job?.steps ?? []).flatMap((step) => (step.run === undefined ? [] : [step.run]))

  it('runs on pull requests and pushes to main, with a read-only token', () => {
    expect(ci.on).toEqual({ pull_request: null, push: { branches: ['main'] } })
    expect(ci.permissions).toEqual({ contents: 'read' })
  })

  it('installs, lints, type-checks, tests and fails when dist/ differs from a fresh bundle', () => {
    const script = runs(jobs.test).join('\n')
    for (const command of ['npm ci', 'npm run lint', 'npm run typecheck', 'npm test', 'npm run bundle']) {
      expect(script).toContain(command)
    }
    expect(script).toMatch(/git diff --exit-code .*-- dist/)
    expect(script.indexOf('npm run bundle')).toBeLessThan(script.indexOf('git diff --exit-code'))
  })

  it("dry-runs this pull request's own action with read access only and no secret, so forks can run it too", () => {
    const dryRun = jobs['dry-run']
    expect(dryRun?.if).toBe("github.event_name == 'pull_request'")
    expect(dryRun?.permissions).toEqual({ contents: 'read', 'pull-requests': 'read' })
    const self = (dryRun?.steps ?? []).filter((step) => step.uses === './')
    expect(self).toHaveLength(1)
    expect(self[0]?.with?.['dry-run']).toBe(true)
    expect(CI).not.toMatch(/\$\{\{[^}]*\bsecrets\./)
  })
})

describe('steps that run this action (uses: ./)', () => {
  const declared = Object.keys((parse(read('action.yml')) as { inputs: Record<string, unknown> }).inputs)
  const passed = WORKFLOW_FILES.flatMap((path) =>
    Object.values((parse(read(path)) as Workflow).jobs ?? {})
      .flatMap((job) => job.steps ?? [])
      .filter((step) => step.uses === './')
      .flatMap((step) => Object.keys(step.with ?? {}).map((input) => `${path}: ${input}`))
  )

  it('pass only inputs that action.yml declares', () => {
    expect(passed.length).toBeGreaterThan(0)
    const unknown = passed.filter((entry) => {
      const input = entry.slice(entry.lastIndexOf(' ') + 1)
      return !declared.includes(input)
    })
    expect(unknown).toEqual([])
  })
})

describe('action.yml', () => {
  const action = read('action.yml')

  it('passes the action schema', () => {
    expect(checkActionMetadata(action)).toEqual([])
  })

  it.each<[string, (text: string) => string]>([
    ['a branding colour GitHub does not offer', (text) => text.replace('color: purple', 'color: pink')],
    ['no entry point', (text) => text.replace(/^ {2}main: dist\/index\.js\n/m, '')],
    ['an unknown runtime', (text) => text.replace('using: node24', 'using: node8')]
  ])('fails the action schema with %s', (_name, breakIt) => {
    const broken = breakIt(action)
    expect(broken).not.toBe(action)
    expect(checkActionMetadata(broken)).not.toEqual([])
  })
})

describe('dependabot.yml', () => {
  const source = read('.github/dependabot.yml')
  const config = parse(source) as {
    updates: {
      'package-ecosystem': string
      schedule: { interval: string }
      groups?: Record<string, { 'update-types'?: string[] }>
      ignore?: { 'dependency-name': string; versions?: string[] }[]
    }[]
  }
  const npm = config.updates.find((update) => update['package-ecosystem'] === 'npm')
  const packageJson = JSON.parse(read('package.json')) as Record<string, Record<string, string>>

  it('passes the schema of the documented options', () => {
    expect(checkDependabot(source)).toEqual([])
  })

  it('updates npm and GitHub Actions weekly, minor and patch updates grouped', () => {
    expect(config.updates.map((update) => update['package-ecosystem']).sort()).toEqual(['github-actions', 'npm'])
    for (const update of config.updates) {
      expect(update.schedule.interval).toBe('weekly')
      const grouped = Object.values(update.groups ?? {}).map((group) => [...(group['update-types'] ?? [])].sort())
      expect(grouped).toContainEqual(['minor', 'patch'])
    }
  })

  it.each([
    ['undici', '>=8', /^\^7\./],
    ['typescript', '>=7', /^\^6\./]
  ])('keeps %s below its next major (%s ignored), where package.json is', (name, ignored, declared) => {
    expect(npm?.ignore).toContainEqual({ 'dependency-name': name, versions: [ignored] })
    expect(packageJson.dependencies?.[name] ?? packageJson.devDependencies?.[name]).toMatch(declared)
  })

  it.each<[string, (text: string) => string]>([
    ['a misspelt interval', (text) => text.replace('interval: weekly', 'interval: weekley')],
    ['a misspelt group option', (text) => text.replace('update-types: [minor, patch]', 'update-type: [minor, patch]')],
    ['an ignore rule without a dependency name', (text) => text.replace('- dependency-name: undici', '- name: undici')],
    ['an update without a directory', (text) => text.replace(/^ {4}directory: \/\n/m, '')]
  ])('rejects %s', (_name, breakIt) => {
    const broken = breakIt(source)
    expect(broken).not.toBe(source)
    expect(checkDependabot(broken)).not.toEqual([])
  })
})

describe("the README's workflow examples", () => {
  const blocks = [...read('README.md').matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '')
  /** Examples that elide the middle with `# ...` are checked up to there; whole workflows are linted. */
  const parsed = blocks.map((block, index) => ({
    index,
    block,
    head: parse(block.split(/^# \.\.\.$/m)[0] ?? '') as unknown
  }))
  const isWorkflow = (value: unknown): value is Workflow =>
    typeof value === 'object' && value !== null && 'on' in value && 'jobs' in value
  const workflows = parsed.filter((entry) => isWorkflow(entry.head) && !entry.block.includes('# ...'))

  it('include whole workflows', () => {
    expect(workflows.length).toBeGreaterThanOrEqual(4)
  })

  const examples = workflows.map((entry) => [entry.index, entry.block] as const)

  it.each(examples)('example %i passes actionlint', async (index, block) => {
    expect(await lintWorkflow(block, `README.md example ${index}`)).toEqual([])
  })

  it('describe every workflow_dispatch input', () => {
    const inputs = parsed.flatMap(({ index, head }) => {
      const on = (head as Workflow | null)?.on as DispatchTrigger | undefined
      return Object.entries(on?.workflow_dispatch?.inputs ?? {}).map(([name, input]) => ({ index, name, input }))
    })
    expect(inputs.length).toBeGreaterThan(0)
    const undescribed = inputs.filter(({ input }) => (input.description ?? '').trim() === '')
    expect(undescribed.map(({ index, name }) => `example ${index}: ${name}`)).toEqual([])
  })
})
