import { loadCodeIndex, type CodeIndex } from '../../src/context/code-index.js'

const WRAPPED = [
  'define([], function () {', // 1
  '', // 2
  "var token = readToken('api')", // 3
  'var region = "eu"', // 4
  '', // 5
  'function send(payload) {', // 6
  '  var retries = 3', // 7
  '  log(token, payload)', // 8
  '  return post(region, payload, retries)', // 9
  '}', // 10
  '})' // 11
].join('\n')

const PYTHON = [
  'def handler(event):', // 1
  '    secret = os.environ["API_SECRET"]', // 2
  '    for item in event.items:', // 3
  '        process(item)', // 4
  '    logger.info("done %s", secret)', // 5
  ''
].join('\n')

let index: CodeIndex
beforeAll(async () => {
  index = await loadCodeIndex({ languages: ['javascript', 'python'] })
})

describe('usedBindings', () => {
  it.each([
    ['a module variable inside an AMD wrapper, and a parameter', 'src/send.js', WRAPPED, [8], ['token@3', 'payload@6']],
    [
      'module variables and a local, from two lines',
      'src/send.js',
      WRAPPED,
      [8, 9],
      ['token@3', 'region@4', 'retries@7', 'payload@6']
    ],
    ['a secret read earlier in the same Python function', 'app/handler.py', PYTHON, [5], ['secret@2']],
    ['nothing for a line that binds what it uses', 'app/handler.py', PYTHON, [2], []]
  ])('%s', (_why, path, text, lines, expected) => {
    const found = index.usedBindings({ path, text }, lines).map((binding) => `${binding.name}@${binding.line}`)
    expect(found.sort()).toEqual([...expected].sort())
  })
})
