/**
 * A repository whose change can only be judged with its context, for the context stage's tests: a logging call
 * added deep in a function logs `apiSecret`, a credential declared far above it (same file, outside the hunk),
 * and an upload handler now calls `purgeTree`, which an unchanged file defines as a recursive delete. The diff
 * alone shows neither. Also the scripted reviewer that reports the leak only when the declaration reached it.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { GIT_DIFF_FLAGS } from '../../src/cli/git.js'
import { readSentInput } from '../servers/chat-completions-shapes.js'
import type { RecordedRequest } from '../servers/responses-server.js'

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.com',
  GIT_CONFIG_NOSYSTEM: '1'
}

/** Lines of filler, so the declaration sits well outside any hunk. */
const FILLER = 40

function configFile(logged: boolean): string {
  const lines = [
    "import { logger } from './log.js'",
    '',
    "const apiSecret = process.env.API_SECRET ?? ''",
    "const region = process.env.REGION ?? 'eu-west-1'",
    '',
    ...Array.from({ length: FILLER }, (_, index) => `export const limit${index} = ${index * 10}`),
    '',
    'export function loadConfig(overrides) {',
    '  const settings = { region, ...overrides }',
    '  settings.retries = settings.retries ?? 3',
    ...(logged ? ["  logger.info('config loaded', apiSecret)"] : []),
    '  return settings',
    '}',
    ''
  ]
  return lines.join('\n')
}

function uploadFile(purged: boolean): string {
  return [
    "import { purgeTree } from './fs/tools.js'",
    '',
    'export async function handleUpload(uploadDir) {',
    ...(purged ? ['  await purgeTree(uploadDir)'] : []),
    '  return uploadDir',
    '}',
    ''
  ].join('\n')
}

const TOOLS = [
  "import { rm } from 'node:fs/promises'",
  '',
  '/** Deletes the whole directory tree, the directory included. */',
  'export async function purgeTree(dir) {',
  '  await rm(dir, { recursive: true, force: true })',
  '}',
  ''
].join('\n')

/** A repository at its head commit, with the base before the change. */
export interface ContextRepo {
  readonly dir: string
  readonly base: string
  readonly head: string
  /** `git diff base head` with the CLI's pinned flags. */
  readonly diff: string
  /** Every file at the head, for the fake GitHub's contents. */
  readonly headFiles: Record<string, string>
  /** The head line of the added logging call, and of the declaration it needs. */
  readonly loggedLine: number
  readonly secretLine: number
  git(...args: string[]): string
  remove(): void
}

/** Builds the repository (branch `main` at the base, `feature` at the head, checked out). */
export function createContextRepo(): ContextRepo {
  const dir = mkdtempSync(join(tmpdir(), 'codex-pr-review-context-repo-'))
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, env: GIT_ENV, encoding: 'utf8' })
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  git('init', '--quiet', '--initial-branch=main')
  write('src/config.js', configFile(false))
  write('src/upload.js', uploadFile(false))
  write('src/fs/tools.js', TOOLS)
  write('src/log.js', 'export const logger = console\n')
  git('add', '--all')
  git('commit', '--quiet', '--message', 'base')
  const base = git('rev-parse', 'HEAD').trim()
  git('checkout', '--quiet', '-b', 'feature')
  const headFiles: Record<string, string> = {
    'src/config.js': configFile(true),
    'src/upload.js': uploadFile(true),
    'src/fs/tools.js': TOOLS,
    'src/log.js': 'export const logger = console\n'
  }
  for (const [path, text] of Object.entries(headFiles)) write(path, text)
  git('add', '--all')
  git('commit', '--quiet', '--message', 'Log the config; purge uploads')
  const head = git('rev-parse', 'HEAD').trim()
  const lines = configFile(true).split('\n')
  return {
    dir,
    base,
    head,
    diff: git('diff', ...GIT_DIFF_FLAGS, base, head),
    headFiles,
    loggedLine: lines.findIndex((line) => line.includes('logger.info')) + 1,
    secretLine: lines.findIndex((line) => line.startsWith('const apiSecret')) + 1,
    git,
    remove: () => rmSync(dir, { recursive: true, force: true })
  }
}

/** True when the request carries the declaration of `apiSecret` as a numbered context line. */
export function sawSecretDeclaration(request: RecordedRequest): boolean {
  return /^ *\d+ \| const apiSecret = process\.env\.API_SECRET/m.test(readSentInput(request))
}

/**
 * The reviewer's judgement: the added logging call leaks a credential, which it can only tell when the
 * declaration of `apiSecret` is in the request. Cites the added line by its number in the diff.
 */
export function judgeSecretLeak(request: RecordedRequest): {
  overview: string
  findings: object[]
  verdict: 'correct' | 'incorrect'
  verdict_reason: string
  verdict_confidence: number
} {
  const input = readSentInput(request)
  const logged = /^ *(\d+) \+ +logger\.info\('config loaded', apiSecret\)/m.exec(input.slice(input.indexOf('<diff>')))
  if (!sawSecretDeclaration(request) || logged?.[1] === undefined) {
    return { overview: 'Logs the config.', findings: [], verdict: 'correct', verdict_reason: 'Nothing wrong seen.', verdict_confidence: 0.6 }
  }
  return {
    overview: 'Logs the config, including a credential.',
    findings: [
      {
        path: 'src/config.js',
        line: Number(logged[1]),
        start_line: null,
        severity: 'high',
        category: 'security',
        title: 'The API secret is written to the log',
        body: 'When the config loads, `apiSecret` (the `API_SECRET` credential) goes to the log. Log the region only.',
        replacement: null,
        confidence: 0.9
      }
    ],
    verdict: 'incorrect',
    verdict_reason: 'A credential is logged.',
    verdict_confidence: 0.9
  }
}
