import { sql } from 'drizzle-orm';
import { bigserial, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { applications } from './applications.js';

/**
 * The timeline: every transition of an application, numbered by the workflow. The unique
 * (application, seq) pair makes a retried activity write the same row once.
 */
export const applicationEvents = pgTable('application_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  applicationId: text('application_id').notNull().references(() => applications.id),
  seq: integer('seq').notNull(),
  kind: text('kind').notNull(),
  stepId: text('step_id'),
  detail: jsonb('detail').notNull().default({}),
  /** When it happened in workflow time (equal to wall time outside time-skipping tests). */
  occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().default(sql`now()`),
}, (t) => [uniqueIndex('application_events_seq_idx').on(t.applicationId, t.seq)]);
