/** The git runner's errors: they name the git command that failed, not the hardening flags before it. */
import { createGitRunner, GitCommandError } from '../../src/context/git-command.js'
import { createTempRepo, type TempRepo } from './git-repo.js'

describe('the git runner', () => {
  let repo: TempRepo
  beforeEach(() => {
    repo = createTempRepo()
  })
  afterEach(() => repo.remove())

  it('names the subcommand that failed, after -c settings, with git’s first line of stderr', async () => {
    const git = createGitRunner({ cwd: repo.dir })
    const failure = git.run(['-c', 'diff.suppressBlankEmpty=false', 'diff', 'no-such-commit', 'HEAD'])
    await expect(failure).rejects.toBeInstanceOf(GitCommandError)
    await expect(failure).rejects.toThrow(/^git diff failed: fatal: /)
  })

  it('says git could not be started when the program is missing', async () => {
    const git = createGitRunner({ cwd: repo.dir, gitBinary: 'git-that-is-not-installed' })
    await expect(git.run(['diff', 'HEAD'])).rejects.toThrow(
      'git diff failed: could not start git-that-is-not-installed (ENOENT): is git installed and on the PATH?'
    )
  })
})
