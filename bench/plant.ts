/**
 * Planted pairs for the context benchmark: on a real npm-pair change, lines added by the "pull request" whose
 * problem shows only together with an unchanged line elsewhere:
 * - same file: `console.log('planted', plantedSecretK)` added inside a changed function, and
 *   `var plantedSecretK = process.env.PLANTED_SECRET_K` before a top-level statement of that file (or at its top or
 *   end), unchanged and at least MIN_DISTANCE lines from every hunk (a file with no such place gets none);
 * - another file: `plantedPurgeK(process.cwd())` added there, and `function plantedPurgeK (dir) {…}` (a recursive
 *   delete) appended to a file of the package the change does not touch.
 * The unchanged lines go into both versions and the added ones into the new version only, as two new commits
 * made with git plumbing (no working tree), so the diff between them is the real diff plus the planted lines.
 */
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { filterFiles } from '../src/diff/filter.js'
import { parseUnifiedDiff } from '../src/diff/parse.js'
import { DEFAULTS } from '../src/config/review-settings.js'
import type { DiffFile } from '../src/types.js'

/** One planted pair: the added line and the unchanged line it needs, both numbered in the new version. */
export interface PlantedPair {
  readonly kind: 'same-file' | 'cross-file'
  readonly path: string
  readonly addedLine: number
  readonly targetPath: string
  readonly targetLine: number
}

/** The planted change: its commits, its diff, and the pairs. */
export interface PlantedChange {
  readonly base: string
  readonly head: string
  readonly diff: string
  readonly pairs: readonly PlantedPair[]
}

/** Files planted per diff, at most (each gets one pair of each kind). */
const MAX_PLANTED_FILES = 20
/** The unchanged line is at least this far from every hunk line (context lines included): well outside. */
const MIN_DISTANCE = 10
const SCRIPT = /\.(?:[cm]?js|jsx|ts|tsx)$/

