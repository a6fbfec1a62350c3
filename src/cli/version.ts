/** The CLI's version, printed by --version; a test keeps it equal to package.json's. */
export const CLI_VERSION = '0.1.0'
