import { sql } from 'drizzle-orm';
import { pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { applications } from './applications.js';

/**
 * What a person holds under a "one per person" rule (a `claim` step): the primary key lets only
 * one application or licence hold a holding per holder, so two applications arriving at the same
 * moment cannot both get it.
 */
export const licenceHoldings = pgTable('licence_holdings', {
  /** The holding's name in the definition, e.g. `welfare-services-centre`. */
  holding: text('holding').notNull(),
  holderNationalCode: text('holder_national_code').notNull(),
  /** The application that claimed it; its licences keep it while any of them is in force. */
  applicationId: text('application_id').notNull().references(() => applications.id),
  claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull().default(sql`now()`),
}, (t) => [primaryKey({ columns: [t.holding, t.holderNationalCode] })]);
