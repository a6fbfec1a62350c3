import { readFileSync } from 'node:fs'
import { readCliSettings } from '../../src/cli/cli-settings.js'
import { FLAG_SPECS, parseCommandLine, renderHelp, type FlagValues } from '../../src/cli/flags.js'
import { toFlagWording, UsageError } from '../../src/cli/usage-error.js'
import { CLI_VERSION } from '../../src/cli/version.js'
import { DEFAULTS } from '../../src/config/review-settings.js'

function valuesOf(argv: string[]): FlagValues {
  const parsed = parseCommandLine(argv)
  if (parsed.kind !== 'run') throw new Error(`expected a run, got ${parsed.kind}`)
  return parsed.values
}

function usageMessage(run: () => unknown): string {
  try {
    run()
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(UsageError)
    return (error as Error).message
  }
  throw new Error('expected a UsageError')
}

describe('parseCommandLine', () => {
  it.each([
    [['--help'], 'help'],
    [['-h'], 'help'],
    [['--version'], 'version'],
    [['--dry-run', '--base', 'HEAD~2'], 'run']
  ])('%j is a %s command', (argv, kind) => {
    expect(parseCommandLine(argv).kind).toBe(kind)
  })

  it.each([
    [['--frobnicate'], 'Unknown flag --frobnicate'],
    [['--base'], 'Flag --base needs a value'],
    [['HEAD~2'], 'Unexpected argument "HEAD~2"'],
    [['--api-key', 'sk-123'], 'Flag --api-key is not accepted'],
    [['--api-key=sk-123'], 'CODEX_REVIEW_API_KEY'],
    [['--diff', 'x.diff', '--base', 'main'], 'Flag --diff cannot be combined with --base or --head'],
    [['--head', '--upload-pack=evil'], 'Flag --head is followed by a value starting with "-"'],
    [['--head=--upload-pack=evil'], 'Flag --head must be a git ref, not "--upload-pack=evil"'],
    [['--base', ''], 'Flag --base needs a value']
  ])('%j is refused: %s', (argv, expected) => {
    expect(usageMessage(() => parseCommandLine(argv))).toContain(expected)
  })

  it('collects repeated --include and --exclude', () => {
    const settings = readCliSettings(
      valuesOf(['--include', 'src/**', '--include', 'lib/**,bin/*', '--exclude', '**/*.test.ts'])
    )
    expect(settings.review.include).toEqual(['src/**', 'lib/**', 'bin/*'])
    expect(settings.review.exclude).toEqual(['**/*.test.ts'])
  })
})

