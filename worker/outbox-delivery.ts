/**
 * Starts the outbox delivery workflow of a task queue (on that queue's outbox queue), or leaves the running one alone: every
 * process that runs workers calls this at start, and exactly one delivery workflow results.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { TASK_QUEUE, outboxTaskQueueFor, outboxWorkflowIdFor, type OutboxDeliveryInput } from '../domain/workflow-interfaces/licence-process.js';

/**
 * @example await ensureOutboxDelivery(client, 'licence-processes')
 */
export async function ensureOutboxDelivery(client: Client, taskQueue = TASK_QUEUE, input: OutboxDeliveryInput = {}): Promise<string> {
  const workflowId = outboxWorkflowIdFor(taskQueue);
  try {
    await client.workflow.start('outboxDelivery', { taskQueue: outboxTaskQueueFor(taskQueue), workflowId, args: [input] });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return workflowId;
}
