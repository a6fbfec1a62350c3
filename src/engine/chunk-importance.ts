/**
 * Which chunks matter most, for a cost ceiling that cannot pay for them all: the order chunks are planned and
 * sent in when `max-cost-usd` or `max-pr-cost-usd` is set. Pure.
 *
 * 1. Kind: source before tests before docs. A defect in shipped code reaches users; a test only guards it; docs
 *    change no behaviour. A chunk is as important as its most important file.
 * 2. Path risk, higher first: 2 when a file matches `escalate-paths` (the team named it risky), 1 when its path
 *    looks security-sensitive ({@link isSecuritySensitivePath}: auth, sessions, secrets, crypto, permissions,
 *    payments, migrations, CI workflows, Dockerfiles, SQL), 0 otherwise. A chunk is as risky as its riskiest
 *    file; a renamed file counts by its old path too.
 * 3. Otherwise the diff's own order (chunk id), so the same change is always cut at the same place.
 */
import type { Chunk } from '../types.js'

/** The order in words, as the summary, the dry run and the README state it. */
export const IMPORTANCE_ORDER =
  'source before tests before docs; within each, chunks touching `escalate-paths`, then security-sensitive paths, ' +
  "first; then the diff's order"

/** What a file is, for importance; most important first. */
export const FILE_KINDS = ['source', 'test', 'docs'] as const
export type FileKind = (typeof FILE_KINDS)[number]

/** How risky a chunk's paths look: 2 = `escalate-paths`, 1 = security-sensitive, 0 = neither. */
export type PathRisk = 0 | 1 | 2

/** A chunk's place in the order, and why. */
export interface ChunkImportance {
  readonly id: number
  readonly kind: FileKind
  readonly pathRisk: PathRisk
}

const DOC_EXTENSIONS = new Set(['md', 'mdx', 'markdown', 'rst', 'txt', 'adoc', 'asciidoc', 'org', 'textile'])
const DOC_NAMES = /^(readme|changelog|changes|history|license|licence|copying|notice|authors|contributing)(\.|$)/i
const DOC_DIRS = new Set(['docs', 'doc', 'documentation', 'man'])
const TEST_DIRS = new Set([
  'test',
  'tests',
  '__tests__',
  'spec',
  'specs',
  '__mocks__',
  'fixtures',
  '__fixtures__',
  'testdata',
  'e2e'
])
/** `x.test.ts`, `x.spec.js`, `x_test.go`, `test_x.py`, `XTest.java`, `XTests.cs`, `x_spec.rb`. */
const TEST_NAMES =
  /(\.(test|spec)\.[^.]+$)|(_(test|spec)\.[^.]+$)|(^test_[^/]+\.py$)|([a-z0-9]Tests?\.(java|kt|cs|scala)$)/

/** Source, test or docs, from the path alone (see the module comment for the order of checks). */
export function classifyPath(path: string): FileKind {
  const parts = path.split('/')
  const name = parts[parts.length - 1] ?? ''
  const dot = name.lastIndexOf('.')
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : ''
  const dirs = parts.slice(0, -1).map((dir) => dir.toLowerCase())
  if (DOC_EXTENSIONS.has(extension) || DOC_NAMES.test(name)) return 'docs'
  if (TEST_NAMES.test(name) || dirs.some((dir) => TEST_DIRS.has(dir))) return 'test'
  if (dirs.some((dir) => DOC_DIRS.has(dir))) return 'docs'
  return 'source'
}

/**
 * Path segments that mark security-sensitive code, matched at the start of a segment or after `-`, `_` or `.`
 * (so `src/auth/`, `user_session.py` and `oauth2.go` match, `author.ts` and `tokenizer.ts` do not).
 */
const SENSITIVE_WORDS =
  /(^|[/._-])(auth|authn|authz|authentication|authorization|oauth2?|login|logout|sessions?|passwords?|passwd|secrets?|credentials?|tokens?|jwt|saml|sso|crypto|cryptography|ciphers?|encrypt|encryption|decrypt|signing|signatures?|permissions?|acl|rbac|iam|policy|policies|security|sanitize|sanitizer|csrf|cors|payments?|billing|checkout|migrations?|migrate)([/._-]|$)/i
const SENSITIVE_PATHS = [/^\.github\/workflows\//, /(^|\/)dockerfile[^/]*$/i, /\.sql$/i, /(^|\/)\.env(\.|$)/]

/** True when a path looks like code where a defect is a security or data problem (see SENSITIVE_WORDS). */
export function isSecuritySensitivePath(path: string): boolean {
  return SENSITIVE_WORDS.test(path) || SENSITIVE_PATHS.some((pattern) => pattern.test(path))
}

/** Kind and path risk of a chunk: its most important kind and its riskiest path. */
export function assessChunk(chunk: Chunk, matchesEscalatePath: (path: string) => boolean): ChunkImportance {
  let kind: FileKind = 'docs'
  let pathRisk: PathRisk = 0
  for (const piece of chunk.pieces) {
    const paths = piece.previousPath === undefined ? [piece.path] : [piece.path, piece.previousPath]
    const pieceKind = classifyPath(piece.path)
    if (FILE_KINDS.indexOf(pieceKind) < FILE_KINDS.indexOf(kind)) kind = pieceKind
    for (const path of paths) {
      const risk: PathRisk = matchesEscalatePath(path) ? 2 : isSecuritySensitivePath(path) ? 1 : 0
      if (risk > pathRisk) pathRisk = risk
    }
  }
  return { id: chunk.id, kind, pathRisk }
}

/** The chunks' importance, most important first (see the module comment for the order). */
export function rankChunks(
  chunks: readonly Chunk[],
  matchesEscalatePath: (path: string) => boolean = () => false
): ChunkImportance[] {
  return chunks
    .map((chunk) => assessChunk(chunk, matchesEscalatePath))
    .sort((a, b) => FILE_KINDS.indexOf(a.kind) - FILE_KINDS.indexOf(b.kind) || b.pathRisk - a.pathRisk || a.id - b.id)
}
