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
  event: text('event').notNull(),
  payload: jsonb('payload').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
  attempts: integer('attempts').notNull().default(0),
  deliveredAt: timestamp('delivered_at', { withTimezone: true }),
}, (t) => [index('outbox_pending_idx').on(t.deliveredAt, t.subject, t.id)]);
