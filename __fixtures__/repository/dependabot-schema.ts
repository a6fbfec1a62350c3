/**
 * The dependabot.yml options GitHub documents ("Dependabot options reference"), written as a JSON schema so a typo
 * (`update-type`, `interval: weekley`, a misplaced key) fails a test instead of being ignored by Dependabot
 * until someone wonders why no pull request comes. Strict on what we use (schedule, groups, ignore); the other
 * documented keys of an update entry are accepted with their basic type.
 */

const STRING_LIST = { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 } as const

const ECOSYSTEMS = [
  'bun',
  'bundler',
  'cargo',
  'composer',
  'conda',
  'devcontainers',
  'docker',
  'docker-compose',
  'dotnet-sdk',
  'elm',
  'github-actions',
  'gitsubmodule',
  'gomod',
  'gradle',
  'helm',
  'maven',
  'mix',
  'npm',
  'nuget',
  'pip',
  'pub',
  'rust-toolchain',
  'swift',
  'terraform',
  'uv'
]

const SCHEDULE = {
  type: 'object',
  additionalProperties: false,
  required: ['interval'],
  properties: {
    interval: { enum: ['daily', 'weekly', 'monthly', 'quarterly', 'semiannually', 'yearly', 'cron'] },
    day: { enum: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] },
    time: { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' },
    timezone: { type: 'string', minLength: 1 },
    cronjob: { type: 'string', minLength: 1 }
  }
} as const

const GROUP = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    'applies-to': { enum: ['version-updates', 'security-updates'] },
    'dependency-type': { enum: ['development', 'production'] },
    patterns: STRING_LIST,
    'exclude-patterns': STRING_LIST,
    'update-types': { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['major', 'minor', 'patch'] } }
  }
} as const

const IGNORE_RULE = {
  type: 'object',
  additionalProperties: false,
  required: ['dependency-name'],
  properties: {
    'dependency-name': { type: 'string', minLength: 1 },
    versions: STRING_LIST,
    'update-types': {
      type: 'array',
      minItems: 1,
      items: { enum: ['version-update:semver-major', 'version-update:semver-minor', 'version-update:semver-patch'] }
    }
  }
} as const

const UPDATE = {
  type: 'object',
  additionalProperties: false,
  required: ['package-ecosystem', 'schedule'],
  oneOf: [{ required: ['directory'] }, { required: ['directories'] }],
  properties: {
    'package-ecosystem': { enum: ECOSYSTEMS },
    directory: { type: 'string', pattern: '^/' },
    directories: STRING_LIST,
    schedule: SCHEDULE,
    groups: {
      type: 'object',
      // GitHub: starts and ends with a letter; letters, pipes, underscores or hyphens in between.
      propertyNames: { pattern: '^[A-Za-z]([A-Za-z|_-]*[A-Za-z])?$' },
      additionalProperties: GROUP
    },
    ignore: { type: 'array', items: IGNORE_RULE },
    allow: { type: 'array', items: { type: 'object' } },
    assignees: STRING_LIST,
    reviewers: STRING_LIST,
    labels: { type: 'array', items: { type: 'string' } },
    milestone: { type: 'integer' },
    'commit-message': { type: 'object' },
    cooldown: { type: 'object' },
    'open-pull-requests-limit': { type: 'integer', minimum: 0 },
    'pull-request-branch-name': { type: 'object' },
    'rebase-strategy': { enum: ['auto', 'disabled'] },
    registries: { anyOf: [{ const: '*' }, STRING_LIST] },
    'target-branch': { type: 'string', minLength: 1 },
    vendor: { type: 'boolean' },
    'versioning-strategy': { enum: ['auto', 'increase', 'increase-if-necessary', 'lockfile-only', 'widen'] },
    'insecure-external-code-execution': { const: 'allow' },
    'exclude-paths': STRING_LIST,
    'multi-ecosystem-group': { type: 'string', minLength: 1 },
    patterns: STRING_LIST
  }
} as const

/** The whole file: `version: 2` and at least one update entry. */
export const DEPENDABOT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'updates'],
  properties: {
    version: { const: 2 },
    updates: { type: 'array', minItems: 1, items: UPDATE },
    registries: { type: 'object' },
    'multi-ecosystem-groups': { type: 'object' },
    'enable-beta-ecosystems': { type: 'boolean' }
  }
} as const
