import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { applications } from './applications.js';

/** One competitive call (`kind: call` definition), pinned to the definition it opened with. */
export const competitions = pgTable('calls', {
  /** The call's definition id, e.g. `health-services-office-call-1405`. */
  id: text('id').primaryKey(),
  definitionVersion: integer('definition_version').notNull(),
  definitionHash: text('definition_hash').notNull(),
  workflowId: text('workflow_id').notNull().unique(),
  /** Where the cohort stands: registration → exam → interviews → reserves → closed. */
  stage: text('stage', { enum: ['registration', 'exam', 'interviews', 'reserves', 'closed'] }).notNull().default('registration'),
  registrationClosesAt: timestamp('registration_closes_at', { withTimezone: true }).notNull(),
  /** Documents not accepted by then are late (`LATE_DOCUMENTS`). */
  documentsDueAt: timestamp('documents_due_at', { withTimezone: true }).notNull(),
  /** Set when exam results are recorded (the call workflow is woken). */
  examRecordedAt: timestamp('exam_recorded_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
});

/**
 * An applicant's place in a call: the cohort's view of one application. How the application
 * itself ended (withdrawn, rejected, licensed) is in `applications.status`.
 */
export const competitionEntries = pgTable('call_entries', {
  applicationId: text('application_id').primaryKey().references(() => applications.id),
  callId: text('call_id').notNull().references(() => competitions.id),
  university: text('university').notNull(),
  applicantNationalCode: text('applicant_national_code').notNull(),
  trackingCode: text('tracking_code').notNull(),
  registeredAt: timestamp('registered_at', { withTimezone: true }).notNull(),
  /** Ids of the documents registered with the application. */
  documents: jsonb('documents').notNull(),
  status: text('status', { enum: ['registered', 'eligible', 'shortlisted', 'waitlisted', 'interviewed', 'selected', 'reserve', 'refused'] }).notNull().default('registered'),
  /** Why the call refused the entry, e.g. `LATE_DOCUMENTS`, `EXAM_BELOW_PASS_MARK`. */
  reason: text('reason'),
  /** The application's facts when it joined the cohort (documents accepted): what the score reads. */
  facts: jsonb('facts'),
  examScore: doublePrecision('exam_score'),
  /** The last ranking's standing: score, bonus, total, tie-breaker keys, decidedBy. */
  standing: jsonb('standing'),
  shortlistRank: integer('shortlist_rank'),
  finalRank: integer('final_rank'),
  invited: boolean('invited').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
}, (t) => [
  uniqueIndex('call_entries_applicant_idx').on(t.callId, t.applicantNationalCode),
  index('call_entries_status_idx').on(t.callId, t.status),
]);