describe('readCliSettings', () => {
  it('uses the action defaults when no flag is given', () => {
    const settings = readCliSettings(valuesOf([]))
    expect(settings.review).toMatchObject({
      model: DEFAULTS.model,
      baseUrl: DEFAULTS.baseUrl,
      maxChunkTokens: DEFAULTS.maxChunkTokens,
      maxOutputTokens: DEFAULTS.maxOutputTokens,
      maxConcurrency: DEFAULTS.maxConcurrency,
      maxComments: DEFAULTS.maxComments
    })
    expect(settings).toMatchObject({ format: 'text', dryRun: false, prices: {} })
    expect(settings.outputTokensPerRequest).toBeUndefined()
  })

  it('reads every review flag under the action input of the same name', () => {
    const settings = readCliSettings(
      valuesOf([
        '--model',
        'openai/gpt-5-1-codex',
        '--base-url',
        'http://127.0.0.1:9/v1/',
        '--reasoning-effort',
        'HIGH',
        '--max-chunk-tokens',
        '4000',
        '--max-output-tokens',
        '8000',
        '--max-comments',
        '3',
        '--max-concurrency',
        '2',
        '--format',
        'json',
        '--price-input',
        '1.5',
        '--price-cached-input',
        '0.15',
        '--price-output',
        '12',
        '--output-tokens-per-request',
        '2500',
        '--title',
        'T',
        '--description',
        'D'
      ])
    )
    expect(settings.review).toMatchObject({
      model: 'openai/gpt-5-1-codex',
      baseUrl: 'http://127.0.0.1:9/v1',
      reasoningEffort: 'high',
      maxChunkTokens: 4000,
      maxOutputTokens: 8000,
      maxComments: 3,
      maxConcurrency: 2
    })
    expect(settings).toMatchObject({
      format: 'json',
      prices: { input: 1.5, cachedInput: 0.15, output: 12 },
      outputTokensPerRequest: 2500,
      title: 'T',
      description: 'D'
    })
  })

  it('reads the model, limit and team flags under the action inputs of the same names', () => {
    const settings = readCliSettings(
      valuesOf([
        '--api',
        'chat-completions',
        '--escalation-model',
        'openai/gpt-5-1',
        '--escalate-paths',
        'src/auth/**',
        '--escalate-paths',
        'db/**,infra/*',
        '--verify-severity',
        'High',
        '--time-budget-minutes',
        '0',
        '--tokens-per-minute',
        '90000',
        '--severity-threshold',
        'medium',
        '--fail-on-severity',
        'critical',
        '--language',
        'German',
        '--config',
        'team/review.yml'
      ])
    )
    expect(settings.review).toMatchObject({
      api: 'chat-completions',
      escalationModel: 'openai/gpt-5-1',
      escalatePaths: ['src/auth/**', 'db/**', 'infra/*'],
      verifySeverity: 'high',
      timeBudgetMinutes: 0,
      tokensPerMinute: 90_000,
      severityThreshold: 'medium',
      failOnSeverity: 'critical',
      language: 'German'
    })
    expect(settings.configPath).toBe('team/review.yml')
  })

  it('keeps the action defaults for the model, limit and team flags', () => {
    const { review, configPath } = readCliSettings(valuesOf([]))
    expect(review).toMatchObject({
      api: 'auto',
      escalationModel: DEFAULTS.escalationModel,
      escalatePaths: [],
      verifySeverity: 'off',
      timeBudgetMinutes: DEFAULTS.timeBudgetMinutes,
      tokensPerMinute: 0,
      severityThreshold: 'nit',
      failOnSeverity: 'off',
      language: '',
      configFile: DEFAULTS.configFile
    })
    expect(configPath).toBeUndefined()
  })

  it.each([
    [['--api', 'graphql'], 'Flag --api must be one of auto, responses, chat-completions; got "graphql".'],
    [['--escalation-model', 'big model'], 'Flag --escalation-model is not a valid model id'],
    [['--escalate-paths', 'src/[x'], 'Flag --escalate-paths has an invalid glob "src/[x"'],
    [
      ['--verify-severity', 'urgent'],
      'Flag --verify-severity must be one of critical, high, medium, low, nit, off; got "urgent".'
    ],
    [['--time-budget-minutes', '999'], 'Flag --time-budget-minutes must be between 0 and 360; got 999.'],
    [['--tokens-per-minute=-5'], 'Flag --tokens-per-minute must be'],
    [
      ['--severity-threshold', 'off'],
      'Flag --severity-threshold must be one of critical, high, medium, low, nit; got "off".'
    ],
    [
      ['--fail-on-severity', 'always'],
      'Flag --fail-on-severity must be one of critical, high, medium, low, nit, off; got "always".'
    ],
    [['--language', 'de<script>'], 'Flag --language must be a language name or code'],
    [['--max-chunk-tokens', '10'], 'Flag --max-chunk-tokens must be between 256 and 200000; got 10.'],
    [['--max-concurrency', 'lots'], 'Flag --max-concurrency must be a whole number'],
    [['--reasoning-effort', 'max'], 'Flag --reasoning-effort must be one of low, medium, high; got "max".'],
    [['--include', 'src/[abc'], 'Flag --include has an invalid glob "src/[abc"'],
    [['--base-url', 'ftp://example.com'], 'Flag --base-url must use http or https'],
    [
      ['--base-url', 'https://user:pw@example.com/v1'],
      'pass the key through the CODEX_REVIEW_API_KEY (or AIMLAPI_API_KEY) environment variable'
    ],
    [['--model', 'bad model'], 'Flag --model is not a valid model id'],
    [['--format', 'xml'], 'Flag --format must be one of text, json, markdown; got "xml".'],
    [['--price-input=-1'], 'Flag --price-input must be a number from 0 to 10000; got "-1".'],
    [['--output-tokens-per-request', '0'], 'Flag --output-tokens-per-request must be a number from 1']
  ])('%j fails naming the flag', (argv, expected) => {
    const message = usageMessage(() => readCliSettings(valuesOf(argv)))
    expect(message).toContain(expected)
    expect(message).not.toContain('Input "')
  })
})

