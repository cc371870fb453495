/** The offices' inbox and their decisions. */
import { decideTask } from '../../services/tasks.js';
import { inbox, viewTask } from '../../services/task-views.js';
import { describeRoute } from '../openapi/route.js';
import * as examples from '../schemas/examples.js';
import { Decision, DecisionDelivered, Task, TaskId, TaskList, TaskListQuery } from '../schemas/tasks.js';

export const taskRoutes = [
  describeRoute({
    method: 'get', path: '/v1/tasks', operationId: 'listTasks', tags: ['tasks'],
    summary: 'Your office\'s open tasks, soonest due first', summaryFa: 'کارتابل',
    description: 'Each task lists its allowed outcomes, its due date in both calendars, its application\'s licence type and the applicant\'s name. '
      + 'Filter by `licenceType`, `stepId` and `due` (working days by the holiday calendar); `counts` counts the whole open inbox, whatever the filters. '
      + 'A county office sees its county\'s county-office tasks, a province office its province\'s province-office tasks, the portal all.',
    access: ['portal', 'county-office', 'province-office'],
    request: { query: TaskListQuery },
    responses: { 200: { description: 'The open tasks.', schema: TaskList, example: { items: [examples.task], counts: { open: 1, overdue: 0, escalated: 0, prioritised: 0 } } } },
  }, async ({ ctx, query }) => ({ status: 200, body: await inbox({ ctx, filter: query }) })),

  describeRoute({
    method: 'get', path: '/v1/tasks/{taskId}', operationId: 'getTask', tags: ['tasks'],
    summary: 'One task, open or closed', summaryFa: 'جزئیات کار',
    description: 'A task of any status whose application is in your scope (as `GET /v1/applications/{applicationId}` shows it). '
      + 'A task outside your scope answers `404`, as an unknown one does.',
    access: ['portal', 'county-office', 'province-office', 'national-office'],
    request: { params: TaskId },
    responses: { 200: { description: 'The task.', schema: Task, example: examples.task } },
  }, async ({ ctx, params }) => ({ status: 200, body: await viewTask({ ctx, taskId: params.taskId }) })),

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
