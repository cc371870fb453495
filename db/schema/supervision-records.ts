import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { applications } from './applications.js';
import { licences } from './licences.js';

/**
 * A supervision of a licensed centre (Art. 10, 15): the holder's self-assessment, or an inspection
 * by a county, province or national supervisor, with its findings. A finding may open a
 * suspension or revocation (its process is `changeApplicationId`).
 */
export const supervisionRecords = pgTable('supervision_records', {
  id: text('id').primaryKey(),
  licenceNumber: text('licence_number').notNull().references(() => licences.number),
  kind: text('kind', { enum: ['self-assessment', 'inspection'] }).notNull(),
  level: text('level', { enum: ['self', 'county', 'province', 'national'] }).notNull(),
  /** The day of the visit or assessment (ISO date). */
  visitedOn: text('visited_on').notNull(),
  result: text('result', { enum: ['compliant', 'minor-violation', 'major-violation'] }).notNull(),
  /** The findings: `[{ code, description }]`. */
  findings: jsonb('findings').notNull(),
  /** What the finding opened: a suspension, a revocation, or a violation report to the province. */
  opened: text('opened'),
  changeApplicationId: text('change_application_id').references(() => applications.id),
  recordedBy: text('recorded_by').notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().default(sql`now()`),
}, (t) => [index('supervision_records_licence_idx').on(t.licenceNumber, t.recordedAt)]);
