/**
 * What the soak counts after the run: inquiries the registries saw more than once, and
 * notifications the portal never acknowledged, got out of order, or was sent twice.
 */
import { inArray } from 'drizzle-orm';
import { applications, outbox } from '../../db/schema/index.js';
import type { Harness } from '../../test/support/harness.js';

interface SandboxInquiry { inquiryId: string; registry: string; nationalCode?: string }
interface PortalNotification { notificationId: string; subject: string; sequence: number }
interface PortalLog { accepted: PortalNotification[]; duplicates: number }

/** Inquiries a registry received for the same person beyond the first (SMS messages aside). */
export async function countDuplicatedInquiries(h: Harness): Promise<number> {
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
 */
export async function countNotifications(h: Harness, applicationIds: string[]) {
  const portal = await (await fetch(`${h.sandboxUrl}/control/portal/notifications`)).json() as PortalLog;
  const accepted = new Set(portal.accepted.map((n) => n.notificationId));
  const queued = await h.db.db.select().from(outbox);
  const ended = await h.db.db.select({ id: applications.id, status: applications.status }).from(applications)
    .where(inArray(applications.id, applicationIds));
  const endings = new Set(queued.filter((n) => n.event.startsWith('application-')).map((n) => n.subject));
  const missingEndings = ended.filter((a) => a.status !== 'running' && !endings.has(a.id)).length;
  const unacknowledged = queued.filter((n) => !accepted.has(`parvaneh-${n.id}`)).length;

  const lastSequence = new Map<string, number>();
  let outOfOrder = 0;
  for (const n of portal.accepted) {
    if (n.sequence !== (lastSequence.get(n.subject) ?? 0) + 1) outOfOrder += 1;
    lastSequence.set(n.subject, n.sequence);
  }
  return {
    lostNotifications: missingEndings + unacknowledged,
    notificationsOutOfOrder: outOfOrder,
    notificationsDelivered: portal.accepted.length,
    portalDuplicatesAbsorbed: portal.duplicates,
  };
}
