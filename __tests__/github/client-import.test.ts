/**
 * Importing the GitHub client must not read the event file: `@actions/github`'s `context` parses
 * GITHUB_EVENT_PATH when its module loads, so a malformed file threw (a raw stack trace) before any of our
 * error handling ran (issue 12, item 9). One import per test file: ESM modules are evaluated once.
 */
import { jest } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const saved = process.env.GITHUB_EVENT_PATH
afterEach(() => {
  if (saved === undefined) delete process.env.GITHUB_EVENT_PATH
  else process.env.GITHUB_EVENT_PATH = saved
  jest.restoreAllMocks()
})

it('importing src/github/client.ts with a malformed event file neither throws nor prints, and builds a client', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'client-import-')), 'event.json')
  writeFileSync(path, '{ "pull_request": { "number": 1, ')
  process.env.GITHUB_EVENT_PATH = path
  const written: string[] = []
  const capture = (chunk: unknown): boolean => {
    written.push(String(chunk))
    return true
  }
  jest.spyOn(process.stdout, 'write').mockImplementation(capture)
  jest.spyOn(process.stderr, 'write').mockImplementation(capture)
  const client = await import('../../src/github/client.js')
  const api = client.createGitHubClient({
    token: 'ghs_importtesttoken0000000000',
    baseUrl: 'http://127.0.0.1:9/api/v3'
  })
  expect(typeof api.rest.pulls.get).toBe('function')
  expect(written).toEqual([])
})
