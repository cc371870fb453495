/**
 * What the running Temporal activity knows, read safely: the adapters also run outside an
 * activity (scripts, unit tests), where `Context.current()` throws.
 */
import { Context } from '@temporalio/activity';
import { msOptionalToNumber } from '@temporalio/common/lib/time.js';

function current(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/** This attempt's number, 1 for the first call (and outside an activity). */
export function currentAttempt(): number {
  return current()?.info.attempt ?? 1;
}

/** Aborts when Temporal cancels the activity (its deadline passed, or the workflow ended). */
export function cancellationSignal(): AbortSignal | undefined {
  return current()?.cancellationSignal;
}

/**
 * The retry intervals the workflow gave this activity (a definition's `retry:`), so the jittered
 * delay follows the process's policy rather than a fixed one; undefined outside an activity.
 */
export function currentRetryIntervals(): { initialIntervalMs?: number; maximumIntervalMs?: number } | undefined {
  const policy = current()?.info.retryPolicy;
  if (!policy) return undefined;
  return {
    initialIntervalMs: msOptionalToNumber(policy.initialInterval),
    maximumIntervalMs: msOptionalToNumber(policy.maximumInterval),
  };
}
