import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { applications } from './applications.js';

/** A human decision an office owes an application: its inbox row. */
export const tasks = pgTable('tasks', {
  id: text('id').primaryKey(),
  applicationId: text('application_id').notNull().references(() => applications.id),
  stepId: text('step_id').notNull(),
  title: jsonb('title').notNull(),
  role: text('role').notNull(),
  /** The office in scope: a county id for county offices, a province id for province offices. */
  county: text('county'),
  province: text('province'),
  /** Allowed outcomes: `[{ name, title: {fa,en}, requiresReason, fields? }]`, `fields` what the outcome records. */
  outcomes: jsonb('outcomes').notNull(),
  /** `resolved`: what it waited for came without a decision (a late registry answer applied meanwhile). */
  status: text('status', { enum: ['open', 'decided', 'expired', 'cancelled', 'resolved'] }).notNull().default('open'),
  dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
  escalatedAt: timestamp('escalated_at', { withTimezone: true }),
  outcome: text('outcome'),
  reason: text('reason'),
  decidedBy: text('decided_by'),
  /** What the office recorded with its outcome (a site visit's measurements), checked against the outcome's `fields`. */
  recorded: jsonb('recorded'),
  /**
   * The grounds on which the task goes first in its office's inbox (`[{fa, en}]`, seed 002,
   * Art. 5(b) note 1: a PhD holder, a local candidate); null when it has none.
   */
  priority: jsonb('priority'),
  /**
   * A decision taken through the gateway, on its way to the process: `delivering` while it is
   * signalled, `delivered` once the process has it, `undelivered` when the signal failed and the
   * decider's retry may send it again. Set in the same statement that takes the task, so no other
   * decision can be taken while it is `open`.
   */
  decisionDelivery: text('decision_delivery', { enum: ['delivering', 'delivered', 'undelivered'] }),
  /** When the latest delivery began: one still `delivering` long after is taken to have died with its request. */
  decisionAttemptedAt: timestamp('decision_attempted_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
}, (t) => [index('tasks_inbox_idx').on(t.status, t.role, t.county, t.province)]);
