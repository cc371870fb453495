/** Wakes the portal's outbox delivery from a service (a workflow wakes it with workflows/outbox-poke.ts). */
import { outboxChangedSignal, outboxWorkflowIdFor, TASK_QUEUE } from '../domain/workflow-interfaces/licence-process.js';
import type { ServiceDeps } from './context.js';

/** Wakes the outbox delivery, so the portal hears now; if it is not running, its poll finds the row. */
export async function pokeOutbox(deps: ServiceDeps): Promise<void> {
  try {
    await deps.temporal.workflow.getHandle(outboxWorkflowIdFor(deps.taskQueue ?? TASK_QUEUE)).signal(outboxChangedSignal);
  } catch {
    // Not running yet: nothing is lost, the notification waits in the outbox.
  }
}
