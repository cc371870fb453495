/**
 * Queues a notification for the national permits portal, from a process's activity or a service
 * (a maintenance notice). Each subject (a licence number, or an application id before a licence
 * exists) numbers its notifications 1, 2, 3… under a lock on the subject, so two processes
 * changing one licence at once still give the portal a gapless order.
 */
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { outbox } from '../db/schema/index.js';
import { runStatement } from '../db/query.js';

/** A notification owed to the portal; `dedupeKey` makes a retried enqueue a no-op. */
export interface Notification {
  dedupeKey: string;
  subject: string;
  event: string;
  payload: Record<string, unknown>;
}

/** Lock namespace for outbox subjects (the two-key advisory lock form keeps it apart from others). */
const OUTBOX_LOCK_CLASS = 7401;

/**
 * Inserts `notification` with the subject's next sequence number, inside the caller's transaction
 * when one is given.
 * @example await enqueueNotification(tx, { dedupeKey: 'app-1:approved', subject: 'app-1', event: 'application-approved', payload: {} })
 */
export async function enqueueNotification(db: Database, notification: Notification): Promise<void> {
  await db.transaction(async (tx) => {
    await runStatement(tx, sql`select pg_advisory_xact_lock(${OUTBOX_LOCK_CLASS}, hashtext(${notification.subject}))`);
    const [known] = await tx.select({ id: outbox.id }).from(outbox).where(eq(outbox.dedupeKey, notification.dedupeKey));
    if (known) return;
    const [last] = await tx.select({ sequence: sql<number>`coalesce(max(${outbox.sequence}), 0)::int` })
      .from(outbox).where(eq(outbox.subject, notification.subject));
    await tx.insert(outbox).values({ ...notification, sequence: (last?.sequence ?? 0) + 1 });
  });
}
