import { readFileSync } from 'node:fs'
import { ConfigError, getErrorMessage } from '../errors.js'

/** What the runner tells the action through `GITHUB_*` variables, read when `run()` starts, never at import. */
export interface ActionEnvironment {
  readonly eventName: string
  readonly payload: unknown
  readonly repository: string
  readonly apiUrl: string
  /** Unique per workflow run attempt: makes the review marker unique, so a retried POST can be recognised. */
  readonly runKey: string
  /** `GITHUB_WORKSPACE`: where a checkout step puts the repository ('' when unset). Read only through git objects. */
  readonly workspace: string
}

const DEFAULT_API_URL = 'https://api.github.com'

/** Reads the workflow run's environment. GHES sets GITHUB_API_URL, which every GitHub call then uses. */
export function readActionEnvironment(env: NodeJS.ProcessEnv = process.env): ActionEnvironment {
  const eventPath = env.GITHUB_EVENT_PATH ?? ''
  let payload: unknown = {}
  if (eventPath !== '') {
    try {
      payload = JSON.parse(readFileSync(eventPath, 'utf8'))
    } catch (error: unknown) {
      throw new ConfigError(
        `Could not read the event payload at GITHUB_EVENT_PATH (${eventPath}): ${getErrorMessage(error)}`
      )
    }
  }
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    payload,
    repository: env.GITHUB_REPOSITORY ?? '',
    apiUrl: (env.GITHUB_API_URL ?? '').trim() || DEFAULT_API_URL,
    runKey: `${env.GITHUB_RUN_ID ?? 'local'}-${env.GITHUB_RUN_ATTEMPT ?? '1'}-${Date.now().toString(36)}`,
    workspace: (env.GITHUB_WORKSPACE ?? '').trim()
  }
}
