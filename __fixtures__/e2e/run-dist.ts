/** Runs the built bundle the way the runner does: `node dist/index.js` in a fresh process with only its variables. */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const DIST_INDEX = fileURLToPath(new URL('../../dist/index.js', import.meta.url))

export function runDist(
  env: Record<string, string>,
  script = DIST_INDEX
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // A clean environment: only what the runner would set, plus PATH for node itself.
    const child = spawn(process.execPath, [script], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'pipe' })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString('utf8')))
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString('utf8')))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}
