/** How the reports name this tool. The version is checked against package.json by a test. */
export const TOOL_INFO = Object.freeze({
  name: 'codex-pr-review',
  version: '0.1.0',
  informationUri: 'https://github.com/your-org/codex-pr-review'
})
