import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { applications } from './applications.js';
import { licences } from './licences.js';

/**
 * A supervision of a licensed centre (seed 002 Art. 10, 15; seed 004): the holder's
 * self-assessment, an inspection by a county, province or national supervisor, or a guild,
 * stakeholder or expert report recorded by an office on its author's behalf, with its findings and
 * the checklist of standing rules (Art. 8). A finding may open a violation report, a suspension or
 * a revocation (its process is `changeApplicationId`).
 */
export const supervisionRecords = pgTable('supervision_records', {
  id: text('id').primaryKey(),
  licenceNumber: text('licence_number').notNull().references(() => licences.number),
  kind: text('kind', { enum: ['self-assessment', 'inspection', 'guild-review', 'stakeholder-report', 'expert-review'] }).notNull(),
  level: text('level', { enum: ['self', 'county', 'province', 'national', 'guild', 'stakeholder', 'expert'] }).notNull(),
  /** The day of the visit or assessment (ISO date). */
  visitedOn: text('visited_on').notNull(),
  result: text('result', { enum: ['compliant', 'minor-violation', 'major-violation'] }).notNull(),
  /** The findings: `[{ code, description }]`. */
  findings: jsonb('findings').notNull(),
  /** The standing rules checked: `[{ item, result, note }]`, `item` a rule id (`welfare.standing.signage`). */
  checklist: jsonb('checklist').notNull().default([]),
  /** Who reported, for a guild, stakeholder or expert report: `{ name, reference }`. */
  source: jsonb('source'),
  /** What the finding opened: a suspension, a revocation, or a violation report to the province. */
  opened: text('opened'),
  changeApplicationId: text('change_application_id').references(() => applications.id),
  recordedBy: text('recorded_by').notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().default(sql`now()`),
}, (t) => [index('supervision_records_licence_idx').on(t.licenceNumber, t.recordedAt)]);
