import * as core from '@actions/core'
import { getErrorMessage } from './errors.js'

/** Placeholder until the pipeline lands. */
export async function run(): Promise<void> {
  try {
    core.info('codex-pr-review')
  } catch (error: unknown) {
    core.setFailed(getErrorMessage(error))
  }
}
