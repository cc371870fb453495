/**
 * Queues a notification for the national permits portal, from a process's activity or a service
 * (a maintenance notice). Each subject (a licence number, or an application id before a licence
 * exists) numbers its notifications 1, 2, 3… under a lock on the subject, so two processes
 * changing one licence at once still give the portal a gapless order.
 */
import { sql } from 'drizzle-orm';
import { inTransaction, type Database } from '../db/client.js';
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
 * when one is given (the subject's lock is then held until it ends).
 * @example await enqueueNotification(tx, { dedupeKey: 'app-1:approved', subject: 'app-1', event: 'application-approved', payload: {} })
 */
export async function enqueueNotification(db: Database, notification: Notification): Promise<void> {
  await inTransaction(db, async (tx) => {
    await runStatement(tx, sql`select pg_advisory_xact_lock(${OUTBOX_LOCK_CLASS}, hashtext(${notification.subject}))`);
    // Under the subject's lock, one statement: the next sequence, and nothing when the key is known
    // (the dedupe key is unique; a known one takes no sequence number).
    await runStatement(tx, sql`insert into ${outbox} (${sql.identifier(outbox.dedupeKey.name)}, ${sql.identifier(outbox.subject.name)}, ${sql.identifier(outbox.sequence.name)}, ${sql.identifier(outbox.event.name)}, ${sql.identifier(outbox.payload.name)})
      select ${notification.dedupeKey}, ${notification.subject}, coalesce(max(${outbox.sequence}), 0) + 1, ${notification.event}, ${JSON.stringify(notification.payload)}::jsonb
      from ${outbox} where ${outbox.subject} = ${notification.subject}
      on conflict (${sql.identifier(outbox.dedupeKey.name)}) do nothing`);
  });
}
