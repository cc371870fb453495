/**
 * What the soak counts after the run: inquiries the registries saw more than once,
 * notifications the portal never acknowledged, got out of order, or was sent twice, and how long
 * the worker held its workflow tasks.
 */
import { and, count, eq, inArray, isNotNull, isNull, ne } from 'drizzle-orm';
import { applications, outbox } from '../../db/schema/index.js';
import type { Client } from '@temporalio/client';
import type { Database } from '../../db/client.js';
import { workflowIdFor } from '../../domain/workflow-interfaces/licence-process.js';
import { RULE_REASONS } from './submissions.js';

/** Where the checks look: the sandbox's control routes, Parvaneh's database, Temporal. */
export interface SoakTarget { sandboxUrl: string; db: { db: Database }; client: Client }

/** What a run of applications through faults counts (the soak, the cluster's fault run). */
export interface RunOutcome {
  submitted: number;
  completed: number;
  rejectedByRule: number;
  rejectedOtherwise: number;
  stuck: number;
  duplicatedInquiries: number;
  lostNotifications: number;
  notificationsOutOfOrder: number;
  doubledNotifications: number;
  notificationsDelivered: number;
  /** Submissions retried with the same idempotency key (429, 409 in progress, 5xx, a connection cut). */
  submissionRetries: number;
}

interface SandboxInquiry { inquiryId: string; registry: string; nationalCode?: string }
interface PortalNotification { notificationId: string; subject: string; sequence: number }
interface PortalLog { accepted: PortalNotification[]; duplicates: number }

/** Inquiries a registry received for the same person beyond the first (SMS messages aside). */
export async function countDuplicatedInquiries(h: Pick<SoakTarget, 'sandboxUrl'>): Promise<number> {
  const seen = await (await fetch(`${h.sandboxUrl}/control/inquiries`)).json() as SandboxInquiry[];
  const perPerson = new Map<string, number>();
  for (const inquiry of seen) {
    if (inquiry.registry === 'sms') continue;
    const key = `${inquiry.registry}:${inquiry.nationalCode}`;
    perPerson.set(key, (perPerson.get(key) ?? 0) + 1);
  }
  return [...perPerson.values()].reduce((sum, n) => sum + n - 1, 0);
}

/**
 * Lost: an ended application without its notification, or a queued notification the portal has no
 * receipt of. Out of order: a subject whose accepted sequence numbers are not 1, 2, 3… in order.
 * Doubled: a subject's sequence number the portal accepted twice (under two notification ids).
 */
export async function countNotifications(h: Pick<SoakTarget, 'sandboxUrl' | 'db'>, applicationIds: string[]) {
  const portal = await (await fetch(`${h.sandboxUrl}/control/portal/notifications`)).json() as PortalLog;
  const accepted = new Set(portal.accepted.map((n) => n.notificationId));
  const queued = await h.db.db.select().from(outbox);
  const ended = await h.db.db.select({ id: applications.id, status: applications.status }).from(applications)
    .where(inArray(applications.id, applicationIds));
  const endings = new Set(queued.filter((n) => n.event.startsWith('application-')).map((n) => n.subject));
  const missingEndings = ended.filter((a) => a.status !== 'running' && !endings.has(a.id)).length;
  const unacknowledged = queued.filter((n) => !accepted.has(`parvaneh-${n.id}`)).length;

  const lastSequence = new Map<string, number>();
  const seen = new Set<string>();
  let outOfOrder = 0;
  let doubled = 0;
  for (const n of portal.accepted) {
    if (n.sequence !== (lastSequence.get(n.subject) ?? 0) + 1) outOfOrder += 1;
    // The same change of the same subject accepted twice under two notification ids.
    if (seen.has(`${n.subject}#${n.sequence}`)) doubled += 1;
    seen.add(`${n.subject}#${n.sequence}`);
    lastSequence.set(n.subject, n.sequence);
  }
  return {
    lostNotifications: missingEndings + unacknowledged,
    notificationsOutOfOrder: outOfOrder,
    doubledNotifications: doubled,
    notificationsDelivered: portal.accepted.length,
    portalDuplicatesAbsorbed: portal.duplicates,
  };
}

