/** The offices' inbox and their decisions, delivered to the waiting workflow as a signal. */
import { WorkflowNotFoundError } from '@temporalio/client';
import { and, asc, eq, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client.js';
import { preparedPerDatabase, runPrepared } from '../db/query.js';
import type { RecordedField } from '../dsl/schema.js';
import { applications, documents, tasks } from '../db/schema/index.js';
import { DOCUMENT_NAMES_FA, requiredDocumentTypes } from '../dsl/documents.js';
import type { Facts } from '../dsl/expressions.js';
import { decisionSignal } from '../domain/workflow-interfaces/licence-process.js';
import { inScope, type Actor, type ServiceContext } from './context.js';
import { resolveDeadline, startOfDay, type HolidayCalendar } from '../dsl/calendar.js';
import { appendAudit } from '../domain/audit.js';
import { conflict, DomainError, firstIssueProblem, forbidden, invalid, notFound } from './errors.js';
import { normaliseText } from './identifiers.js';
import { fieldsSchema } from './input-fields.js';
import { processUnavailable } from './start-process.js';

/** How soon a task falls due, as the inbox filters it (`due`). */
export type DueFilter = 'overdue' | 'escalated' | 'today' | 'week';

export interface TaskFilter {
  licenceType?: string;
  stepId?: string;
  due?: DueFilter;
}

/** The inbox's scope shape by the caller's role: an office's own county or province, or (the portal) every open task. */
type InboxScope = 'county' | 'province' | 'all';

/** The caller's inbox scope and the value it is bounded by (its county or province). */
function inboxScopeOf(actor: Actor): { shape: InboxScope; scope: string } {
  if (actor.role === 'county-office') return { shape: 'county', scope: actor.county ?? '' };
  if (actor.role === 'province-office') return { shape: 'province', scope: actor.province ?? '' };
  if (actor.role === 'portal') return { shape: 'all', scope: '' };
  throw forbidden('the inbox is for offices');
}

/**
 * The caller's inbox, before any filter: the open tasks of its role, in its county or province
 * (the portal's: every open task). A task whose decision is on its way to the process is no longer
 * anyone's to decide.
 */
function inboxWhere(shape: InboxScope): SQL[] {
  const scope = sql.placeholder('scope');
  const filters: SQL[] = [eq(tasks.status, 'open'), isNull(tasks.decisionDelivery)];
  if (shape === 'county') filters.push(eq(tasks.role, 'county-office'), eq(tasks.county, scope));
  else if (shape === 'province') filters.push(eq(tasks.role, 'province-office'), eq(tasks.province, scope));
  return filters;
}

/**
 * The inbox's queries for one scope shape, prepared. The list's filters are placeholders that are
 * null when not asked for (one statement for every combination of filters), and it carries the
 * whole inbox's counts on each row (an uncorrelated subquery, computed once): one round trip, and
 * the counts query alone only when the filters leave no task.
 */
function inboxQueriesFor(db: Database, shape: InboxScope) {
  const value = (name: string, type: 'text' | 'timestamptz' | 'boolean') => sql`${sql.placeholder(name)}::${sql.raw(type)}`;
  const optional = (name: string, type: 'text' | 'timestamptz' | 'boolean', test: SQL) => sql`(${value(name, type)} is null or ${test})`;
  const now = value('now', 'timestamptz');
  const countsQuery = () => db.select({
    open: sql<number>`count(*)::int`.as('open'),
    overdue: sql<number>`(count(*) filter (where ${tasks.dueAt} < ${now}))::int`.as('overdue'),
    escalated: sql<number>`(count(*) filter (where ${tasks.escalatedAt} is not null))::int`.as('escalated'),
    prioritised: sql<number>`(count(*) filter (where ${tasks.priority} is not null))::int`.as('prioritised'),
  }).from(tasks).where(and(...inboxWhere(shape)));
  // Inside the subquery, "tasks" is its own FROM's: the whole inbox, not the listed row.
  const countsOfInbox = sql<InboxCounts>`(select row_to_json(c) from (${countsQuery()}) c)`;
  // Of the application's facts, an inbox row shows only the applicant's name (task-views.ts):
  // that is all it reads, not the whole facts document of every listed application.
  const names = sql<unknown>`jsonb_build_object('applicant', jsonb_build_object('firstName', ${applications.facts}->'applicant'->'firstName', 'lastName', ${applications.facts}->'applicant'->'lastName'))`.as('facts');
  const list = db.select({ task: tasks, licenceType: applications.licenceType, facts: names, counts: countsOfInbox }).from(tasks)
    .innerJoin(applications, eq(applications.id, tasks.applicationId))
    .where(and(...inboxWhere(shape),
      optional('licenceType', 'text', sql`${applications.licenceType} = ${value('licenceType', 'text')}`),
      optional('stepId', 'text', sql`${tasks.stepId} = ${value('stepId', 'text')}`),
      optional('dueFrom', 'timestamptz', sql`${tasks.dueAt} >= ${value('dueFrom', 'timestamptz')}`),
      optional('dueBefore', 'timestamptz', sql`${tasks.dueAt} < ${value('dueBefore', 'timestamptz')}`),
      optional('escalated', 'boolean', sql`${tasks.escalatedAt} is not null`)))
    .orderBy(sql`${tasks.priority} is null`, asc(tasks.dueAt), asc(tasks.id))
    .prepare(`inbox_${shape}`);
  const counts = countsQuery().prepare(`inbox_counts_${shape}`);
  return { list, counts };
}

/** The whole open inbox counted, whatever the filters. */
export interface InboxCounts { open: number; overdue: number; escalated: number; prioritised: number }

const inboxQueriesOf = preparedPerDatabase((db: Database) => ({
  county: inboxQueriesFor(db, 'county'), province: inboxQueriesFor(db, 'province'), all: inboxQueriesFor(db, 'all'),
}));

/**
 * The bounds of the `due` filters at `nowMs`, by the holiday calendar: `today` until the end of
 * the Tehran day, `week` until the end of the fifth working day after today.
 */
export function dueBounds(nowMs: number, calendar: HolidayCalendar): { endOfToday: Date; endOfWeek: Date } {
  const startOfToday = startOfDay(nowMs, calendar);
  const endOfDay = (ms: number) => startOfDay(ms, calendar) + DAY_MS;
  return { endOfToday: new Date(startOfToday + DAY_MS), endOfWeek: new Date(endOfDay(resolveDeadline({ workingDays: 5 }, startOfToday, calendar))) };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The list's filter values: each null where the filter is not asked for. */
function filterValues(filter: TaskFilter, now: Date, calendar: HolidayCalendar) {
  let dueFrom: Date | null = null;
  let dueBefore: Date | null = null;
  if (filter.due === 'overdue') dueBefore = now;
  else if (filter.due === 'today' || filter.due === 'week') {
    const { endOfToday, endOfWeek } = dueBounds(now.getTime(), calendar);
    dueFrom = now;
    dueBefore = filter.due === 'today' ? endOfToday : endOfWeek;
  }
  return {
    licenceType: filter.licenceType ?? null, stepId: filter.stepId ?? null,
    dueFrom: dueFrom?.toISOString() ?? null, dueBefore: dueBefore?.toISOString() ?? null, escalated: filter.due === 'escalated' ? true : null,
  };
}

/**
 * Open tasks for the caller's office (its role, in its county or province), filtered, with their
 * application's licence type and its applicant's name (`facts.applicant`'s first and last name only), and on each the counts of the whole inbox: tasks with grounds of priority first (seed 002, Art. 5(b)
 * note 1), then the soonest due. `overdue`: past due; `escalated`: moved up to this office;
 * `today` and `week`: not yet overdue, due by the end of today or of the fifth working day after it.
 */
export async function listTasks({ ctx, filter = {} }: { ctx: ServiceContext; filter?: TaskFilter }) {
  const { deps } = ctx;
  const { shape, scope } = inboxScopeOf(ctx.actor);
  const now = new Date((deps.now ?? Date.now)());
  return runPrepared(inboxQueriesOf(deps.db)[shape].list, { scope, now: now.toISOString(), ...filterValues(filter, now, deps.calendar) });
}

/** The caller's whole inbox counted, before any filter: open, overdue, escalated, with grounds of priority. */
export async function countInbox({ ctx }: { ctx: ServiceContext }): Promise<InboxCounts> {
  const { shape, scope } = inboxScopeOf(ctx.actor);
  const now = new Date((ctx.deps.now ?? Date.now)());
  const [counts] = await runPrepared(inboxQueriesOf(ctx.deps.db)[shape].counts, { scope, now: now.toISOString() });
  return counts!;
}

const taskNotFound = () => notFound({ fa: 'کار یافت نشد', en: 'task not found' });

/**
 * One task of any status, with its application's licence type and facts, if its application is
 * in the caller's scope (what `GET /v1/applications/{applicationId}` shows it with). Out of scope
 * answers as an unknown task does, so the scope is not revealed.
 */
export async function findTask({ ctx, taskId }: { ctx: ServiceContext; taskId: string }) {
  const [found] = await ctx.deps.db.select({ task: tasks, licenceType: applications.licenceType, facts: applications.facts, county: applications.county, province: applications.province })
    .from(tasks).innerJoin(applications, eq(applications.id, tasks.applicationId)).where(eq(tasks.id, taskId));
  if (!found || !inScope(ctx.actor, found)) throw taskNotFound();
  return found;
}

type Outcome = { name: string; requiresReason: boolean; fields?: Record<string, RecordedField> };

/** A delivery still `delivering` after this long died with its request; its decider may retry it. */
const DELIVERY_LEASE = sql`interval '2 minutes'`;

const taskClosed = (detail: string) => conflict('task-closed', { fa: 'این کار بسته شده است', en: 'the task is closed' }, detail);

/**
 * Decides an open task with one of its outcomes; the reason is required where the definition says
 * so, and `recorded` carries what the outcome declares it records (its `fields`), checked field by
 * field: a wrong one is refused naming it (`recorded.area`), and nothing is taken.
 *
 * A task takes one decision. It is taken by a conditional UPDATE (open, and no decision yet) in
 * the same transaction as its audit entry, so of two decisions at once exactly one gets the row and
 * the other is refused with `task-closed`, before the process has seen either.
 *
 * The decision is recorded before the process is signalled, and a failed signal leaves it recorded
 * as `undelivered` rather than undoing it: the decider's retry (the same request, which the
 * idempotency middleware lets through again after a 5xx) takes the same decision up and signals it
 * again, while every other decision stays refused. Undoing it instead would free the task for a
 * second decision while the first may yet have reached the process (a signal whose answer was lost).
 * The process keeps the first decision it receives, so a repeated signal changes nothing. The
 * audit entry is written when the decision is taken, so a re-delivery adds none.
 */
export async function decideTask({ ctx, taskId, outcome, reason, recorded }: { ctx: ServiceContext; taskId: string; outcome: unknown; reason?: unknown; recorded?: unknown }) {
  const { actor, deps } = ctx;
  const [task] = await deps.db.select().from(tasks).where(eq(tasks.id, taskId));
  if (!task) throw taskNotFound();
  if (task.role !== actor.role || !inScope(actor, task)) throw forbidden(`task ${taskId} belongs to another office`);
  if (task.status !== 'open') throw taskClosed(`status is ${task.status}`);
  const allowed = task.outcomes as Outcome[];
  const chosen = allowed.find((o) => o.name === outcome);
  if (!chosen) {
    throw invalid('unknown-outcome', 'outcome', { fa: 'نتیجه نامعتبر', en: 'unknown outcome' }, `outcome must be one of ${allowed.map((o) => o.name).join(', ')}`);
  }
  const why = typeof reason === 'string' ? normaliseText(reason) : undefined;
  if (chosen.requiresReason && !why) {
    throw invalid('reason-required', 'reason', { fa: 'ذکر دلیل الزامی است', en: 'a reason is required' }, `outcome ${chosen.name} requires a reason`);
  }
  const decision = { taskId, outcome: chosen.name, reason: why, decidedBy: actor.subject, ...recordedFor(chosen, recorded) };
  await requireDocuments(ctx, task, chosen.name);
  if (!(await takeDecision(ctx, task, decision)) && !(await retakeUndelivered(ctx, decision))) {
    throw taskClosed('the task has already been decided');
  }

  const [app] = await deps.db.select({ workflowId: applications.workflowId }).from(applications).where(eq(applications.id, task.applicationId));
  const delivery = (state: 'delivered' | 'undelivered') => deps.db.update(tasks).set({ decisionDelivery: state })
    .where(and(eq(tasks.id, taskId), eq(tasks.decisionDelivery, 'delivering')));
  try {
    await deps.temporal.workflow.getHandle(app!.workflowId).signal(decisionSignal, decision);
  } catch (error) {
    // If even this fails, the lease lets the retry through once it runs out.
    await delivery('undelivered').catch(() => undefined);
    if (error instanceof WorkflowNotFoundError) throw conflict('application-ended', { fa: 'درخواست پایان یافته است', en: 'the application has ended' });
    throw processUnavailable(error as Error);
  }
  // The process has the decision: nothing after this may turn the answer into an error the client retries.
  await delivery('delivered').catch(() => undefined);
  return { taskId, outcome: chosen.name, status: 'decision-delivered' as const };
}

/**
 * The documents the outcome requires (its `documents`, by the definition the application runs):
 * one the application has not attached refuses the decision, naming every one missing, before
 * anything is taken.
 */
async function requireDocuments({ deps }: ServiceContext, task: typeof tasks.$inferSelect, outcome: string): Promise<void> {
  const [app] = await deps.db.select({ hash: applications.definitionHash, facts: applications.facts }).from(applications).where(eq(applications.id, task.applicationId));
  const step = app && deps.catalogue.pinned(app.hash)?.definition.steps[task.stepId];
  const required = step?.type === 'task' ? step.outcomes[outcome]?.documents : undefined;
  if (!required) return;
  const wanted = requiredDocumentTypes(required, app!.facts as Facts);
  const attached = new Set((await deps.db.select({ type: documents.type }).from(documents).where(eq(documents.applicationId, task.applicationId))).map((d) => d.type));
  const missing = wanted.filter((type) => !attached.has(type));
  if (missing.length === 0) return;
  throw new DomainError('refused', 'documents-missing', {
    fa: `مدارک لازم برای این تصمیم پیوست نشده است: ${missing.map((type) => DOCUMENT_NAMES_FA[type]).join('، ')}`,
    en: `the documents this decision needs are not attached: ${missing.join(', ')}`,
  }, `outcome ${outcome} of ${task.stepId} requires ${wanted.join(', ')}; missing ${missing.join(', ')}`, 'documents', 'DOCUMENTS_MISSING');
}

/** What a decision records, checked against the outcome's `fields`; nothing for an outcome that declares none. */
function recordedFor(outcome: Outcome, recorded: unknown): { recorded?: Record<string, unknown> } {
  if (!outcome.fields) {
    if (recorded === undefined) return {};
    throw invalid('unknown-field', 'recorded', { fa: 'این نتیجه داده‌ای ثبت نمی‌کند', en: 'this outcome records nothing' }, `outcome ${outcome.name} declares no fields`);
  }
  const parsed = z.object({ recorded: fieldsSchema(outcome.fields) }).safeParse({ recorded });
  if (!parsed.success) throw firstIssueProblem(parsed.error, { recorded });
  return { recorded: parsed.data.recorded };
}

type TaskDecisionInput = { taskId: string; outcome: string; reason?: string; decidedBy: string; recorded?: Record<string, unknown> };

/** Takes an open, undecided task for this decision and audits it, atomically; false when another decision has it. */
async function takeDecision({ actor, deps }: ServiceContext, task: typeof tasks.$inferSelect, decision: TaskDecisionInput): Promise<boolean> {
  return deps.db.transaction(async (transaction) => {
    const tx = transaction as unknown as Database;
    const taken = await tx.update(tasks).set({
      outcome: decision.outcome, reason: decision.reason ?? null, decidedBy: decision.decidedBy, recorded: decision.recorded ?? null,
      decisionDelivery: 'delivering', decisionAttemptedAt: sql`now()`,
    }).where(and(eq(tasks.id, decision.taskId), eq(tasks.status, 'open'), isNull(tasks.decisionDelivery))).returning({ id: tasks.id });
    if (taken.length === 0) return false;
    await appendAudit(tx, {
      actor: actor.subject, action: 'task.decided', subjectType: 'task', subjectId: decision.taskId,
      detail: {
        applicationId: task.applicationId, stepId: task.stepId, outcome: decision.outcome, reasonGiven: decision.reason !== undefined && decision.reason !== '',
        // The names of the fields recorded, not their values (they are on the task).
        ...(decision.recorded ? { recorded: Object.keys(decision.recorded).sort() } : {}),
      },
    });
    return true;
  });
}

/**
 * Takes up again the same decision by the same decider whose delivery failed, or died with its
 * request: its retry. Already audited when it was first taken.
 */
async function retakeUndelivered({ deps }: ServiceContext, decision: TaskDecisionInput): Promise<boolean> {
  const retaken = await deps.db.update(tasks).set({ decisionDelivery: 'delivering', decisionAttemptedAt: sql`now()` }).where(and(
    eq(tasks.id, decision.taskId), eq(tasks.status, 'open'),
    eq(tasks.decidedBy, decision.decidedBy), eq(tasks.outcome, decision.outcome),
    sql`${tasks.reason} is not distinct from ${decision.reason ?? null}`,
    sql`${tasks.recorded} is not distinct from ${decision.recorded === undefined ? null : JSON.stringify(decision.recorded)}::jsonb`,
    or(
      eq(tasks.decisionDelivery, 'undelivered'),
      and(eq(tasks.decisionDelivery, 'delivering'), lt(tasks.decisionAttemptedAt, sql`now() - ${DELIVERY_LEASE}`)),
    ),
  )).returning({ id: tasks.id });
  return retaken.length > 0;
}
