/**
 * An office's own figures: its open and overdue tasks, how long each step takes to decide, and the
 * registry inquiries still waiting for an answer, over the office's territory (a county office its
 * county, a province office its province, the national office the country), in SQL.
 */
import { and, asc, eq, gte, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Text } from '../dsl/schema.js';
import { applications, inquiries, tasks } from '../db/schema/index.js';
import type { ServiceContext } from './context.js';

type OfficeRole = 'county-office' | 'province-office' | 'national-office';
import { forbidden } from './errors.js';
import { provinceOf } from './geography.js';

/** How far back `steps[].decided` and its times reach. */
const DECIDED_WINDOW_DAYS = 90;

export interface OfficeFigures {
  scope: { role: OfficeRole; county: string | null; province: string | null };
  tasks: { open: number; overdue: number; escalated: number };
  steps: {
    licenceType: string; stepId: string; title: Text; open: number; overdue: number; decided: number;
    medianHours: number | null; p90Hours: number | null;
  }[];
  inquiries: { registry: string; waiting: number; late: number; oldestSince: Date }[];
  generatedAt: Date;
}

/** The applications of the office's territory, as a condition on `applications`. */
function territory(ctx: ServiceContext): SQL | undefined {
  const { actor } = ctx;
  if (actor.role === 'county-office') return eq(applications.county, actor.county ?? '');
  if (actor.role === 'province-office') return eq(applications.province, actor.province ?? '');
  if (actor.role === 'national-office') return undefined;
  throw forbidden('the figures are the offices\'');
}

const int = (expression: SQL) => sql<number>`(${expression})::int`;
/** The `fraction` percentile of the hours from opening to decision, of the tasks decided since `since`, to 2 decimals. */
const hours = (fraction: 0.5 | 0.9, since: Date) => sql<number | null>`round((percentile_cont(${sql.raw(String(fraction))}) within group (order by extract(epoch from ${tasks.decidedAt} - ${tasks.createdAt}) / 3600) filter (where ${tasks.status} = 'decided' and ${tasks.decidedAt} >= ${since.toISOString()}))::numeric, 2)::float8`;

/**
 * The figures of the caller's office. Open tasks are those still to decide (a decision on its way
 * to the process counts as taken); `decided`, `medianHours` and `p90Hours` cover the decisions of
 * the last 90 days, from a task's opening to its decision; an inquiry is `late` once its deadline
 * passed with no answer.
 */
export async function officeFigures({ ctx }: { ctx: ServiceContext }): Promise<OfficeFigures> {
  const { actor, deps } = ctx;
  const where = territory(ctx);
  const role = actor.role as OfficeRole;
  const nowMs = (deps.now ?? Date.now)();
  const now = new Date(nowMs);
  const since = new Date(nowMs - DECIDED_WINDOW_DAYS * 24 * 60 * 60 * 1000);
  const open = sql`${tasks.status} = 'open' and ${tasks.decisionDelivery} is null`;
  const inTerritory = (...more: SQL[]) => and(where, ...more);

  const [totals] = await deps.db.select({
    open: int(sql`count(*)`),
    overdue: int(sql`count(*) filter (where ${tasks.dueAt} < ${now.toISOString()})`),
    escalated: int(sql`count(*) filter (where ${tasks.escalatedAt} is not null)`),
  }).from(tasks).innerJoin(applications, eq(applications.id, tasks.applicationId))
    .where(inTerritory(eq(tasks.status, 'open'), isNull(tasks.decisionDelivery)));

  const steps = await deps.db.select({
    licenceType: applications.licenceType,
    stepId: tasks.stepId,
    title: sql<Text>`(array_agg(${tasks.title} order by ${tasks.createdAt} desc))[1]`,
    open: int(sql`count(*) filter (where ${open})`),
    overdue: int(sql`count(*) filter (where ${open} and ${tasks.dueAt} < ${now.toISOString()})`),
    decided: int(sql`count(*) filter (where ${tasks.status} = 'decided' and ${tasks.decidedAt} >= ${since.toISOString()})`),
    medianHours: hours(0.5, since),
    p90Hours: hours(0.9, since),
  }).from(tasks).innerJoin(applications, eq(applications.id, tasks.applicationId))
    .where(inTerritory(or(sql`${open}`, and(eq(tasks.status, 'decided'), gte(tasks.decidedAt, since)))!))
    .groupBy(applications.licenceType, tasks.stepId)
    .orderBy(asc(applications.licenceType), asc(tasks.stepId));

  const waiting = await deps.db.select({
    registry: inquiries.registry,
    waiting: int(sql`count(*)`),
    late: int(sql`count(*) filter (where ${inquiries.deadlineAt} < ${now.toISOString()})`),
    oldestSince: sql<Date>`min(${inquiries.sentAt})`.mapWith(inquiries.sentAt),
  }).from(inquiries).innerJoin(applications, eq(applications.id, inquiries.applicationId))
    .where(inTerritory(inArray(inquiries.status, ['sent', 'accepted'])))
    .groupBy(inquiries.registry).orderBy(asc(inquiries.registry));

  return {
    scope: {
      role, county: actor.role === 'county-office' ? actor.county ?? null : null,
      province: actor.role === 'national-office' ? null : actor.province ?? (actor.county ? provinceOf(actor.county) ?? null : null),
    },
    tasks: totals!,
    steps,
    inquiries: waiting,
    generatedAt: now,
  };
}
