import { FINDINGS_SCHEMA, validateFindingsPayload } from '../../src/model/findings-schema.js'

describe('the risk level in the findings schema', () => {
  it('is required of the model (strict mode lists every property)', () => {
    // The verdict fields joined the list (findings-verdict.test.ts); risk must stay in it.
    expect(FINDINGS_SCHEMA.required).toEqual(expect.arrayContaining(['overview', 'risk', 'findings']))
    expect(FINDINGS_SCHEMA.properties.risk.enum).toEqual(['high', 'medium', 'low'])
  })

  it('is read when given', () => {
    expect(validateFindingsPayload({ overview: 'o', risk: 'medium', findings: [] }, 1)).toEqual({
      overview: 'o',
      risk: 'medium',
      findings: []
    })
  })

  it('may be missing from an answer: a provider that ignores strict mode must not cost a retry', () => {
    const result = validateFindingsPayload({ overview: 'o', findings: [] }, 1)
    expect(result).not.toHaveProperty('risk')
  })

  it('must be one of the levels', () => {
    expect(() => validateFindingsPayload({ overview: 'o', risk: 'extreme', findings: [] }, 1)).toThrow(
      /\/risk must be equal to one of the allowed values/
    )
  })
})
