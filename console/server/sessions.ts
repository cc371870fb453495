/**
 * The console's sessions and sign-ins under way, in PostgreSQL (every gateway replica sees them).
 * Rows are found by hashes of the browser's values; the tokens are sealed (`token-box.ts`).
 */
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { consolePendingLogins, consoleSessions } from '../../db/schema/index.js';
import type { Actor } from '../../services/context.js';
import { lookupHash, openTokens, sealTokens, type SessionTokens } from './token-box.js';

/** How long a sign-in may take, from the redirect to the provider to the callback. */
export const PENDING_LOGIN_SECONDS = 600;

export interface PendingLogin { codeVerifier: string; nonce: string; returnPath: string }

export interface ConsoleSession {
  actor: Actor;
  name: string | null;
  expiresAt: Date;
  tokens: SessionTokens;
}

/** Records a sign-in under way for `state`, bound to the browser's `browserValue`. Expired ones are swept on the way. */
export async function savePendingLogin(db: Database, state: string, browserValue: string, login: PendingLogin): Promise<void> {
  await db.delete(consolePendingLogins).where(lt(consolePendingLogins.expiresAt, new Date()));
  await db.insert(consolePendingLogins).values({
    stateHash: lookupHash(state), browserHash: lookupHash(browserValue), ...login,
    expiresAt: new Date(Date.now() + PENDING_LOGIN_SECONDS * 1000),
  });
}

/** Takes the sign-in of `state` (once: it is deleted), if it is unexpired and this browser's. */
export async function takePendingLogin(db: Database, state: string, browserValue: string | undefined): Promise<PendingLogin | undefined> {
  // Taken only by the browser that started it: another's callback with this state leaves it in place.
  if (!browserValue) return undefined;
  const [row] = await db.delete(consolePendingLogins)
    .where(and(eq(consolePendingLogins.stateHash, lookupHash(state)), eq(consolePendingLogins.browserHash, lookupHash(browserValue)),
      gt(consolePendingLogins.expiresAt, new Date())))
    .returning();
  if (!row) return undefined;
  return { codeVerifier: row.codeVerifier, nonce: row.nonce, returnPath: row.returnPath };
}

/** Stores a session under the cookie value's hash, its tokens sealed with the cookie value. Expired sessions are swept on the way. */
export async function createSession(db: Database, cookieValue: string, session: ConsoleSession): Promise<void> {
  await db.delete(consoleSessions).where(lt(consoleSessions.expiresAt, new Date()));
  const { actor } = session;
  await db.insert(consoleSessions).values({
    idHash: lookupHash(cookieValue), subject: actor.subject, role: actor.role, county: actor.county ?? null, province: actor.province ?? null,
    name: session.name, tokens: sealTokens(cookieValue, session.tokens), expiresAt: session.expiresAt,
  });
}

/** The live session the cookie value names, its tokens opened; undefined when none (or expired). */
export async function findSession(db: Database, cookieValue: string | undefined): Promise<ConsoleSession | undefined> {
  if (!cookieValue) return undefined;
  const [row] = await db.select().from(consoleSessions)
    .where(and(eq(consoleSessions.idHash, lookupHash(cookieValue)), gt(consoleSessions.expiresAt, new Date())));
  const tokens = row ? openTokens(cookieValue, row.tokens) : undefined;
  if (!row || !tokens) return undefined;
  const actor: Actor = { subject: row.subject, role: row.role as Actor['role'] };
  if (row.county) actor.county = row.county;
  if (row.province) actor.province = row.province;
  return { actor, name: row.name, expiresAt: row.expiresAt, tokens };
}

/** Deletes the session the cookie value names. */
export async function deleteSession(db: Database, cookieValue: string): Promise<void> {
  await db.delete(consoleSessions).where(eq(consoleSessions.idHash, lookupHash(cookieValue)));
}