/** Milliseconds of a history event's timestamp. */
const millis = (t: { seconds?: { toNumber(): number } | number | null; nanos?: number | null } | null | undefined): number =>
  t ? Number(typeof t.seconds === 'number' ? t.seconds : t.seconds?.toNumber() ?? 0) * 1000 + (t.nanos ?? 0) / 1e6 : NaN;

/**
 * How long the worker held each workflow task (started to completed, local activities included),
 * over the latest run of every process the soak's applications started (children and standing
 * processes too), from Temporal's own event times.
 */
export async function workflowTaskTimes(h: Pick<SoakTarget, 'db' | 'client'>): Promise<{ tasks: number; overOneSecond: number; p99Ms: number; maxMs: number }> {
  const rows = await h.db.db.select({ id: applications.id }).from(applications);
  const durations: number[] = [];
  for (let i = 0; i < rows.length; i += 20) {
    await Promise.all(rows.slice(i, i + 20).map(async ({ id }) => {
      const history = await h.client.workflow.getHandle(workflowIdFor(id)).fetchHistory().catch(() => undefined);
      const started = new Map<string, number>();
      for (const e of history?.events ?? []) {
        if (e.workflowTaskStartedEventAttributes) started.set(String(e.eventId), millis(e.eventTime));
        const done = e.workflowTaskCompletedEventAttributes ?? e.workflowTaskFailedEventAttributes;
        if (done) durations.push(millis(e.eventTime) - (started.get(String(done.startedEventId)) ?? NaN));
      }
    }));
  }
  const known = durations.filter((d) => Number.isFinite(d)).sort((a, b) => a - b);
  return {
    tasks: known.length,
    overOneSecond: known.filter((d) => d > 1000).length,
    p99Ms: Math.round(known[Math.max(0, Math.ceil(0.99 * known.length) - 1)] ?? 0),
    maxMs: Math.round(known.at(-1) ?? 0),
  };
}

/** True when none of `ids` is still running and the outbox holds nothing undelivered. */
export async function drained(h: Pick<SoakTarget, 'db'>, ids: string[]): Promise<boolean> {
  const [running] = await h.db.db.select({ id: applications.id }).from(applications)
    .where(and(inArray(applications.id, ids), eq(applications.status, 'running'))).limit(1);
  const [pending] = await h.db.db.select({ id: outbox.id }).from(outbox).where(isNull(outbox.deliveredAt)).limit(1);
  return !running && !pending;
}

/**
 * A figure that only grows while the run moves forward: processes ended (every process, the
 * children the applications started too) plus notifications delivered. When it stops growing,
 * nothing is moving.
 */
export async function progress(h: Pick<SoakTarget, 'db'>): Promise<number> {
  const [ended] = await h.db.db.select({ n: count() }).from(applications).where(ne(applications.status, 'running'));
  const [delivered] = await h.db.db.select({ n: count() }).from(outbox).where(isNotNull(outbox.deliveredAt));
  return (ended?.n ?? 0) + (delivered?.n ?? 0);
}

/** Counts what came of the applications `ids`: their ends, the registries' inquiries, the portal's notifications. */
export async function countOutcome(h: Pick<SoakTarget, 'sandboxUrl' | 'db'>, ids: string[], submissionRetries: number) {
  const rows = await h.db.db.select({ status: applications.status, reason: applications.outcomeReason, step: applications.currentStep }).from(applications)
    .where(inArray(applications.id, ids));
  const running = rows.filter((r) => r.status === 'running');
  return {
    submitted: ids.length,
    completed: rows.filter((r) => r.status === 'approved').length,
    rejectedByRule: rows.filter((r) => r.status === 'rejected' && RULE_REASONS.has(r.reason ?? '')).length,
    rejectedOtherwise: rows.filter((r) => r.status === 'rejected' && !RULE_REASONS.has(r.reason ?? '')).length,
    stuck: running.length,
    duplicatedInquiries: await countDuplicatedInquiries(h),
    ...await countNotifications(h, ids),
    submissionRetries,
    /** Where the applications still running stand: current step → count. */
    stuckAt: running.reduce<Record<string, number>>((at, r) => ({ ...at, [r.step ?? '?']: (at[r.step ?? '?'] ?? 0) + 1 }), {}),
  } satisfies RunOutcome & Record<string, unknown>;
}
