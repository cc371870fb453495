import { index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/**
 * The `jti` of every registry callback taken, per registry, until its signature could no longer be
 * fresh: a callback whose `jti` is here is a replay, answered from the record without reaching the
 * process again. In PostgreSQL, so every gateway replica sees the same ids; expired rows are swept
 * as new ones arrive.
 */
export const registryCallbackIds = pgTable('registry_callback_ids', {
  registry: text('registry').notNull(),
  jti: text('jti').notNull(),
  inquiryId: text('inquiry_id').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().default(sql`now()`),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
}, (t) => [primaryKey({ columns: [t.registry, t.jti] }), index('registry_callback_ids_expires_at').on(t.expiresAt)]);
