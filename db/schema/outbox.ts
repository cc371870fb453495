import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Notifications owed to the national permits portal, written in the same place as the change
 * they report; a delivery workflow drains them in order per licence.
 */
export const outbox = pgTable('outbox', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  /** Unique per notification, so a retried activity enqueues it once. */
  dedupeKey: text('dedupe_key').notNull().unique(),
  /** Ordering key: the licence number, or the application id before a licence exists. */
  subject: text('subject').notNull(),
  /** Position of this notification among its subject's, from 1: the portal accepts them only in this order. */
  sequence: integer('sequence').notNull().default(0),
  event: text('event').notNull(),
  payload: jsonb('payload').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
  attempts: integer('attempts').notNull().default(0),
  lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
  /** Why the last attempt failed (HTTP status and problem type), for operators. */
  lastError: text('last_error'),
  deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  /** The portal's receipt for the notification: proof of delivery. */
  receiptId: text('receipt_id'),
  /**
   * When the portal refused it as malformed (a 4xx it will always answer): no longer sent, and its
   * licence's later notifications wait behind it, until an operator retries it after a fix.
   */
  deadLetteredAt: timestamp('dead_lettered_at', { withTimezone: true }),
}, (t) => [
  index('outbox_pending_idx').on(t.deliveredAt, t.subject, t.id),
  index('outbox_subject_sequence_idx').on(t.subject, t.sequence),
]);
