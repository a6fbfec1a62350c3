/**
 * The repository config file for a local run, read the way the action reads it: the action's `config-file`
 * (`.github/codex-review.yml`) at the BASE commit, never from the working tree or the head, so the change
 * under review cannot change the rules it is reviewed by, and a local run applies what CI will apply once the
 * branch is a pull request. `--config FILE` replaces it with a file from disk, e.g. to try a new config
 * before committing it. A `--diff` has no base commit, so nothing is read unless --config names a file.
 * The file is parsed, validated and applied by the action's own code (repo-config.ts, apply-repo-config.ts).
 */
import { open } from 'node:fs/promises'
import { resolve } from 'node:path'
import { applyRepoConfig } from '../config/apply-repo-config.js'
import { EMPTY_REPO_CONFIG, parseRepoConfig, REPO_CONFIG_LIMITS, type RepoConfig } from '../config/repo-config.js'
import type { ReviewSettings } from '../config/review-settings.js'
import { ConfigError } from '../errors.js'
import type { Logger } from '../engine/logger.js'
import type { LoadedDiff } from './diff-source.js'
import type { GitRunner } from './git.js'
import { UsageError } from './usage-error.js'

const SHORT_SHA = 12
const DEFAULT_FORMAT = '.github/codex-review.yml (see the README)'

export interface LocalRepoConfig {
  /** The flags with the file's values applied (the file wins, as it wins over the action's inputs). */
  readonly review: ReviewSettings
  /** What the file said, for each request's extra instructions. Empty when no file was read. */
  readonly repoConfig: RepoConfig
  /** Where the file was read, e.g. `.github/codex-review.yml at main (1a2b3c4d5e6f)`; undefined when none was. */
  readonly origin?: string
}

export interface LoadLocalConfigOptions {
  readonly review: ReviewSettings
  /** --config: a file in the working tree, read instead of the one at the base commit. */
  readonly configPath?: string | undefined
  readonly base?: LoadedDiff['base']
  readonly cwd: string
  readonly git: GitRunner
  readonly logger: Pick<Logger, 'info' | 'debug'>
}

/**
 * Reads, validates and applies the repository config. No file at the base commit is fine; an invalid file
 * throws a ConfigError naming the file, the key and the value (exit code 2).
 */
export async function loadLocalRepoConfig(options: LoadLocalConfigOptions): Promise<LocalRepoConfig> {
  const found = await readConfigText(options)
  if (found === undefined) return { review: options.review, repoConfig: EMPTY_REPO_CONFIG }
  const repoConfig = parseRepoConfig(found.text, { file: found.origin })
  const applied = applyRepoConfig(options.review, repoConfig)
  options.logger.info(describeApplied(found.origin, repoConfig, applied.overridden))
  return { review: applied.settings, repoConfig, origin: found.origin }
}

async function readConfigText(options: LoadLocalConfigOptions): Promise<{ text: string; origin: string } | undefined> {
  if (options.configPath !== undefined) {
    return { text: await readLocalFile(options.configPath, options.cwd), origin: options.configPath }
  }
  const file = options.review.configFile
  if (options.base === undefined) {
    options.logger.debug(`No repository config: --diff has no base commit to read ${file} from (pass --config FILE).`)
    return undefined
  }
  const origin = `${file} at ${options.base.ref} (${options.base.sha.slice(0, SHORT_SHA)})`
  const text = await readFileAtCommit(options.git, { sha: options.base.sha, file, origin })
  if (text === undefined) options.logger.debug(`No ${origin}: the flags apply as they are.`)
  return text === undefined ? undefined : { text, origin }
}

/** The file's text at `sha` with git plumbing (no textconv, no pager); undefined when the commit has no such path. */
async function readFileAtCommit(
  git: GitRunner,
  at: { readonly sha: string; readonly file: string; readonly origin: string }
): Promise<string | undefined> {
  let objectId: string
  try {
    objectId = (await git(['rev-parse', '--verify', '--quiet', `${at.sha}:${at.file}`])).trim()
  } catch {
    return undefined // the base commit has no such path
  }
  const type = (await git(['cat-file', '-t', objectId])).trim()
  if (type !== 'blob') throw new ConfigError(`${at.origin} is a ${type}; the config file must be a file.`)
  const size = Number((await git(['cat-file', '-s', objectId])).trim())
  if (size > REPO_CONFIG_LIMITS.maxBytes) {
    throw new ConfigError(`${at.origin} is ${size} bytes; the limit is ${REPO_CONFIG_LIMITS.maxBytes}.`)
  }
  return git(['cat-file', 'blob', objectId])
}

/** Reads at most one byte over the limit, so a huge file or a device is refused without reading it all. */
async function readLocalFile(path: string, cwd: string): Promise<string> {
  const limit = REPO_CONFIG_LIMITS.maxBytes
  let handle: Awaited<ReturnType<typeof open>>
  try {
    handle = await open(resolve(cwd, path), 'r')
  } catch (error: unknown) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(code ?? error)
    throw new UsageError(
      `Flag --config: cannot read "${path}" (${why}). Pass a config file in the format of ${DEFAULT_FORMAT}.`
    )
  }
  try {
    if ((await handle.stat()).isDirectory())
      throw new UsageError(`Flag --config: "${path}" is a directory; pass a file.`)
    const buffer = Buffer.alloc(limit + 1)
    let length = 0
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null)
      if (bytesRead === 0) break
      length += bytesRead
    }
    if (length > limit) throw new ConfigError(`${path} is more than ${limit} bytes, the limit.`)
    return buffer.subarray(0, length).toString('utf8')
  } finally {
    await handle.close()
  }
}

/** Flag names for the inputs the file replaced: here the inputs are flags. */
function describeApplied(origin: string, repoConfig: RepoConfig, overridden: readonly string[]): string {
  const parts = [
    overridden.length > 0 ? `replaces ${overridden.map((name) => `--${name}`).join(', ')}` : 'replaces no flag',
    `${repoConfig.pathInstructions.length} path instruction(s)`,
    repoConfig.instructions === undefined
      ? 'no extra instructions'
      : `instructions of ${repoConfig.instructions.length} characters`
  ]
  return `Read ${origin}: ${parts.join('; ')}.`
}
