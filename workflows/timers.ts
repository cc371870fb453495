/**
 * Waiting for something or a deadline, without ever cancelling a timer.
 *
 * `condition(fn, timeout)` cancels its timer when `fn` comes true first. Temporal's time-skipping
 * test server refuses a workflow task that cancels a timer which fired while the task was with
 * the worker ("invalid history builder state for action", temporalio/sdk-java#3088), and never
 * sends the task again: the run is stranded and, its task outstanding, time stops for every test
 * on that server. A signal racing a timer (a poke of the outbox delivery at the moment its daily
 * poll is due, a decision at its task's due time) is exactly that. So a deadline's timer here is
 * left to fire and then ignored; a real server pays one idle wake-up for it.
 *
 * Whether a timer is started depends only on history (signals, fired timers), never on the clock:
 * workflow time can differ between a first run and its replay within one workflow task (local
 * activities), so "is it already due?" must not decide whether a command is sent.
 */
import { CancellationScope, condition, sleep } from '@temporalio/workflow';

/** A timer started once and never cancelled: `passed` once it has fired. */
export interface Timer {
  passed: boolean;
}

/** Starts a deadline `ms` from now (at least 1 ms: one already due still gets its timer). */
export function startTimer(ms: number): Timer {
  const deadline: Timer = { passed: false };
  void CancellationScope.nonCancellable(() => sleep(Math.max(1, Math.ceil(ms)))).then(() => { deadline.passed = true; });
  return deadline;
}

/** Waits until `fn` holds or `deadline` passes. @returns true when `fn` holds. */
export async function waitFor(fn: () => boolean, deadline: Timer): Promise<boolean> {
  await condition(() => fn() || deadline.passed);
  return fn();
}

/**
 * `condition(fn, ms)` without cancelling a timer: true when `fn` holds (at once, or before `ms`
 * have passed), false when the time passed first.
 */
export async function conditionWithin(fn: () => boolean, ms: number): Promise<boolean> {
  if (fn()) return true;
  return waitFor(fn, startTimer(ms));
}
