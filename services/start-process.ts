/**
 * Starts an application's licence process. A start that errors may still have reached the
 * server (a lost reply, a retried call that finds its own workflow), so before anything is
 * undone the workflow is looked up: a running process is never left without its application row.
 */
import { TASK_QUEUE, type LicenceProcessInput } from '../domain/process-contracts/licence-process.js';
import type { ServiceDeps } from './context.js';
import { DomainError } from './errors.js';

/** True when the process started; false when it surely did not (the caller undoes its writes). */
export async function startProcess(deps: ServiceDeps, workflowId: string, input: LicenceProcessInput): Promise<{ started: true } | { started: false; error: Error }> {
  try {
    await deps.temporal.workflow.start(deps.workflowType ?? 'licenceProcess', { taskQueue: deps.taskQueue ?? TASK_QUEUE, workflowId, args: [input] });
    return { started: true };
  } catch (error) {
    try {
      await deps.temporal.workflow.getHandle(workflowId).describe();
      return { started: true };
    } catch {
      return { started: false, error: error as Error };
    }
  }
}

export const processUnavailable = (error: Error) =>
  new DomainError('unavailable', 'workflow-unavailable', { fa: 'موتور فرایند در دسترس نیست', en: 'the process engine is unavailable' }, error.message);
