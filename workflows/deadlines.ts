/**
 * Waiting for something or a deadline, without ever cancelling a timer.
 *
 * `condition(fn, timeout)` cancels its timer when `fn` comes true first. Temporal's time-skipping
 * test server refuses a workflow task that cancels a timer which fired while the task was with
 * the worker ("invalid history builder state for action", temporalio/sdk-java#3088), and never
 * sends the task again: the run is stranded and, its task outstanding, time stops for every test
 * on that server. A signal racing a timer (a poke of the outbox delivery at the moment its daily
 * poll is due, a decision at its task's due time) is exactly that. So a deadline's timer here is
 * started once, left to fire and then ignored; a real server pays one idle wake-up for it.
 */
import { CancellationScope, condition, sleep } from '@temporalio/workflow';
import { now } from './clock.js';

/** The deadlines one workflow waits on, each with its one timer. */
export class Deadlines {
  private readonly timers = new Map<number, { passed: boolean }>();

  /**
   * Waits until `fn` holds or `dueAt` (workflow time, ms) passes.
   * @returns true when `fn` holds, false when the deadline passed first.
   */
  async until(fn: () => boolean, dueAt: number): Promise<boolean> {
    if (fn()) return true;
    const delay = dueAt - now();
    if (delay <= 0) return false;
    let timer = this.timers.get(dueAt);
    if (!timer) {
      const started = { passed: false };
      timer = started;
      this.timers.set(dueAt, started);
      void CancellationScope.nonCancellable(() => sleep(delay)).then(() => {
        started.passed = true;
        this.timers.delete(dueAt);
      });
    }
    const waited = timer;
    await condition(() => fn() || waited.passed);
    return fn();
  }

  /** As `until`, with the deadline `ms` from now. */
  async within(fn: () => boolean, ms: number): Promise<boolean> {
    return this.until(fn, now() + ms);
  }
}
