import { sql } from 'drizzle-orm';
import { integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea } from './bytea.js';

/**
 * `Idempotency-Key` of every POST, per caller: a replay returns the stored response byte for
 * byte (so its signature still verifies); the same key with a different body is a conflict.
 */
export const idempotencyKeys = pgTable('idempotency_keys', {
  caller: text('caller').notNull(),
  key: text('key').notNull(),
  method: text('method').notNull(),
  path: text('path').notNull(),
  requestHash: text('request_hash').notNull(),
  state: text('state', { enum: ['in-progress', 'done'] }).notNull().default('in-progress'),
  responseStatus: integer('response_status'),
  responseHeaders: jsonb('response_headers'),
  responseBody: bytea('response_body'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
}, (t) => [primaryKey({ columns: [t.caller, t.key] })]);
