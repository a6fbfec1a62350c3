import { createGitHubClient } from '../../src/github/client.js'
import {
  findPostingIdentity,
  identityFromUser,
  isAuthoredBy,
  type GitHubIdentity,
  type GitHubUserRef
} from '../../src/github/identity.js'
import {
  appTokenGrant,
  personalTokenGrant,
  startGitHubServer,
  type FakeGitHub,
  type FakeTokenGrant
} from '../../__fixtures__/servers/github-server.js'

const TOKEN = 'ghs_identitytesttoken000000000'
let github: FakeGitHub

beforeEach(async () => {
  github = await startGitHubServer({ owner: 'octo', repo: 'demo', token: TOKEN, pulls: [] })
})
afterEach(async () => github.close())

const client = () =>
  createGitHubClient({
    token: TOKEN,
    baseUrl: github.baseUrl,
    throttle: { writeSpacingMs: 0, retryAfterUnitMs: 1, maxRetries: 0 }
  })
const noGraphQL = () =>
  github.inject({ method: 'POST', pathPattern: /^\/graphql$/, times: 1, status: 404, body: { message: 'Not Found' } })

const ACTIONS: GitHubIdentity = { login: 'github-actions', restLogin: 'github-actions[bot]', id: 41898282, isBot: true }
const APP: GitHubIdentity = { login: 'my-app', restLogin: 'my-app[bot]', id: 9001, isBot: true }
const PERSON: GitHubIdentity = { login: 'octocat', restLogin: 'octocat', id: 583231, isBot: false }

describe('findPostingIdentity', () => {
  it.each<[string, FakeTokenGrant | undefined, GitHubIdentity]>([
    ['GITHUB_TOKEN', undefined, ACTIONS],
    ['a GitHub App installation token', appTokenGrant('my-app', { id: 9001 }), APP],
    ['a personal access token', personalTokenGrant('octocat', { id: 583231 }), PERSON]
  ])('knows who %s posts as from GraphQL viewer, in one call', async (_name, grant, identity) => {
    if (grant !== undefined) github.setIdentity(grant)
    const messages: string[] = []
    expect(await findPostingIdentity(client(), { log: (message) => messages.push(message) })).toEqual({
      known: true,
      identity,
      source: 'graphql'
    })
    expect(github.requests.map((request) => request.path)).toEqual(['/graphql'])
    expect(messages).toEqual([`Posting as ${identity.restLogin} (id ${identity.id}, from GraphQL viewer)`])
  })

  it('falls back to REST GET /user for a personal token where GraphQL is missing', async () => {
    github.setIdentity(personalTokenGrant('octocat', { id: 583231 }))
    noGraphQL()
    expect(await findPostingIdentity(client())).toEqual({ known: true, identity: PERSON, source: 'rest' })
  })

  it('says it cannot tell for an installation token without GraphQL, and why', async () => {
    noGraphQL()
    const lookup = await findPostingIdentity(client())
    expect(lookup.known).toBe(false)
    if (lookup.known) return
    expect(lookup.reason).toMatch(
      /^could not tell which account the token posts as: GitHub answered 404 while reading the token’s identity \(viewer\): Not Found; /
    )
    expect(lookup.reason).toContain(
      'GitHub answered 403 while reading the token’s user (GET /user): Resource not accessible by integration'
    )
    expect(lookup.reason).not.toContain(TOKEN)
  })

  it('says it cannot tell when the token is refused, without throwing', async () => {
    const bad = createGitHubClient({
      token: 'ghp_wrongwrongwrongwrongwrong00',
      baseUrl: github.baseUrl,
      throttle: { retryAfterUnitMs: 1, maxRetries: 0 }
    })
    const lookup = await findPostingIdentity(bad)
    expect(lookup).toEqual({ known: false, reason: expect.stringContaining('Bad credentials') })
  })
})

describe('identityFromUser', () => {
  it.each([
    [{ login: 'github-actions[bot]', id: 41898282 }, ACTIONS],
    [{ login: 'github-actions', id: 41898282, type: 'Bot' }, ACTIONS],
    [{ login: 'my-app[bot]', id: 9001, type: 'Bot' }, APP],
    [{ login: 'octocat', id: 583231, type: 'User' }, PERSON]
  ])('%j', (user, identity) => {
    expect(identityFromUser(user)).toEqual(identity)
  })
})

describe('isAuthoredBy', () => {
  it.each<[string, GitHubIdentity, GitHubUserRef | null, boolean]>([
    ['the same id', ACTIONS, { login: 'github-actions[bot]', id: 41898282, type: 'Bot' }, true],
    ['the same id under GraphQL’s spelling', ACTIONS, { login: 'github-actions', id: 41898282, type: 'Bot' }, true],
    ['the same id after a rename', PERSON, { login: 'octocat-renamed', id: 583231 }, true],
    ['the same login with another id', ACTIONS, { login: 'github-actions[bot]', id: 99, type: 'Bot' }, false],
    ['REST spelling, no id', APP, { login: 'my-app[bot]' }, true],
    ['GraphQL spelling with its type, no id', APP, { login: 'my-app', type: 'Bot' }, true],
    ['another case, no id', PERSON, { login: 'OctoCat', type: 'User' }, true],
    ['a person named like the app’s bot', APP, { login: 'my-app', type: 'User' }, false],
    ['a bot named like the person', PERSON, { login: 'octocat[bot]' }, false],
    ['someone else', ACTIONS, { login: 'mallory', id: 1234, type: 'User' }, false],
    ['no author (a deleted account)', ACTIONS, null, false]
  ])('%s', (_name, identity, user, expected) => {
    expect(isAuthoredBy(identity, user)).toBe(expected)
  })
})
