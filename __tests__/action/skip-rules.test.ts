import { decideSkip, type SkipRuleSettings } from '../../src/action/skip-rules.js'

const pull = { pullNumber: 5, draft: false, labels: ['bug'], authorLogin: 'alice' }
const none: SkipRuleSettings = { skipLabels: [], skipAuthors: [], reviewDrafts: false }

describe('decideSkip', () => {
  it.each<[string, Partial<typeof pull>, Partial<SkipRuleSettings>, RegExp | undefined]>([
    ['an ordinary pull request', {}, {}, undefined],
    ['a draft', { draft: true }, {}, /^Skipped: #5 is a draft; it is reviewed when marked ready for review/],
    ['a draft with review-drafts', { draft: true }, { reviewDrafts: true }, undefined],
    [
      'a skip label, ignoring case',
      { labels: ['bug', 'No-AI-Review'] },
      { skipLabels: ['no-ai-review'] },
      /has the label "No-AI-Review", listed in skip-labels/
    ],
    ['a label not in the list', { labels: ['wip'] }, { skipLabels: ['no-ai-review'] }, undefined],
    [
      'a skipped author',
      { authorLogin: 'dependabot[bot]' },
      { skipAuthors: ['renovate[bot]', 'Dependabot[bot]'] },
      /opened by dependabot\[bot\], listed in skip-authors/
    ],
    ['an author not in the list', {}, { skipAuthors: ['dependabot[bot]'] }, undefined]
  ])('%s', (_label, pullOverrides, settings, expected) => {
    const notice = decideSkip({ ...pull, ...pullOverrides }, { ...none, ...settings })
    if (expected === undefined) expect(notice).toBeUndefined()
    else expect(notice).toMatch(expected)
  })

  it('lets an on-demand /review override the draft and author rules, not a skip label', () => {
    const draftByBot = { ...pull, draft: true, authorLogin: 'dependabot[bot]' }
    const settings = { ...none, skipAuthors: ['dependabot[bot]'], skipLabels: ['no-ai-review'] }
    expect(decideSkip(draftByBot, settings, { onDemand: true })).toBeUndefined()
    expect(decideSkip({ ...draftByBot, labels: ['no-ai-review'] }, settings, { onDemand: true })).toMatch(/skip-labels/)
  })
})
