/**
 * Runs git on a repository whose contents, configuration included, may be hostile (a pull request's checkout):
 * no shell, a scrubbed environment, and command-line settings that switch off every configured program our
 * read-only commands could reach.
 */
import { execFile } from 'node:child_process'

/** Settings given on the command line, which win over any repository or user configuration. */
const HARDENING_CONFIG: readonly string[] = [
  // The file-system monitor hook is a program run whenever git reads the index.
  'core.fsmonitor=false',
  'core.untrackedCache=false',
  // Hooks never run for reads, but a hooks path that points nowhere costs nothing.
  'core.hooksPath=/dev/null',
  // A partial clone fetches missing objects on demand through a transport (and its configured upload-pack or
  // ssh command): refuse every transport, so nothing is fetched and nothing is run.
  'protocol.allow=never',
  'credential.helper=',
  'core.askPass=',
  'core.pager=cat',
  'gc.auto=0',
  'maintenance.auto=false',
  'grep.fallbackToNoIndex=false'
]

/**
 * The git arguments that come before every command. Textconv filters and `diff.external` only run for diffs
 * and for `grep --textconv`: we run no diff and pass `--no-textconv` to grep. `cat-file --batch` without
 * `--filters` applies no clean/smudge filter.
 */
export const HARDENED_GIT_ARGS: readonly string[] = [
  '--no-pager',
  '--no-replace-objects',
  ...HARDENING_CONFIG.flatMap((setting) => ['-c', setting])
]

/**
 * The environment git runs with: the caller's, without any `GIT_*` variable (`GIT_CONFIG_*` can inject
 * settings, `GIT_DIR` or `GIT_EXTERNAL_DIFF` redirect it), in the C locale, never prompting, never fetching.
 */
export function hardenedGitEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(base)) {
    if (!key.toUpperCase().startsWith('GIT_') && value !== undefined) env[key] = value
  }
  return {
    ...env,
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_NO_LAZY_FETCH: '1',
    GIT_PROTOCOL_FROM_USER: '0'
  }
}

/** A failed git command: its exit code (a number, or the signal) and the first line git wrote to stderr. */
export class GitCommandError extends Error {
  override readonly name = 'GitCommandError'
  constructor(
    message: string,
    readonly exitCode: number | string | undefined
  ) {
    super(message)
  }
}

/** The git command `args` run, past the `-c name=value` settings before it: what an error should name. */
function subcommandOf(args: readonly string[]): string {
  let index = 0
  while (args[index] === '-c') index += 2
  return args[index] ?? ''
}

/** Runs git commands in one repository. */
export interface GitRunner {
  /** Runs `git <hardening> <args>`; resolves with stdout, rejects with a {@link GitCommandError}. */
  run(args: readonly string[], options?: GitRunOptions): Promise<Buffer>
}

/** Per-command options. */
export interface GitRunOptions {
  /** Written to git's stdin, which is then closed. */
  readonly input?: string
  /** Most bytes of stdout to accept (default 64 MiB). */
  readonly maxBuffer?: number
  /** Milliseconds before git is killed (default 60 s). */
  readonly timeoutMs?: number
}

/** How to reach git. */
export interface GitRunnerOptions {
  readonly cwd: string
  /** The git program (default `git` on the PATH). */
  readonly gitBinary?: string
  /** The environment to scrub and run with (default this process's). */
  readonly env?: NodeJS.ProcessEnv
}

const DEFAULT_MAX_BUFFER = 64 * 1024 * 1024
const DEFAULT_TIMEOUT_MS = 60_000

/** A runner for the repository at `cwd`. */
export function createGitRunner(options: GitRunnerOptions): GitRunner {
  const env = hardenedGitEnv(options.env ?? process.env)
  const gitBinary = options.gitBinary ?? 'git'
  return {
    run: (args, runOptions = {}) =>
      new Promise<Buffer>((resolve, reject) => {
        const child = execFile(
          gitBinary,
          [...HARDENED_GIT_ARGS, ...args],
          {
            cwd: options.cwd,
            env,
            encoding: 'buffer',
            maxBuffer: runOptions.maxBuffer ?? DEFAULT_MAX_BUFFER,
            timeout: runOptions.timeoutMs ?? DEFAULT_TIMEOUT_MS,
            windowsHide: true
          },
          (error, stdout, stderr) => {
            if (error === null) {
              resolve(stdout)
              return
            }
            const code = (error as { code?: unknown }).code
            const exitCode = typeof code === 'number' || typeof code === 'string' ? code : undefined
            const reason =
              code === 'ENOENT'
                ? `could not start ${gitBinary} (ENOENT): is git installed and on the PATH?`
                : (stderr.toString('utf8').split('\n', 1)[0]?.trim() ?? '')
            reject(
              new GitCommandError(`git ${subcommandOf(args)} failed${reason === '' ? '' : `: ${reason}`}`, exitCode)
            )
          }
        )
        // git may exit before reading all its input (a bad object id): that EPIPE is reported through exit.
        child.stdin?.on('error', () => undefined)
        child.stdin?.end(runOptions.input ?? '')
      })
  }
}
