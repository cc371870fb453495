/**
 * Read model for the integration gauges: what the national portal has not acknowledged yet, and
 * registry inquiries still waiting. Small aggregates, cheap enough to run at every scrape.
 */
import { inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { inquiries, outbox } from '../db/schema/index.js';

/** Notifications not yet acknowledged by the portal. @example await undeliveredNotifications(db) // 3 */
export async function undeliveredNotifications(db: Database): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(outbox).where(isNull(outbox.deliveredAt));
  return row?.n ?? 0;
}

/** Age in seconds of the oldest unacknowledged notification, 0 when none. @example await oldestUndeliveredSeconds(db) // 42.5 */
export async function oldestUndeliveredSeconds(db: Database): Promise<number> {
  const [row] = await db.select({ age: sql<number | null>`extract(epoch from now() - min(${outbox.createdAt}))::float8` })
    .from(outbox).where(isNull(outbox.deliveredAt));
  return row?.age ?? 0;
}

/** Inquiries sent or accepted and not yet answered, per registry. @example await waitingInquiries(db) // [{ registry: 'addiction', n: 2 }] */
export async function waitingInquiries(db: Database): Promise<{ registry: string; n: number }[]> {
  return db.select({ registry: inquiries.registry, n: sql<number>`count(*)::int` }).from(inquiries)
    .where(inArray(inquiries.status, ['sent', 'accepted'])).groupBy(inquiries.registry);
}
