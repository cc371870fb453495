/**
 * The offices' inbox as people read it: each task with its allowed outcomes spelled out, its due
 * date in both calendars, its application's licence type and the applicant's name.
 */
import { formatJalali, workingDaysBetween, type HolidayCalendar } from '../dsl/calendar.js';
import type { RecordedField, Text } from '../dsl/schema.js';
import type { tasks } from '../db/schema/index.js';
import type { Actor, ServiceContext } from './context.js';
import { countInbox, findTask, listTasks, type TaskFilter } from './tasks.js';

type TaskRow = typeof tasks.$inferSelect;

export interface AllowedOutcome {
  name: string;
  title: Text;
  requiresReason: boolean;
  /** What a decision with this outcome must record (`recorded`), as the definition declares it. */
  fields?: Record<string, RecordedField>;
}

/** The applicant as a task names them: the name only. */
export interface TaskApplicant {
  firstName: string;
  lastName: string;
}

export type TaskView = Omit<TaskRow, 'outcomes' | 'title' | 'priority'> & {
  title: Text; outcomes: AllowedOutcome[]; allowedOutcomes: AllowedOutcome[]; dueAtJalali: string; dueInWorkingDays: number; priority: Text[] | null;
  licenceType: string; applicant: TaskApplicant | null;
};

/** What a task's view takes from its application: its licence type (or lifecycle process id) and its facts. */
export interface TaskApplication {
  licenceType: string;
  facts: unknown;
}

/** The roles that see the applicant's name on a task: those who decide or submit (never integrators). */
const SEE_APPLICANT: readonly Actor['role'][] = ['portal', 'county-office', 'province-office', 'national-office'];

/** The applicant's first and last name from an application's facts, or null where it names none. */
export function applicantOf(facts: unknown): TaskApplicant | null {
  const applicant = (facts as { applicant?: { firstName?: unknown; lastName?: unknown } } | null)?.applicant;
  const { firstName, lastName } = applicant ?? {};
  return typeof firstName === 'string' && typeof lastName === 'string' ? { firstName, lastName } : null;
}

/** A task row with its outcomes, the Jalali form of its due date, and what the caller may see of its application. */
export function taskView(row: TaskRow, calendar: HolidayCalendar, application: TaskApplication, actor: Actor, now = Date.now()): TaskView {
  const outcomes = (row.outcomes as Partial<AllowedOutcome>[]).map((o) => ({
    name: String(o.name), title: o.title ?? { fa: String(o.name), en: String(o.name) }, requiresReason: o.requiresReason === true,
    ...(o.fields ? { fields: o.fields } : {}),
  }));
  return {
    ...row, title: row.title as Text, outcomes, allowedOutcomes: outcomes, dueAtJalali: formatJalali(row.dueAt.getTime(), calendar, true),
    dueInWorkingDays: workingDaysBetween(now, row.dueAt.getTime(), calendar),
    priority: (row.priority as Text[] | null) ?? null,
    licenceType: application.licenceType, applicant: SEE_APPLICANT.includes(actor.role) ? applicantOf(application.facts) : null,
  };
}

/** Open tasks for the caller's office, filtered, and the counts of its whole inbox. */
export async function inbox({ ctx, filter }: { ctx: ServiceContext; filter?: TaskFilter }) {
  const rows = await listTasks({ ctx, filter });
  // Each row carries the whole inbox's counts; with none listed, they are counted on their own.
  const counts = rows[0]?.counts ?? await countInbox({ ctx });
  const now = (ctx.deps.now ?? Date.now)();
  return { items: rows.map((row) => taskView(row.task, ctx.deps.calendar, row, ctx.actor, now)), counts };
}

/** One task in the caller's scope, of any status. */
export async function viewTask({ ctx, taskId }: { ctx: ServiceContext; taskId: string }): Promise<TaskView> {
  const found = await findTask({ ctx, taskId });
  return taskView(found.task, ctx.deps.calendar, found, ctx.actor, (ctx.deps.now ?? Date.now)());
}
