import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { applications } from './applications.js';

/** An inquiry (استعلام) to a registry: who asked, why, and what came back, when. */
export const inquiries = pgTable('inquiries', {
  /** Also the idempotency key sent to the registry. */
  id: text('id').primaryKey(),
  applicationId: text('application_id').notNull().references(() => applications.id),
  stepId: text('step_id').notNull(),
  registry: text('registry').notNull(),
  subjectNationalCode: text('subject_national_code').notNull(),
  purpose: jsonb('purpose'),
  requestedBy: text('requested_by').notNull(),
  status: text('status', { enum: ['sent', 'accepted', 'answered', 'timed-out', 'late-answered'] }).notNull(),
  deadlineAt: timestamp('deadline_at', { withTimezone: true }),
  sentAt: timestamp('sent_at', { withTimezone: true }).notNull().default(sql`now()`),
  answeredAt: timestamp('answered_at', { withTimezone: true }),
  answer: jsonb('answer'),
  late: boolean('late').notNull().default(false),
  /** Calls made to the registry for this inquiry (retries share its idempotency key). */
  attempts: integer('attempts').notNull().default(0),
  /** Why the last call failed, in words an operator can act on. */
  lastError: text('last_error'),
  /**
   * The W3C `traceparent` of the activity that sent it, when tracing is on: a registry's callback
   * that carries no trace of its own (no real registry does) is linked to it (platform/tracing.ts).
   */
  traceParent: text('trace_parent'),
}, (t) => [index('inquiries_application_idx').on(t.applicationId)]);
