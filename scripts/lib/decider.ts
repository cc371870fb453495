/**
 * A stand-in for every office in benchmarks and the soak: polls the `tasks` table and decides each
 * open task with its first positive outcome, at once, by signalling its workflow as the tasks
 * service does.
 */
import { eq } from 'drizzle-orm';
import { tasks } from '../../db/schema/index.js';
import type { ServiceDeps } from '../../services/context.js';
import { decisionSignal, workflowIdFor } from '../../domain/workflow-interfaces/licence-process.js';
import { compliantVisit } from '../../test/support/site-visit.js';

const POSITIVE_OUTCOMES = ['accept', 'approve', 'compliant', 'visited', 'confirm', 'pass', 'verified'];

/** What an outcome that declares fields records: a Welfare Services Centre site visit that complies (version 3). */
const RECORDED: Record<string, Record<string, unknown>> = { visited: compliantVisit };

/**
 * @example const decider = startDecider(deps, { label: 'soak' }); …; await decider.stop();
 */
export function startDecider(deps: Pick<ServiceDeps, 'db' | 'temporal'>, opts: { label?: string; pollMs?: number } = {}) {
  const label = opts.label ?? 'decider';
  let stopped = false;
  const signalled = new Set<string>();
  let errors = 0;
  const fail = (what: string, error: unknown) => {
    errors += 1;
    if (errors <= 5) console.error(`[${label}] ${what} failed: ${(error as Error).message}`);
  };

  const decide = async () => {
    const open = await deps.db.select({ id: tasks.id, applicationId: tasks.applicationId, outcomes: tasks.outcomes })
      .from(tasks).where(eq(tasks.status, 'open'));
    await Promise.all(open.filter((t) => !signalled.has(t.id)).map(async (t) => {
      const outcome = (t.outcomes as { name: string }[]).map((o) => o.name).find((name) => POSITIVE_OUTCOMES.includes(name));
      if (!outcome) return; // no positive outcome (e.g. a registry did not answer): the application will time out
      signalled.add(t.id);
      try {
        const recorded = RECORDED[outcome];
        await deps.temporal.workflow.getHandle(workflowIdFor(t.applicationId)).signal(decisionSignal, { taskId: t.id, outcome, decidedBy: `${label}-decider`, ...(recorded ? { recorded } : {}) });
      } catch (error) {
        signalled.delete(t.id);
        fail(`decision for ${t.id}`, error);
      }
    }));
  };

  const done = (async () => {
    while (!stopped) {
      try {
        await decide();
      } catch (error) {
        if (!stopped) fail('deciding', error);
      }
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 10));
    }
  })();
  return {
    get errors() { return errors; },
    async stop() { stopped = true; await done; },
  };
}
