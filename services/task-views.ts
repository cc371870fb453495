/**
 * The offices' inbox as people read it: each task with its allowed outcomes spelled out and its
 * due date in both calendars.
 */
import { formatJalali, type HolidayCalendar } from '../dsl/calendar.js';
import type { RecordedField, Text } from '../dsl/schema.js';
import type { tasks } from '../db/schema/index.js';
import type { ServiceContext } from './context.js';
import { listTasks } from './tasks.js';

type TaskRow = typeof tasks.$inferSelect;

export interface AllowedOutcome {
  name: string;
  title: Text;
  requiresReason: boolean;
  /** What a decision with this outcome must record (`recorded`), as the definition declares it. */
  fields?: Record<string, RecordedField>;
}

export type TaskView = Omit<TaskRow, 'outcomes' | 'title' | 'priority'> & { title: Text; outcomes: AllowedOutcome[]; allowedOutcomes: AllowedOutcome[]; dueAtJalali: string; priority: Text[] | null };

/** A task row with its outcomes and the Jalali form of its due date. */
export function taskView(row: TaskRow, calendar: HolidayCalendar): TaskView {
  const outcomes = (row.outcomes as Partial<AllowedOutcome>[]).map((o) => ({
    name: String(o.name), title: o.title ?? { fa: String(o.name), en: String(o.name) }, requiresReason: o.requiresReason === true,
    ...(o.fields ? { fields: o.fields } : {}),
  }));
  return {
    ...row, title: row.title as Text, outcomes, allowedOutcomes: outcomes, dueAtJalali: formatJalali(row.dueAt.getTime(), calendar, true),
    priority: (row.priority as Text[] | null) ?? null,
  };
}

/** Open tasks for the caller's office, soonest due first. */
export async function inbox({ ctx }: { ctx: ServiceContext }): Promise<TaskView[]> {
  const rows = await listTasks({ ctx });
  return rows.map((row) => taskView(row, ctx.deps.calendar));
}
