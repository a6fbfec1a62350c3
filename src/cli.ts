console.log('codex-pr-review cli')
