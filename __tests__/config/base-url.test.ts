/**
 * The API key travels in a header to `base-url`: over plain http only to this machine (loopback), unless
 * the workflow says `allow-insecure-base-url: true` (issue 12, item 3).
 */
import { readConfig } from '../../src/config/config.js'
import { ConfigError } from '../../src/errors.js'

const REQUIRED = { 'api-key': 'sk-test', 'github-token': 'ghs_test' }
const read =
  (inputs: Record<string, string>) =>
  (name: string): string =>
    ({ ...REQUIRED, ...inputs })[name] ?? ''

describe('base-url over http', () => {
  it.each([
    ['https://api.example.com/v1', 'https://api.example.com/v1'],
    ['http://127.0.0.1:8080/v1/', 'http://127.0.0.1:8080/v1'],
    ['http://127.5.6.7/v1', 'http://127.5.6.7/v1'],
    ['http://127.1:9/v1', 'http://127.0.0.1:9/v1'],
    ['http://localhost:11434/v1', 'http://localhost:11434/v1'],
    ['http://LocalHost/v1', 'http://localhost/v1'],
    ['http://[::1]:8080/v1', 'http://[::1]:8080/v1'],
    ['http://[::ffff:127.0.0.1]/v1', 'http://[::ffff:7f00:1]/v1']
  ])('accepts %s (https, or a loopback address)', (value, expected) => {
    expect(readConfig(read({ 'base-url': value })).baseUrl).toBe(expected)
  })

  it.each([
    'http://api.example.com/v1',
    'http://10.0.0.5:8080/v1',
    'http://192.168.1.2/v1',
    'http://localhost.example.com/v1',
    'http://127.0.0.1.nip.io/v1',
    'http://[::2]/v1',
    'http://0.0.0.0/v1'
  ])('refuses %s, naming base-url and the input that allows it', (value) => {
    const attempt = () => readConfig(read({ 'base-url': value }))
    expect(attempt).toThrow(ConfigError)
    expect(attempt).toThrow(
      /Input "base-url" uses http:\/\/ for a host that is not this machine.*https.*"allow-insecure-base-url: true"/
    )
    expect(attempt).not.toThrow(/sk-test/)
  })

  it('accepts plain http to any host when allow-insecure-base-url is true', () => {
    const config = readConfig(read({ 'base-url': 'http://llm.internal:8000/v1', 'allow-insecure-base-url': 'true' }))
    expect(config.baseUrl).toBe('http://llm.internal:8000/v1')
  })

  it('names allow-insecure-base-url when its value is not a boolean', () => {
    expect(() => readConfig(read({ 'allow-insecure-base-url': 'sometimes' }))).toThrow(
      'Input "allow-insecure-base-url" must be true or false; got "sometimes".'
    )
  })
})
