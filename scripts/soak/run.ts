/**
 * The soak: N Welfare Services Centre applications through the whole product (gateway over HTTP,
 * Temporal dev server, PostgreSQL, sandbox registries and portal) while faults are injected on a
 * schedule, then a count of what came out. Offices are played by a decider (scripts/lib/decider.ts).
 * Every tenth applicant states an age under 25, so some applications are rejected by rule.
 */
import { startHarness } from '../../test/support/harness.js';
import { DEFAULT_WORKER_SLOTS, workerSlotsFromEnv } from '../../worker/create-worker.js';
import { startDecider } from '../lib/decider.js';
import { injectFaults, type FaultLog } from './faults.js';
import { countOutcome, drained, workflowTaskTimes, type RunOutcome } from './checks.js';
import { submit } from './submissions.js';

export interface SoakOptions {
  applications: number;
  concurrency: number;
  /** How long to wait for the last applications and notifications once all are submitted. */
  drainMs: number;
  log?: (line: string) => void;
}

export interface SoakReport extends RunOutcome {
  portalDuplicatesAbsorbed: number;
  faults: FaultLog;
  wallSeconds: number;
  /** From the last submission to nothing running and nothing undelivered (undefined: the window ended first). */
  drainSeconds?: number;
  drainWindowSeconds: number;
  workflowTasks: Awaited<ReturnType<typeof workflowTaskTimes>>;
  /** Where the applications still running stand: current step → count. */
  stuckAt: Record<string, number>;
}

/** Runs the soak and returns its figures; the caller prints them. */
export async function runSoak(opts: SoakOptions): Promise<SoakReport> {
  const log = opts.log ?? (() => {});
  const started = Date.now();
  const h = await startHarness({ temporal: 'dev-server', sandboxDelayMs: 300 });
  // The worker's settings, as WORKER_* in the environment set them (worker/create-worker.ts).
  const slots = { ...DEFAULT_WORKER_SLOTS, ...workerSlotsFromEnv() };
  log(`worker: ${slots.workflowTasks} workflow-task slots, ${slots.localActivities} local and ${slots.activities} remote activity slots, ${slots.cachedWorkflows} cached workflows`);
  const decider = startDecider(h.deps, { label: 'soak', pollMs: 200 });
  try {
    const token = await h.issuer.mint({ role: 'portal', sub: 'portal:soak' });
    const faults = injectFaults(h, log);
    const retries = { count: 0 };
    const ids: string[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, opts.applications) }, async () => {
      while (next < opts.applications) {
        const seed = next++;
        ids.push(await submit(h.gatewayUrl, token, seed, retries));
        if (ids.length % 100 === 0) log(`${ids.length} submitted`);
      }
    }));
    log(`all ${ids.length} submitted; draining`);
    const drainStarted = Date.now();
    const deadline = drainStarted + opts.drainMs;
    let drainSeconds: number | undefined;
    for (;;) {
      // Not done before the whole fault schedule has run: a quick run must still meet every fault.
      if (faults.finished() && await drained(h, ids)) {
        drainSeconds = Math.round((Date.now() - drainStarted) / 1000);
        break;
      }
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 2_000));
    }
    await faults.stop();
    return {
      ...await countOutcome(h, ids, retries.count),
      faults: faults.log,
      wallSeconds: Math.round((Date.now() - started) / 1000),
      drainSeconds,
      drainWindowSeconds: Math.round(opts.drainMs / 1000),
      workflowTasks: await workflowTaskTimes(h),
    };
  } finally {
    await decider.stop();
    await h.close();
  }
}
