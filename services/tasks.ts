/** The offices' inbox and their decisions, delivered to the waiting workflow as a signal. */
import { WorkflowNotFoundError } from '@temporalio/client';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import { applications, tasks } from '../db/schema/index.js';
import { decisionSignal } from '../workflows/contract.js';
import { inScope, type ServiceContext } from './context.js';
import { appendAudit } from './audit.js';
import { conflict, forbidden, invalid, notFound } from './errors.js';
import { normaliseText } from './identifiers.js';

/** Open tasks for the caller's office: its role, in its county or province. */
export async function listTasks({ ctx }: { ctx: ServiceContext }) {
  const { actor } = ctx;
  const filters: SQL[] = [eq(tasks.status, 'open')];
  if (actor.role === 'county-office') filters.push(eq(tasks.role, 'county-office'), eq(tasks.county, actor.county ?? ''));
  else if (actor.role === 'province-office') filters.push(eq(tasks.role, 'province-office'), eq(tasks.province, actor.province ?? ''));
  else if (actor.role !== 'portal') throw forbidden('the inbox is for offices');
  return ctx.deps.db.select().from(tasks).where(and(...filters)).orderBy(asc(tasks.dueAt));
}

type Outcome = { name: string; requiresReason: boolean };

/** Decides an open task with one of its outcomes; the reason is required where the definition says so. */
export async function decideTask({ ctx, taskId, outcome, reason }: { ctx: ServiceContext; taskId: string; outcome: unknown; reason?: unknown }) {
  const { actor, deps } = ctx;
  const [task] = await deps.db.select().from(tasks).where(eq(tasks.id, taskId));
  if (!task) throw notFound({ fa: 'کار یافت نشد', en: 'task not found' });
  if (task.role !== actor.role || !inScope(actor, task)) throw forbidden(`task ${taskId} belongs to another office`);
  if (task.status !== 'open') throw conflict('task-closed', { fa: 'این کار بسته شده است', en: 'the task is closed' }, `status is ${task.status}`);
  const allowed = task.outcomes as Outcome[];
  const chosen = allowed.find((o) => o.name === outcome);
  if (!chosen) {
    throw invalid('unknown-outcome', 'outcome', { fa: 'نتیجه نامعتبر', en: 'unknown outcome' }, `outcome must be one of ${allowed.map((o) => o.name).join(', ')}`);
  }
  const why = typeof reason === 'string' ? normaliseText(reason) : undefined;
  if (chosen.requiresReason && !why) {
    throw invalid('reason-required', 'reason', { fa: 'ذکر دلیل الزامی است', en: 'a reason is required' }, `outcome ${chosen.name} requires a reason`);
  }
  const [app] = await deps.db.select({ workflowId: applications.workflowId }).from(applications).where(eq(applications.id, task.applicationId));
  try {
    await deps.temporal.workflow.getHandle(app!.workflowId).signal(decisionSignal, {
      taskId, outcome: chosen.name, reason: why, decidedBy: actor.subject,
    });
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw conflict('application-ended', { fa: 'درخواست پایان یافته است', en: 'the application has ended' });
    throw error;
  }
  await appendAudit(deps.db, {
    actor: actor.subject, action: 'task.decided', subjectType: 'task', subjectId: taskId,
    detail: { applicationId: task.applicationId, stepId: task.stepId, outcome: chosen.name, reasonGiven: why !== undefined && why !== '' },
  });
  return { taskId, outcome: chosen.name, status: 'decision-delivered' as const };
}
