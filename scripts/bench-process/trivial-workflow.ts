/**
 * The ceiling `npm run bench:process` measures applications against: a workflow that does nothing
 * but the same number of remote activities, local activities, timers and signals as one
 * interpreted application, each activity a no-op (scripts/lib/bench-process/trivial-activities.ts). The work is cut into
 * `signals + 1` segments; each but the last ends by announcing a wait (a local activity, as an
 * application opens a task row) and waiting for one signal. Timers are started and never awaited,
 * as the interpreter's deadlines mostly are. Everything runs in sequence: no parallel branches.
 */
import { CancellationScope, condition, proxyActivities, proxyLocalActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { TrivialActivities } from '../lib/bench-process/trivial-activities.js';
import { trivialSignal, type TrivialPlan } from './trivial-interface.js';

const remote = proxyActivities<TrivialActivities>({ startToCloseTimeout: '30s' });
const local = proxyLocalActivities<TrivialActivities>({ startToCloseTimeout: '30s' });

/** A deadline far away, as a task's: started, never fired within a run. */
const FAR_AWAY = '30 days';

export async function trivialProcess(plan: TrivialPlan): Promise<{ outcome: 'approved' }> {
  let received = 0;
  setHandler(trivialSignal, () => { received += 1; });
  const segments = plan.signals + 1;
  const share = (total: number, s: number) => Math.floor((total * (s + 1)) / segments) - Math.floor((total * s) / segments);
  const workflowId = workflowInfo().workflowId;
  for (let s = 0; s < segments; s++) {
    for (let i = share(plan.timers, s); i > 0; i--) void CancellationScope.nonCancellable(() => sleep(FAR_AWAY));
    const waits = s < plan.signals;
    const locals = Math.max(share(plan.localActivities, s), waits ? 1 : 0);
    for (let i = share(plan.activities, s); i > 0; i--) await remote.trivialStep({});
    for (let i = locals; i > 0; i--) await local.trivialStep(waits && i === 1 ? { announce: workflowId } : {});
    if (waits) await condition(() => received > s);
  }
  return { outcome: 'approved' };
}