/** Plants the pairs into the change from `oldCommit` to `newCommit` of the repository at `dir`. */
export function plantPairs(dir: string, oldCommit: string, newCommit: string): PlantedChange {
  const git = (args: readonly string[], input?: string): string =>
    execFileSync('git', ['-C', dir, ...args], {
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      ...(input === undefined ? {} : { input })
    })
  const realDiff = git(['diff', '-M', oldCommit, newCommit])
  const reviewable = filterFiles(parseUnifiedDiff(realDiff), {
    include: [],
    exclude: [],
    maxFiles: DEFAULTS.maxFiles,
    maxFileChangedLines: DEFAULTS.maxFileChangedLines
  }).reviewable
  const changed = new Set(parseUnifiedDiff(realDiff).flatMap((file) => [file.path, file.previousPath ?? file.path]))
  const readAt = (commit: string, path: string): string => git(['show', `${commit}:${path}`])
  const blobsAt = (commit: string): Map<string, string> =>
    new Map(
      git(['ls-tree', '-r', '-z', commit])
        .split('\0')
        .filter((entry) => entry !== '')
        .map((entry) => [entry.slice(entry.indexOf('\t') + 1), entry.split(/\s+/)[2] ?? ''])
    )
  const oldBlobs = blobsAt(oldCommit)
  const newBlobs = blobsAt(newCommit)
  const unchangedScripts = [...newBlobs]
    .filter(([path, oid]) => SCRIPT.test(path) && !changed.has(path) && oldBlobs.get(path) === oid)
    .filter(([path]) => !/(^|\/)(node_modules|dist|vendor)\//.test(path) && !/\.min\.js$/.test(path))
    .map(([path]) => path)

  // Files with a place for the planted use, so every chosen file gets its pairs.
  const candidates = reviewable.filter(
    (file) =>
      file.status !== 'deleted' &&
      SCRIPT.test(file.path) &&
      file.hunks.length > 0 &&
      findUsePoint(file, readAt(newCommit, file.path)) !== undefined
  )
  const step = Math.max(1, candidates.length / MAX_PLANTED_FILES)
  const chosen = Array.from(
    { length: Math.min(MAX_PLANTED_FILES, candidates.length) },
    (_, index) => candidates[Math.floor(index * step)]
  ).filter((file): file is DiffFile => file !== undefined)

  const oldFiles = new Map<string, string>()
  const newFiles = new Map<string, string>()
  const planted: { kind: PlantedPair['kind']; path: string; use: string; targetPath: string; target: string }[] = []
  chosen.forEach((file, k) => {
    const newText = readAt(newCommit, file.path)
    const oldPath = file.previousPath ?? file.path
    const oldText = file.status === 'added' ? undefined : readAt(oldCommit, oldPath)
    const use = findUsePoint(file, newText)
    if (use === undefined) return
    const call = `${use.indent}plantedPurge${k}(process.cwd())`
    const definition = `function plantedPurge${k} (dir) {`
    const declarationPoint = oldText === undefined ? undefined : findDeclarationPoint(file, newText, oldText)
    const newLines = newText.split('\n')
    const inserted = [call]
    let secretUse: string | undefined
    if (declarationPoint !== undefined) {
      secretUse = `${use.indent}console.log('planted', plantedSecret${k})`
      inserted.unshift(secretUse)
    }
    newLines.splice(use.beforeLine - 1, 0, ...inserted)
    if (declarationPoint !== undefined && oldText !== undefined && secretUse !== undefined) {
      const declaration = `var plantedSecret${k} = process.env.PLANTED_SECRET_${k}`
      // The use lines were inserted first: a declaration below them moves down with them.
      const newAt =
        declarationPoint.newLine > use.beforeLine
          ? declarationPoint.newLine + inserted.length
          : declarationPoint.newLine
      newLines.splice(newAt - 1, 0, declaration)
      const oldLines = oldText.split('\n')
      oldLines.splice(declarationPoint.oldLine - 1, 0, declaration)
      oldFiles.set(oldPath, oldLines.join('\n'))
      planted.push({ kind: 'same-file', path: file.path, use: secretUse, targetPath: file.path, target: declaration })
    }
    newFiles.set(file.path, newLines.join('\n'))

    const target = unchangedScripts[k % Math.max(1, unchangedScripts.length)] ?? `planted/helper-${k}.js`
    const body = [definition, "  require('fs').rmSync(dir, { recursive: true, force: true })", '}']
    const known = unchangedScripts.includes(target)
    const base = oldFiles.get(target) ?? (known ? readAt(oldCommit, target) : '')
    const head = newFiles.get(target) ?? (known ? readAt(newCommit, target) : '')
    oldFiles.set(target, appendLines(base, body))
    newFiles.set(target, appendLines(head, body))
    planted.push({ kind: 'cross-file', path: file.path, use: call, targetPath: target, target: definition })
  })

  const base = commitWith(git, oldCommit, oldFiles, undefined, 'planted base')
  const head = commitWith(git, newCommit, newFiles, base, 'planted head')
  const diff = git(['diff', '-M', base, head])
  const lineOf = (path: string, text: string): number => {
    const lines = (newFiles.get(path) ?? '').split('\n')
    return lines.findIndex((line) => line === text) + 1
  }
  const pairs = planted.map((entry): PlantedPair => ({
    kind: entry.kind,
    path: entry.path,
    addedLine: lineOf(entry.path, entry.use),
    targetPath: entry.targetPath,
    targetLine: lineOf(entry.targetPath, entry.target)
  }))
  return { base, head, diff, pairs }
}

/** A statement keyword or call starting a line: the planted lines can go just before it. */
const STATEMENT_START = /^(?:(?:const|let|var|return|if|for|while|throw|switch|try)\b|this\.[\w$]+\s*=|[\w$.]+\()/
/** A line after which a new statement may start (ASI-safe even without semicolons). */
const STATEMENT_END = /(?:[{};)\]\w$'"`]|^)$/
/** A top-level statement to put the declaration before. */
const TOP_LEVEL_START = /^(?:function|async function|const|let|var|class|module\.exports|exports\.|export )/

/** An added line inside a block that starts a statement, and its indentation: the planted uses go before it. */
function findUsePoint(file: DiffFile, newText: string): { beforeLine: number; indent: string } | undefined {
  const lines = newText.split('\n')
  for (const hunk of file.hunks) {
    for (const line of hunk.lines) {
      if (line.kind !== 'add' || line.newNumber === undefined || line.newNumber < 2) continue
      const indent = /^\s*/.exec(line.content)?.[0] ?? ''
      const previous = (lines[line.newNumber - 2] ?? '').trim()
      if (indent === '' || !STATEMENT_START.test(line.content.trim()) || !STATEMENT_END.test(previous)) continue
      if (previous.startsWith('//') || previous.startsWith('*') || previous.endsWith('=>')) continue
      return { beforeLine: line.newNumber, indent }
    }
  }
  return undefined
}

/**
 * A top-level statement at least MIN_DISTANCE lines from every hunk line (else the top or the end of the file,
 * when far enough): the declaration goes before it, at the same place in the old file.
 */
function findDeclarationPoint(
  file: DiffFile,
  newText: string,
  oldText: string
): { newLine: number; oldLine: number } | undefined {
  const newLines = newText.split('\n')
  const oldLines = oldText.split('\n')
  const hunkLines = file.hunks.flatMap((hunk) => hunk.lines.flatMap((line) => line.newNumber ?? []))
  const far = (line: number): boolean => hunkLines.every((hunkLine) => Math.abs(hunkLine - line) >= MIN_DISTANCE)
  const oldLineOf = (newLine: number): number =>
    file.hunks
      .filter((hunk) => hunk.newStart + hunk.newLines <= newLine)
      .reduce((line, hunk) => line - (hunk.newLines - hunk.oldLines), newLine)
  const candidates: number[] = []
  for (let line = 2; line <= newLines.length; line += 1) {
    const text = newLines[line - 1] ?? ''
    const previous = (newLines[line - 2] ?? '').trim()
    if (TOP_LEVEL_START.test(text) && (previous === '' || /[};)]$/.test(previous))) candidates.push(line)
  }
  if (!newLines[0]?.startsWith('#!')) candidates.unshift(1)
  candidates.push(newLines.length + 1)
  for (const line of candidates) {
    if (!far(line)) continue
    const oldLine = oldLineOf(line)
    // Outside every hunk the two versions agree line for line; check it, to be safe.
    if (line <= newLines.length && oldLines[oldLine - 1] !== newLines[line - 1]) continue
    return { newLine: line, oldLine }
  }
  return undefined
}

