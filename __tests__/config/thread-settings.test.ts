import { ConfigError } from '../../src/errors.js'
import { DEFAULT_MAX_REPLIES, readThreadSettings } from '../../src/config/thread-settings.js'

const reader =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? ''

describe('readThreadSettings', () => {
  it('defaults to resolving fixed threads and answering 20 replies', () => {
    expect(readThreadSettings(reader({}))).toEqual({ resolveFixed: true, maxReplies: DEFAULT_MAX_REPLIES })
  })

  it('reads both inputs', () => {
    expect(readThreadSettings(reader({ 'resolve-fixed': 'false', 'max-replies': '0' }))).toEqual({
      resolveFixed: false,
      maxReplies: 0
    })
  })

  it.each([
    [{ 'resolve-fixed': 'sometimes' }, 'Input "resolve-fixed" must be true or false; got "sometimes".'],
    [{ 'max-replies': '201' }, 'Input "max-replies" must be between 0 and 200; got 201.'],
    [{ 'max-replies': 'many' }, 'Input "max-replies" must be a whole number between 0 and 200; got "many".']
  ])('names the input and the value when %j is wrong', (values, message) => {
    expect(() => readThreadSettings(reader(values))).toThrow(new ConfigError(message))
  })
})
