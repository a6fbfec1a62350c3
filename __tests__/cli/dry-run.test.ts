/**
 * The dry run on real git repositories made in the test: which range is diffed, the plan it prints (every
 * file reviewed or skipped with its reason, chunks, requests, cost), and errors that name the flag.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PlanReport } from '../../src/report/plan-report.js'
import { EXIT_OK, EXIT_USAGE } from '../../src/cli/run-cli.js'
import { codeLines, createFeatureRepo, createTempRepo, runCliCapture, type TempRepo } from './cli-harness.js'

const SAMPLE_DIFF = readFileSync(new URL('../../__fixtures__/e2e/sample-pr.diff', import.meta.url), 'utf8')

function parsePlan(stdout: string): PlanReport {
  const report = JSON.parse(stdout) as PlanReport
  expect(report.mode).toBe('plan')
  return report
}

describe('the dry run on a git repository', () => {
  let repo: TempRepo

  beforeAll(() => {
    repo = createFeatureRepo()
  })
  afterAll(() => repo.remove())

  it('diffs the merge-base with main against the working tree and prints the whole plan', async () => {
    const result = await runCliCapture(['--dry-run'], { cwd: repo.dir })

    expect(result.code).toBe(EXIT_OK)
    const out = result.stdout
    expect(out).toMatch(/^Plan for main \(merge-base [0-9a-f]{12}\) → working tree/)
    expect(out).toContain('5 file(s) changed: 2 to review, 3 skipped.')
    expect(out).toMatch(/src\/app\.ts {2}modified, \+2 -2, chunk 1/)
    expect(out).toMatch(/src\/util\.ts {2}added, \+13 -0, chunk 1/)
    expect(out).toContain('package-lock.json  lockfile\n')
    expect(out).toContain('public/bundle.min.js  minified:')
    expect(out).toContain('src/old.ts  deleted\n')
    expect(out).toMatch(/#1 {2}[\d,]+ tokens, 17 changed lines: src\/app\.ts, src\/util\.ts/)
    expect(out).toContain('Requests: 1 (one per chunk).')
    expect(out).toMatch(/Estimated cost: \$0\.\d{4} \(at most \$0\.\d{4}/)
    // The CLI can be told the real output figure; the action's dry run cannot, and does not say so.
    expect(out).toContain('(assumed for effort medium; set --output-tokens-per-request), reasoning included.')
    expect(out).toContain('Cost ceiling: none (--max-cost-usd 0).')
    expect(result.stderr).toContain('2 to review, 3 skipped; 1 chunk(s)')
  })

  it('leaves the working tree out with --head, and takes --base as given', async () => {
    const committed = parsePlan(
      (await runCliCapture(['--dry-run', '--head', 'feature', '--format', 'json'], { cwd: repo.dir })).stdout
    )
    expect(committed.reviewed.find((file) => file.path === 'src/util.ts')).toMatchObject({ additions: 12 })
    expect(committed.source).toMatch(/^main \(merge-base [0-9a-f]{12}\) → feature \([0-9a-f]{12}\)$/)

    const sinceFeature = parsePlan(
      (await runCliCapture(['--dry-run', '--base', 'feature', '--format', 'json'], { cwd: repo.dir })).stdout
    )
    expect(sinceFeature.reviewed.map((file) => [file.path, file.additions, file.deletions])).toEqual([
      ['src/util.ts', 1, 0]
    ])
  })

  it('prints a machine-readable plan whose chunks hold every reviewed file', async () => {
    const result = await runCliCapture(['--format', 'json', '--max-concurrency', '1'], { cwd: repo.dir })
    const report = parsePlan(result.stdout)

    expect(report.requests).toBe(report.chunks.length)
    expect(report.skipped.map((file) => [file.path, file.reason])).toEqual(
      expect.arrayContaining([
        ['package-lock.json', 'lockfile'],
        ['public/bundle.min.js', 'minified'],
        ['src/old.ts', 'deleted']
      ])
    )
    for (const file of report.reviewed) expect(file.chunks.length).toBeGreaterThan(0)
    expect(report.diffTokens).toBe(report.chunks.reduce((sum, chunk) => sum + chunk.tokens, 0))
    const { overhead, estimate } = report
    const perRequest = overhead.instructionTokens + overhead.schemaTokens + overhead.wrapperTokens
    // Each request carries its diff, its context and the fixed part.
    expect(report.contextTokens).toBe(report.chunks.reduce((sum, chunk) => sum + chunk.contextTokens, 0))
    expect(report.contextTokens).toBeGreaterThan(0)
    expect(estimate.inputTokens).toBe(report.diffTokens + report.contextTokens + report.requests * perRequest)
    expect(estimate.outputTokensPerRequest).toBe(3_000)
    expect(estimate.usd).toBeGreaterThan(0)
    expect(result.stderr).toContain('No API key in CODEX_REVIEW_API_KEY or AIMLAPI_API_KEY: dry run')
  })

  it('splits into more requests under a smaller budget and prices with the price flags', async () => {
    const argv = [
      '--dry-run',
      '--format',
      'json',
      '--max-chunk-tokens',
      '256',
      '--price-input',
      '100',
      '--price-cached-input',
      '10',
      '--price-output',
      '0'
    ]
    const report = parsePlan((await runCliCapture(argv, { cwd: repo.dir })).stdout)
    expect(report.requests).toBeGreaterThan(1)
    for (const chunk of report.chunks) expect(chunk.tokens).toBeLessThanOrEqual(256)
    expect(report.estimate.priceSource).toBe('flags')
    const { inputTokens, cachedInputTokens } = report.estimate
    expect(report.estimate.usd).toBeCloseTo(
      ((inputTokens - cachedInputTokens) * 100 + cachedInputTokens * 10) / 1_000_000,
      10
    )
  })

  it('explains each skip on stderr with --verbose, and only then', async () => {
    const verbose = await runCliCapture(['--dry-run', '--verbose'], { cwd: repo.dir })
    expect(verbose.stderr).toContain('debug: skip package-lock.json: lockfile\n')
    const quiet = await runCliCapture(['--dry-run'], { cwd: repo.dir })
    expect(quiet.stderr).not.toContain('debug:')
  })

  it('prints Markdown tables with --format markdown', async () => {
    const result = await runCliCapture(['--dry-run', '--format', 'markdown'], { cwd: repo.dir })
    expect(result.stdout).toContain('| `src/app.ts` | modified | 2 | 2 | 1 |')
    expect(result.stdout).toContain('| `package-lock.json` | lockfile |')
  })

  it('asks for prices instead of guessing for a model it does not know', async () => {
    const result = await runCliCapture(['--dry-run', '--model', 'acme/reviewer-9'], { cwd: repo.dir })
    expect(result.code).toBe(EXIT_OK)
    expect(result.stdout).toContain(
      'no built-in prices for acme/reviewer-9; pass --price-input, --price-cached-input, --price-output'
    )
  })

  it.each([
    [['--base', 'no-such-branch'], 'Flag --base: "no-such-branch" is not a commit in this repository'],
    [['--head', 'v9.9.9'], 'Flag --head: "v9.9.9" is not a commit in this repository'],
    [['--max-chunk-tokens', '12'], 'Flag --max-chunk-tokens must be between 256 and 200000'],
    [['--diff', 'missing.diff'], 'Flag --diff: cannot read "missing.diff" (no such file)']
  ])('%j exits 2 naming the flag', async (argv, message) => {
    const result = await runCliCapture(argv, { cwd: repo.dir })
    expect(result.code).toBe(EXIT_USAGE)
    expect(result.stderr).toContain(message)
    expect(result.stdout).toBe('')
  })
})

describe('finding the base', () => {
  it('falls back to master, and explains when there is no default branch at all', async () => {
    const repo = createTempRepo()
    try {
      repo.write('a.ts', codeLines(3, 'a'))
      repo.commitAll('one')
      repo.git('branch', '-m', 'trunk')
      repo.write('a.ts', codeLines(4, 'a'))
      const none = await runCliCapture(['--dry-run'], { cwd: repo.dir })
      expect(none.code).toBe(EXIT_USAGE)
      expect(none.stderr).toContain(
        'Flag --base is needed here: no default branch was found (no origin/HEAD, main or master)'
      )

      repo.git('branch', 'master')
      const fallback = await runCliCapture(['--dry-run', '--format', 'json'], { cwd: repo.dir })
      expect(fallback.code).toBe(EXIT_OK)
      expect(parsePlan(fallback.stdout).source).toMatch(/^master \(merge-base/)
    } finally {
      repo.remove()
    }
  })

  it('prefers origin/HEAD when the clone has one', async () => {
    const upstream = createFeatureRepo()
    const clone = createTempRepo()
    try {
      clone.git('remote', 'add', 'origin', upstream.dir)
      clone.git('fetch', '--quiet', 'origin')
      clone.git('remote', 'set-head', 'origin', 'main')
      clone.git('checkout', '--quiet', '-b', 'work', 'origin/feature')
      const report = parsePlan((await runCliCapture(['--format', 'json'], { cwd: clone.dir })).stdout)
      expect(report.source).toMatch(/^origin\/main \(merge-base/)
      expect(report.reviewed.map((file) => file.path)).toEqual(['src/app.ts', 'src/util.ts'])
    } finally {
      upstream.remove()
      clone.remove()
    }
  })

  it('says to pass --diff outside a git repository', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codex-pr-review-no-repo-'))
    try {
      const result = await runCliCapture(['--dry-run'], { cwd: dir, env: { GIT_CEILING_DIRECTORIES: tmpdir() } })
      expect(result.code).toBe(EXIT_USAGE)
      expect(result.stderr).toContain('This is not a git repository')
      expect(result.stderr).toContain('--diff FILE')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('--diff', () => {
  it('plans a diff read from stdin with --diff -', async () => {
    const result = await runCliCapture(['--diff', '-', '--format', 'json'], { stdin: SAMPLE_DIFF, cwd: '/' })
    expect(result.code).toBe(EXIT_OK)
    const report = parsePlan(result.stdout)
    expect(report.source).toBe('diff from stdin')
    expect(report.reviewed.length).toBeGreaterThan(0)
    expect(report.requests).toBe(report.chunks.length)
  })

  it('plans a diff file, resolved against the working directory', async () => {
    const repo = createTempRepo()
    try {
      repo.write('change.diff', SAMPLE_DIFF)
      const fromFile = await runCliCapture(['--diff', 'change.diff', '--format', 'json'], { cwd: repo.dir })
      const fromStdin = await runCliCapture(['--diff', '-', '--format', 'json'], { stdin: SAMPLE_DIFF })
      expect(parsePlan(fromFile.stdout).source).toBe('diff file change.diff')
      expect(parsePlan(fromFile.stdout).chunks).toEqual(parsePlan(fromStdin.stdout).chunks)
    } finally {
      repo.remove()
    }
  })

  it('reports an empty diff as nothing to review', async () => {
    const result = await runCliCapture(['--diff', '-'], { stdin: '' })
    expect(result.code).toBe(EXIT_OK)
    expect(result.stdout).toContain('0 file(s) changed')
    expect(result.stdout).toContain('Nothing to send: no request, no cost.')
    expect(result.stderr).toContain('Nothing to review')
  })
})