function appendLines(text: string, lines: readonly string[]): string {
  const separator = text === '' || text.endsWith('\n') ? '' : '\n'
  return `${text}${separator}${lines.join('\n')}\n`
}

/** A commit whose tree is `treeOf`'s with `files` replaced or added, on top of `parent` (or none). */
function commitWith(
  git: (args: readonly string[], input?: string) => string,
  treeOf: string,
  files: ReadonlyMap<string, string>,
  parent: string | undefined,
  message: string
): string {
  const entries = git(['ls-tree', '-r', '-z', treeOf])
    .split('\0')
    .filter((entry) => entry !== '')
  const tree = new Map<string, string>()
  for (const entry of entries) {
    const tab = entry.indexOf('\t')
    tree.set(entry.slice(tab + 1), entry.slice(0, tab))
  }
  for (const [path, text] of files) {
    const oid = git(['hash-object', '-w', '--stdin'], text).trim()
    tree.set(path, `100644 blob ${oid}`)
  }
  const listing = [...tree].map(([path, meta]) => `${meta}\t${path}`).join('\0')
  // mktree builds nested trees only with --batch per level; a temporary index does it in one go.
  const index = join(tmpdir(), `codex-pr-review-plant-${process.pid}.index`)
  const env = { ...process.env, GIT_INDEX_FILE: index }
  execFileSync('git', ['-C', gitDirOf(git), 'read-tree', '--empty'], { env })
  execFileSync('git', ['-C', gitDirOf(git), 'update-index', '-z', '--index-info'], {
    env,
    input: `${listing}\0`,
    maxBuffer: 512 * 1024 * 1024
  })
  const treeId = execFileSync('git', ['-C', gitDirOf(git), 'write-tree'], { env, encoding: 'utf8' }).trim()
  rmSync(index, { force: true })
  const parentArgs = parent === undefined ? [] : ['-p', parent]
  return git([
    '-c',
    'user.name=bench',
    '-c',
    'user.email=bench@localhost',
    'commit-tree',
    treeId,
    ...parentArgs,
    '-m',
    message
  ]).trim()
}

function gitDirOf(git: (args: readonly string[]) => string): string {
  return git(['rev-parse', '--show-toplevel']).trim()
}
