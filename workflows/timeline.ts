/**
 * How a process writes its timeline. Each database activity is a local activity, and each costs a
 * marker in the history. In a lean run (`lean-history`, licence-process.ts) an event with no write
 * of its own (step-started, route-chosen, waiting…) is kept in the workflow and goes to PostgreSQL
 * with the next database write, which carries it as `earlier`. When the workflow has nothing more
 * to do until something happens (a timer, a registry, a decision, a child), the kept events are
 * written on their own first, before the workflow task ends. Either way the rows are the same, in
 * the same order. A run recorded before writes each event by itself, as it did.
 */
import { CancellationScope, CancelledFailure, condition } from '@temporalio/workflow';
import type { DatabaseActivities, TimelineEvent } from '../activities/database.js';
import { db } from './activity-options.js';

/**
 * Runs a local activity whole: a cancellation that arrives while it runs (a parallel step's other
 * branch ended, a withdrawal) takes effect once it has finished, as a `CancelledFailure` thrown
 * where it was awaited. The SDK would otherwise ask the worker to cancel it, and when the activity
 * finished in the same moment the worker's own bookkeeping refuses that request and fails the
 * workflow task ("Invalid transition in state machine"), again on every retry that meets the same
 * race. In a scope already cancelled it is refused at once, as before, and never started.
 */
export async function whole<T>(call: () => Promise<T>): Promise<T> {
  const scope = CancellationScope.current();
  if (scope.consideredCancelled) return call();
  const result = await CancellationScope.nonCancellable(call);
  if (scope.consideredCancelled) throw new CancelledFailure('cancelled while a database write ran');
  return result;
}

/** Every method of `activities` run `whole`. */
function wholly<T extends object>(activities: T): T {
  return new Proxy(activities, {
    get: (target, name) => {
      const call = target[name as keyof T] as (...args: unknown[]) => Promise<unknown>;
      return (...args: unknown[]) => whole(() => call(...args));
    },
  });
}

const isEvent = (value: unknown): value is TimelineEvent =>
  typeof value === 'object' && value !== null && 'seq' in value && 'kind' in value && 'occurredAt' in value;

/** The events not yet written, kept in sequence order, and the one write of them under way. */
export class Timeline {
  private kept: TimelineEvent[] = [];
  private writing: Promise<void> | undefined;

  /**
   * The database activities as this run calls them: `db` itself in the old mode; otherwise
   * `recordEvent` keeps its event, and every other write carries the kept events before its own.
   */
  readonly db: DatabaseActivities;

  /**
   * `together`: a lean run's events kept and written with the next write. `entire`: each write run
   * `whole` (never cancelled while it runs); a run recorded before either replays as it ran.
   */
  constructor(together: boolean, readonly entire = false) {
    if (!together) {
      this.db = entire ? wholly(db) : db;
      return;
    }
    this.db = new Proxy(db, {
      get: (target, name) => {
        if (name === 'recordEvent') return (event: TimelineEvent) => this.keep(event);
        const write = target[name as keyof DatabaseActivities] as (...args: unknown[]) => Promise<unknown>;
        // Whole with the kept events it carries: written, they are not kept again.
        return (...args: unknown[]) => this.run(() => this.writeWith(args, (carried) => write(...carried)));
      },
    });
    // Not cancelled with the workflow: what it keeps is written whatever ends the run.
    void CancellationScope.nonCancellable(() => this.writeWhenIdle());
  }

  /** Runs another local activity (an operators' alert) as this run's writes run: `whole` or as it comes. */
  run<T>(call: () => Promise<T>): Promise<T> {
    return this.entire ? whole(call) : call();
  }

  /** Resolves once every event built so far is written (before continue-as-new, or a write of its own kind). */
  async written(): Promise<void> {
    if (this.kept.length === 0 && !this.writing) return;
    await condition(() => this.kept.length === 0 && !this.writing);
  }

  private keep(event: TimelineEvent): Promise<void> {
    this.kept.push(event);
    return Promise.resolve();
  }

  /** Calls a write whose last argument is its event, with the kept events put before it. */
  private async writeWith<T>(args: unknown[], call: (args: unknown[]) => Promise<T>): Promise<T> {
    const last = args[args.length - 1];
    // Taken now: every kept event was built before this one, so its sequence number is lower.
    const earlier = isEvent(last) ? this.kept.splice(0) : [];
    try {
      // A write of them already under way goes first, so the rows keep their order.
      if (this.writing) await this.writing;
      return await call(earlier.length > 0 ? [...args.slice(0, -1), { ...(last as TimelineEvent), earlier }] : args);
    } catch (error) {
      // Not known to be written (a cancelled write): kept again; writing an event twice is a no-op.
      this.kept.unshift(...earlier);
      throw error;
    }
  }

  /**
   * Writes the kept events the moment the workflow has nothing else to do. A condition is judged
   * only when every coroutine waits, so this runs exactly when the workflow is about to wait.
   */
  private async writeWhenIdle(): Promise<void> {
    for (;;) {
      await condition(() => this.kept.length > 0 && !this.writing);
      const events = this.kept.splice(0);
      const last = events.pop()!;
      this.writing = CancellationScope.nonCancellable(() => db.recordEvent(events.length > 0 ? { ...last, earlier: events } : last));
      try {
        await this.writing;
      } finally {
        this.writing = undefined;
      }
    }
  }
}
