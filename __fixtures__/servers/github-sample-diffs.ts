/** Diffs written for the GitHub adapter's tests: small, hand-checked line numbers. */

/**
 * src/app.ts: two hunks. RIGHT (new) commentable lines 1–6 and 21–23; LEFT (old) 1–5 and 20–22.
 * logo.png: binary, added. new-name.ts: pure rename (no hunks).
 */
export const SAMPLE_DIFF = [
  'diff --git a/src/app.ts b/src/app.ts',
  'index 1111111..2222222 100644',
  '--- a/src/app.ts',
  '+++ b/src/app.ts',
  '@@ -1,5 +1,6 @@',
  " import x from 'x'",
  '-const a = 1',
  '+const a = 2',
  '+const b = 3',
  ' function f() {',
  '   return a',
  ' }',
  '@@ -20,3 +21,3 @@ function g() {',
  ' line20',
  '-old21',
  '+new22',
  ' line22',
  'diff --git a/logo.png b/logo.png',
  'new file mode 100644',
  'index 0000000..3333333',
  'Binary files /dev/null and b/logo.png differ',
  'diff --git a/old-name.ts b/new-name.ts',
  'similarity index 100%',
  'rename from old-name.ts',
  'rename to new-name.ts',
  ''
].join('\n')

/** The patch listFiles returns for src/app.ts in SAMPLE_DIFF: hunks only, no headers. */
export const SAMPLE_APP_PATCH = SAMPLE_DIFF.split('\n').slice(4, 17).join('\n')

/** A diff adding `count` one-line text files `f/0001.txt`…, plus one binary `f/image.png` when `binary`. */
export function buildManyFilesDiff(options: { count: number; binary?: boolean }): string {
  const parts: string[] = []
  for (let i = 1; i <= options.count; i++) {
    const path = `f/${String(i).padStart(4, '0')}.txt`
    parts.push(
      `diff --git a/${path} b/${path}`,
      'new file mode 100644',
      'index 0000000..1111111',
      '--- /dev/null',
      `+++ b/${path}`,
      '@@ -0,0 +1 @@',
      `+line ${i}`
    )
  }
  if (options.binary === true) {
    parts.push(
      'diff --git a/f/image.png b/f/image.png',
      'new file mode 100644',
      'index 0000000..2222222',
      'Binary files /dev/null and b/f/image.png differ'
    )
  }
  return `${parts.join('\n')}\n`
}

/** One file with `lines` added lines: over 20,000 it is too large for the diff media type. */
export function buildLongFileDiff(lines: number): string {
  const body = Array.from({ length: lines }, (_, i) => `+row ${i + 1}`)
  return [
    'diff --git a/big.txt b/big.txt',
    'new file mode 100644',
    'index 0000000..1111111',
    '--- /dev/null',
    '+++ b/big.txt',
    `@@ -0,0 +1,${lines} @@`,
    ...body,
    ''
  ].join('\n')
}
