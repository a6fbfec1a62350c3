export type FileRead =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'skipped'; readonly reason: 'too-large' | 'binary' | 'not-a-file' | 'missing'; readonly detail?: string }
export interface FileSource {
  readonly kind: 'checkout' | 'git' | 'api'
  read(paths: readonly string[]): Promise<Map<string, FileRead>>
  findDefinitionFiles?(name: string, options: { readonly exclude: ReadonlySet<string>; readonly limit: number }): Promise<string[]>
}
