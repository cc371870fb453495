import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Rate-limit counters shared by every gateway replica: one row per client and policy (`bucket`,
 * e.g. `api:subject:<issuer>|<subject>`), the start of its current window and the requests
 * counted in it. A request past the window starts a new one in the same row.
 *
 * The table is UNLOGGED (migration 0015; drizzle's schema has no word for it): no WAL, no flush
 * at commit, emptied after a crash.
 */
export const rateLimitCounters = pgTable('rate_limit_counters', {
  bucket: text('bucket').primaryKey(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  count: integer('count').notNull(),
});