describe('--help and --version', () => {
  it('lists every flag, with the action defaults, and no default for a switch that is off unless given', () => {
    const help = renderHelp()
    const lines = help.split('\n')
    for (const spec of FLAG_SPECS) {
      const usage = `--${spec.name}${spec.value === undefined ? '' : ` ${spec.value}`}`
      const start = lines.findIndex(
        (candidate) => (candidate.startsWith('  ') && candidate.includes(`${usage} `)) || candidate.endsWith(usage)
      )
      expect(start).toBeGreaterThanOrEqual(0)
      // The flag's entry: its line and the indented lines that continue its description.
      const end = lines.findIndex((candidate, index) => index > start && !/^ {20,}\S/.test(candidate))
      const entry = lines.slice(start, end).join(' ').replace(/\s+/g, ' ')
      if (spec.kind === 'boolean' || spec.defaultText === 'off') expect(entry).not.toContain('(default:')
      else expect(entry.endsWith(` (default: ${spec.defaultText})`)).toBe(true)
    }
    expect(help).not.toContain('(default: off)')
    // Wrapped text, read as one line of words.
    const flat = help.replace(/\s+/g, ' ')
    expect(flat).toContain('--time-budget-minutes N')
    expect(flat).toContain(`(default: ${DEFAULTS.timeBudgetMinutes})`)
    expect(flat).toContain('--escalate-paths GLOB')
    expect(flat).toContain(`(default: ${DEFAULTS.escalationModel})`)
    expect(flat).toContain(`--config FILE`)
    expect(flat).toContain(`(default: ${DEFAULTS.configFile} at the --base commit, if there)`)
    expect(flat).toContain('--fail-on-severity reached')
    expect(flat).toContain(`(default: ${DEFAULTS.model})`)
    expect(flat).toContain(`(default: ${DEFAULTS.maxChunkTokens})`)
    expect(flat).toContain('CODEX_REVIEW_API_KEY')
    expect(flat).toContain('Exit codes: 0')
  })

  it.each([80, 60, 132])('wraps every line to %i columns', (width) => {
    const lines = renderHelp(width).split('\n')
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(width)
    // Continuation lines of a description line up under its start.
    expect(lines.some((line) => /^ {6,}\S/.test(line))).toBe(true)
  })

  it('reports the version of package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
    expect(CLI_VERSION).toBe(pkg.version)
  })
})

describe('toFlagWording', () => {
  it.each([
    [
      'Input "max-comments" must be between 0 and 200; got 500.',
      'Flag --max-comments must be between 0 and 200; got 500.'
    ],
    [
      'Check the `api-key` input and the secret it reads: the key is missing, invalid or revoked.',
      'Check the CODEX_REVIEW_API_KEY (or AIMLAPI_API_KEY) environment variable and the secret it reads: the key is missing, invalid or revoked.'
    ],
    [
      'raise the `max-output-tokens` input, or lower `max-chunk-tokens` so each chunk is smaller',
      'raise the --max-output-tokens flag, or lower --max-chunk-tokens so each chunk is smaller'
    ],
    [
      'Input "api" is "responses", but openai/gpt-5-1 (input "escalation-model") is served only by /chat/completions. Use `api: auto` to pick its endpoint.',
      'Flag --api is "responses", but openai/gpt-5-1 (flag --escalation-model) is served only by /chat/completions. Use --api auto to pick its endpoint.'
    ],
    [
      'Inputs "max-chunk-tokens" (200,000) and "max-output-tokens" (128,000) with about 4,000 tokens exceed the window',
      'Flags --max-chunk-tokens (200,000) and --max-output-tokens (128,000) with about 4,000 tokens exceed the window'
    ],
    ['(raise `time-budget-minutes`, or 0 for no limit).', '(raise --time-budget-minutes, or 0 for no limit).'],
    ['The model stopped early (content_filter)', 'The model stopped early (content_filter)']
  ])('%s', (action, cli) => {
    expect(toFlagWording(action)).toBe(cli)
  })
})
