/** Size limits for everything we post. GitHub rejects bodies over 65,536 characters with a 422. */

/** GitHub's limit for a comment, review or review-comment body (422 "Body is too long"). */
export const MAX_COMMENT_CHARS = 65_536

/** What the summary comment may use: the limit minus a margin for multi-unit characters and our own slack. */
export const SUMMARY_BUDGET_CHARS = 60_000

/**
 * Job summaries may hold 1 MiB per step; a UTF-16 code unit takes at most 3 bytes in UTF-8, so 300,000
 * units stay under it whatever the text.
 */
export const JOB_SUMMARY_BUDGET_CHARS = 300_000

/** Caps on model-provided text, applied before rendering. */
export const MAX_TITLE_CHARS = 200
export const MAX_BODY_CHARS = 4_000
export const MAX_REPLACEMENT_CHARS = 8_000
/** The model's overview of the whole change, shown at the top of the summary. */
export const MAX_OVERVIEW_CHARS = 6_000

/** Caps on text we show in the summary's tables and lists. */
export const MAX_PATH_CHARS = 400
export const MAX_ERROR_CHARS = 500
export const MAX_NOTE_CHARS = 1_000
export const MAX_NOTES = 20
/** Files listed per failed chunk before "+N more". */
export const MAX_PATHS_PER_FAILED_CHUNK = 10
