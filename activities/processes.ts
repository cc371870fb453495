/**
 * Starts processes that run on by themselves: a licence's standing processes when it is issued,
 * and a detached `subprocess` (a renewal started by its reminder). They are workflows of their own,
 * not children: nothing ties their end to the process that started them.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { workflowIdFor, type LicenceProcessInput } from '../domain/workflow-interfaces/licence-process.js';

export function createProcessActivities(deps: { client: Client; taskQueue: string }) {
  return {
    /** Starts `licenceProcess` for the application; a start already made (a retry) is a no-op. */
    async startDetachedProcess(input: LicenceProcessInput): Promise<{ workflowId: string }> {
      const workflowId = workflowIdFor(input.applicationId);
      try {
        await deps.client.workflow.start('licenceProcess', { taskQueue: deps.taskQueue, workflowId, args: [input] });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
      return { workflowId };
    },
  };
}

export type ProcessActivities = ReturnType<typeof createProcessActivities>;
