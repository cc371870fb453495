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
  /**
   * A change to a licence started through the API holds a lock while it runs: `<licence>:exclusive`
   * for an exclusive change (one at a time per licence), `<licence>:<change>` for another (never two
   * of one change). Unique among running applications: the database, not a select, keeps two
   * changes sent together from both starting. Null for everything else.
   */
  changeLock: text('change_lock'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
  endedAt: timestamp('ended_at', { withTimezone: true }),
}, (t) => [
  index('applications_county_idx').on(t.county, t.status),
  index('applications_applicant_idx').on(t.applicantNationalCode),
  uniqueIndex('applications_submission_idx').on(t.submittedBy, t.idempotencyKey),
  uniqueIndex('applications_running_change_idx').on(t.changeLock).where(sql`${t.status} = 'running' and ${t.changeLock} is not null`),
]);
