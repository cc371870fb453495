/**
 * Workflow time. Inside a Temporal workflow `Date.now()` is replaced by the deterministic time of
 * the current workflow task, so reading it here is replay-safe; everywhere else in workflows/
 * the lint forbids `Date`, so that time has exactly one way in.
 */
// eslint-disable-next-line no-restricted-globals
export const now = (): number => Date.now();

/** An ISO 8601 timestamp of workflow time. */
// eslint-disable-next-line no-restricted-globals
export const isoAt = (ms: number): string => new Date(ms).toISOString();

/** Parses an ISO 8601 date-time (a date alone is midnight in Tehran); NaN when it is not one. */
// eslint-disable-next-line no-restricted-globals
export const parseIso = (text: string): number => Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00+03:30` : text);
