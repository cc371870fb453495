/**
 * Planned maintenance, announced in advance (seed 003): "نگهداری و تغییرات خدمت" (maintenance that
 * makes a service unavailable is coordinated with its users beforehand) and "دسترس پذیری" (any
 * unavailability is announced). The national office announces a window; the public reads the
 * windows announced and in progress; the national permits portal is told through the outbox, as
 * it is told of a licence's change.
 */
import { pokeOutbox } from './outbox-poke.js';
import { asc, gt } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/client.js';
import { maintenanceWindows } from '../db/schema/index.js';
import { appendAudit } from '../domain/audit.js';
import { enqueueNotification } from '../domain/outbox.js';
import { formatJalali } from '../dsl/calendar.js';
import { toPersianDigits } from '../platform/dates/jalali.js';
import type { Text } from '../dsl/schema.js';
import type { ServiceContext, ServiceDeps } from './context.js';
import { DomainError, invalid } from './errors.js';

/**
 * Assumption `sla.maintenance.notice-period`: a window is announced at least this long before it
 * starts. Seed 003 says "in advance" (از قبل) and gives no number; the authority sets it.
 */
export const MAINTENANCE_NOTICE_HOURS = 48;

/** The outbox subject every maintenance notice is queued under: the portal receives them in order. */
export const MAINTENANCE_SUBJECT = 'service-maintenance';

/** `services` naming every service at once. */
export const ALL_SERVICES = 'all';

export interface MaintenanceAnnouncement {
  startsAt: string;
  endsAt: string;
  services: string[];
  notice: Text;
}

/** A window the rules of seed 003 refuse as announced: 422, naming the field, in both languages. */
const refusedWindow = (reason: string, field: keyof MaintenanceAnnouncement, title: Text, detail: string) =>
  new DomainError('refused', 'maintenance-window-refused', title, detail, field, reason);

/** The reason codes `announceMaintenance` refuses a window with (422 `maintenance-window-refused`). */
export const MAINTENANCE_REFUSALS = ['MAINTENANCE_STARTS_IN_PAST', 'MAINTENANCE_ENDS_BEFORE_START', 'MAINTENANCE_NOTICE_TOO_SHORT'] as const;

function judge(window: MaintenanceAnnouncement, nowMs: number): void {
  const starts = Date.parse(window.startsAt);
  const ends = Date.parse(window.endsAt);
  if (starts <= nowMs) {
    throw refusedWindow('MAINTENANCE_STARTS_IN_PAST', 'startsAt', { fa: 'شروع دوره نگهداری گذشته است', en: 'the maintenance window starts in the past' },
      `startsAt ${window.startsAt} is not after now`);
  }
  if (ends <= starts) {
    throw refusedWindow('MAINTENANCE_ENDS_BEFORE_START', 'endsAt', { fa: 'پایان دوره نگهداری پیش از شروع آن است', en: 'the maintenance window ends before it starts' },
      `endsAt ${window.endsAt} is not after startsAt ${window.startsAt}`);
  }
  if (starts - nowMs < MAINTENANCE_NOTICE_HOURS * 3_600_000) {
    throw refusedWindow('MAINTENANCE_NOTICE_TOO_SHORT', 'startsAt',
      { fa: `دوره نگهداری باید دست‌کم ${toPersianDigits(String(MAINTENANCE_NOTICE_HOURS))} ساعت پیش از شروع اعلام شود`, en: `a maintenance window is announced at least ${MAINTENANCE_NOTICE_HOURS} hours before it starts` },
      `startsAt ${window.startsAt} is less than ${MAINTENANCE_NOTICE_HOURS} hours away (sla.maintenance.notice-period)`);
  }
}


/**
 * Announces a maintenance window (national office): judged against seed 003's rules, then the
 * window, the portal's notification and the audit entry are written in one transaction.
 */
export async function announceMaintenance({ ctx, input }: { ctx: ServiceContext; input: MaintenanceAnnouncement }) {
  const { deps, actor } = ctx;
  const nowMs = (deps.now ?? Date.now)();
  const services = [...new Set(input.services)];
  services.forEach((service, i) => {
    if (service !== ALL_SERVICES && deps.catalogue.versions(service).length === 0) {
      throw invalid('invalid-field', `services.${i}`, { fa: 'خدمت ناشناخته', en: 'unknown service' }, `services.${i}: ${service} is no licence type (or "all")`);
    }
  });
  judge(input, nowMs);
  const id = randomUUID();
  const row = { id, startsAt: new Date(input.startsAt), endsAt: new Date(input.endsAt), services, notice: input.notice, announcedBy: actor.subject };
  await deps.db.transaction(async (tx) => {
    const db = tx as unknown as Database;
    await db.insert(maintenanceWindows).values(row);
    await enqueueNotification(db, {
      dedupeKey: `maintenance:${id}`, subject: MAINTENANCE_SUBJECT, event: 'maintenance-announced',
      payload: { windowId: id, startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString(), services, notice: input.notice },
    });
    await appendAudit(db, {
      actor: actor.subject, action: 'maintenance.announced', subjectType: 'maintenance-window', subjectId: id,
      detail: { startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString(), services },
    });
  });
  await pokeOutbox(deps);
  const [announced] = await windowsAfter(deps, nowMs, id);
  return announced!;
}

async function windowsAfter(deps: ServiceDeps, nowMs: number, only?: string) {
  const rows = await deps.db.select().from(maintenanceWindows).where(gt(maintenanceWindows.endsAt, new Date(nowMs))).orderBy(asc(maintenanceWindows.startsAt), asc(maintenanceWindows.id));
  return rows.filter((r) => !only || r.id === only).map((r) => ({
    id: r.id, state: r.startsAt.getTime() <= nowMs ? 'in-progress' as const : 'announced' as const,
    startsAt: r.startsAt, startsAtJalali: formatJalali(r.startsAt.getTime(), deps.calendar, true),
    endsAt: r.endsAt, endsAtJalali: formatJalali(r.endsAt.getTime(), deps.calendar, true),
    services: r.services as string[], notice: r.notice as Text, announcedAt: r.announcedAt,
  }));
}

/** The windows announced and in progress (not yet ended), soonest first: anyone may read them. */
export function listMaintenance({ deps }: { deps: ServiceDeps }) {
  return windowsAfter(deps, (deps.now ?? Date.now)());
}
