/** The `codex-pr-review` command: reviews a local change with the action's pipeline (see src/cli/run-cli.ts). */
import { runCli } from './cli/run-cli.js'

async function readStdin(): Promise<string> {
  const parts: Buffer[] = []
  for await (const part of process.stdin) parts.push(typeof part === 'string' ? Buffer.from(part) : (part as Buffer))
  return Buffer.concat(parts).toString('utf8')
}

void runCli({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  readStdin
}).then((code) => {
  process.exitCode = code
})
