#!/usr/bin/env node
console.log('codex-pr-review cli');
