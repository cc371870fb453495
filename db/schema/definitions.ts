import { sql } from 'drizzle-orm';
import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Every definition an application ever ran on, by content hash, so its source is never lost. */
export const definitions = pgTable('definitions', {
  hash: text('hash').primaryKey(),
  id: text('id').notNull(),
  version: integer('version').notNull(),
  effectiveFrom: text('effective_from').notNull(),
  source: text('source').notNull(),
  registeredAt: timestamp('registered_at', { withTimezone: true }).notNull().default(sql`now()`),
});
