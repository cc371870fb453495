import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * A planned maintenance window announced in advance (seed 003, "نگهداری و تغییرات خدمت" and
 * "دسترس پذیری"): when the services named will be unavailable, and the notice users read.
 */
export const maintenanceWindows = pgTable('maintenance_windows', {
  id: text('id').primaryKey(),
  startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
  endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
  /** The licence types unavailable meanwhile, or `["all"]`. */
  services: jsonb('services').notNull(),
  /** The notice, `{ fa, en }`. */
  notice: jsonb('notice').notNull(),
  announcedBy: text('announced_by').notNull(),
  announcedAt: timestamp('announced_at', { withTimezone: true }).notNull().default(sql`now()`),
}, (t) => [index('maintenance_windows_ends_idx').on(t.endsAt)]);
