/**
 * What the process workflows share about their activities: the database activities, run as local
 * activities inside the workflow task, with one retry policy, and the history length at which a
 * long process continues as new.
 */
import { proxyLocalActivities } from '@temporalio/workflow';
import type { DatabaseActivities } from '../activities/database.js';
import type { ProcessFaultActivities } from '../activities/process-faults.js';

/** Our own database: retried soon, then at most a minute apart, never given up on. */
export const DATABASE_RETRY = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' } as const;

/** The database activities (timeline, tasks, licences, outbox) as local activities. */
export const db = proxyLocalActivities<DatabaseActivities>({ startToCloseTimeout: '30s', retry: DATABASE_RETRY });

/** The operators' alert of a process fault (timeline, audit trail, log, counter), as a local activity. */
export const faults = proxyLocalActivities<ProcessFaultActivities>({ startToCloseTimeout: '30s', retry: DATABASE_RETRY });

/** History events after which a process continues as new, unless its input sets a lower limit. */
export const DEFAULT_HISTORY_LIMIT = 8_000;
