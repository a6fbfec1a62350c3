import { createParser } from '../../src/context/grammar-loader.js'
import { LANGUAGE_IDS } from '../../src/context/languages.js'

describe('createParser', () => {
  it.each(LANGUAGE_IDS)('parses %s from the grammar in node_modules', async (language) => {
    const parser = await createParser(language)
    const tree = parser.parse('x\n')
    expect(tree?.rootNode.type).toBeDefined()
    tree?.delete()
    parser.delete()
  })
})
