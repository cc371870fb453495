import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** One licence application and where its process stands; the workflow keeps it current. */
export const applications = pgTable('applications', {
  id: text('id').primaryKey(),
  /** The code the citizen follows the application by (کد پیگیری). */
  trackingCode: text('tracking_code').notNull().unique(),
  workflowId: text('workflow_id').notNull().unique(),
  licenceType: text('licence_type').notNull(),
  definitionVersion: integer('definition_version').notNull(),
  definitionHash: text('definition_hash').notNull(),
  applicantNationalCode: text('applicant_national_code').notNull(),
  county: text('county').notNull(),
  province: text('province').notNull(),
  /** `failed`: a fault of the process definition ended it (`PROCESS_FAULT`), not the applicant. */
  status: text('status', { enum: ['running', 'approved', 'rejected', 'withdrawn', 'failed'] }).notNull().default('running'),
  currentStep: text('current_step'),
  outcomeReason: text('outcome_reason'),
  /** The facts as submitted (applicant, application); inquiry answers live in `inquiries`. */
  facts: jsonb('facts').notNull(),
  submittedBy: text('submitted_by').notNull(),
  /** The caller's Idempotency-Key: a retried submission finds its application instead of making a second. */
  idempotencyKey: text('idempotency_key'),
  parentApplicationId: text('parent_application_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
  endedAt: timestamp('ended_at', { withTimezone: true }),
}, (t) => [
  index('applications_county_idx').on(t.county, t.status),
  index('applications_applicant_idx').on(t.applicantNationalCode),
  uniqueIndex('applications_submission_idx').on(t.submittedBy, t.idempotencyKey),
]);
