import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uniqueIndex, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { applications } from './applications.js';

/** An issued licence: principle agreement, activity licence, manager licence… */
export const licences = pgTable('licences', {
  number: text('number').primaryKey(),
  kind: text('kind').notNull(),
  title: jsonb('title').notNull(),
  licenceType: text('licence_type').notNull(),
  applicationId: text('application_id').notNull().references(() => applications.id),
  holderNationalCode: text('holder_national_code').notNull(),
  /**
   * The holder as a person (the applicant at issue, the successor after a transfer): whom a change
   * vets and notifies. Null on licences issued before it was kept: their application's applicant.
   */
  holder: jsonb('holder'),
  county: text('county').notNull(),
  province: text('province').notNull(),
  status: text('status', { enum: ['active', 'expired', 'suspended', 'revoked', 'closed'] }).notNull().default('active'),
  issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
  validUntil: timestamp('valid_until', { withTimezone: true }).notNull(),
  definitionHash: text('definition_hash').notNull(),
  /** The licence this one stands on (a centre's activity licence, for its manager licence): it ends with it. */
  dependsOn: text('depends_on').references((): AnyPgColumn => licences.number),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
  /**
   * Printed with the number (and in the QR code): public verification asks for both, so the
   * sequential numbers alone do not list the register. 12 hex digits (48 bits) from
   * gen_random_uuid's strong randomness; the default also fills the licences issued before.
   */
  verificationCode: text('verification_code').notNull().default(sql`upper(substr(encode(sha256(convert_to(gen_random_uuid()::text, 'UTF8')), 'hex'), 1, 12))`),
}, (t) => [
  uniqueIndex('licences_application_kind_idx').on(t.applicationId, t.kind),
  index('licences_holder_idx').on(t.holderNationalCode),
  index('licences_depends_on_idx').on(t.dependsOn),
]);
