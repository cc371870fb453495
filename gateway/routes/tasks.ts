/** The offices' inbox and their decisions. */
import { decideTask } from '../../services/tasks.js';
import { inbox } from '../../services/task-views.js';
import { describeRoute } from '../openapi/route.js';
import * as examples from '../schemas/examples.js';
import { Decision, DecisionDelivered, TaskId, TaskList } from '../schemas/tasks.js';

export const taskRoutes = [
  describeRoute({
    method: 'get', path: '/v1/tasks', operationId: 'listTasks', tags: ['tasks'],
    summary: 'Your office\'s open tasks, soonest due first', summaryFa: 'کارتابل',
    description: 'Each task lists its allowed outcomes and its due date in both calendars.',
    access: ['portal', 'county-office', 'province-office'],
    responses: { 200: { description: 'The open tasks.', schema: TaskList, example: { items: [examples.task] } } },
  }, async ({ ctx }) => ({ status: 200, body: { items: await inbox({ ctx }) } })),

  describeRoute({
    method: 'post', path: '/v1/tasks/{taskId}/decision', operationId: 'decideTask', tags: ['tasks'],
    summary: 'Decide a task with one of its outcomes', summaryFa: 'ثبت تصمیم',
    description: 'The decision is delivered to the waiting process; `reason` is required where the outcome says so, and `recorded` where it declares `fields` (what the office records: a site visit\'s measurements, which the process\'s rules then judge). A task takes one decision: any other, at the same moment or after, is refused with `409 task-closed`. If the process engine does not answer (`503`), the decision is kept for you: retry with the same `Idempotency-Key`.',
    access: ['county-office', 'province-office'],
    request: { params: TaskId, body: { schema: Decision, example: { outcome: 'accept' } } },
    responses: { 202: { description: 'The decision was delivered.', schema: DecisionDelivered, example: { taskId: examples.task.id, outcome: 'accept', status: 'decision-delivered' } } },
    problems: [409, 503],
    refusals: {
      reasons: ['DOCUMENTS_MISSING'], type: 'documents-missing', example: examples.refused.documentsMissing,
      description: 'The outcome requires documents (its `documents` in the process definition) that the application has not attached through the portal: nothing was decided.',
    },
  }, async ({ ctx, params, body }) => ({
    status: 202, body: await decideTask({ ctx, taskId: params.taskId, outcome: body.outcome, reason: body.reason, recorded: body.recorded }),
  })),
];
