/**
 * Tells the outbox delivery workflow that this process queued a notification, so the portal hears
 * of it now rather than at the next safety poll.
 */
import { getExternalWorkflowHandle, workflowInfo } from '@temporalio/workflow';
import { outboxChangedSignal, outboxWorkflowIdFor } from '../domain/workflow-interfaces/licence-process.js';

/** Signals the delivery workflow of this task queue; if it is not running, its poll finds the row later. */
export async function pokeOutbox(): Promise<void> {
  try {
    await getExternalWorkflowHandle(outboxWorkflowIdFor(workflowInfo().taskQueue)).signal(outboxChangedSignal);
  } catch {
    // Not running (or not yet started): nothing is lost, the row waits in the outbox.
  }
}
