import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea } from './bytea.js';

/**
 * The officers' console's sessions (console/server). The browser's cookie value is never stored:
 * a session is found by its SHA-256 (`idHash`), and its access and ID tokens are kept encrypted
 * (AES-256-GCM) under a key derived from the cookie value, so this table alone yields no token.
 * The office fields are the actor the gateway mapped from the access token at sign-in.
 */
export const consoleSessions = pgTable('console_sessions', {
  idHash: text('id_hash').primaryKey(),
  subject: text('subject').notNull(),
  role: text('role').notNull(),
  county: text('county'),
  province: text('province'),
  /** The officer's (office's) display name, from the ID token. */
  name: text('name'),
  /** `iv ‖ tag ‖ ciphertext` of the tokens' JSON. */
  tokens: bytea('tokens').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** The access token's expiry: the session ends with it. */
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
}, (t) => [index('console_sessions_expires_at').on(t.expiresAt)]);

/**
 * Sign-ins under way: the state's SHA-256, the PKCE verifier, the nonce and where to return,
 * bound to the browser that started them (`browserHash`, the SHA-256 of a short-lived cookie).
 * Single-use (deleted when the callback takes them) and valid ten minutes.
 */
export const consolePendingLogins = pgTable('console_pending_logins', {
  stateHash: text('state_hash').primaryKey(),
  browserHash: text('browser_hash').notNull(),
  codeVerifier: text('code_verifier').notNull(),
  nonce: text('nonce').notNull(),
  returnPath: text('return_path').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
}, (t) => [index('console_pending_logins_expires_at').on(t.expiresAt)]);
