/**
 * A signing key revoked (`npm run keys:revoke`, recorded in the key file) is made known: once per
 * key, an audit entry `signing-key.revoked` and a notification `signing-key-revoked` to the
 * national permits portal, so the portal stops accepting that key's signatures even before it
 * next reads our key set. Every process that follows the key file and holds the database calls
 * this; the notification's dedupe key makes the second caller's call change nothing.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { outbox } from '../db/schema/index.js';
import type { RevokedKey } from '../platform/signing-keys.js';
import { appendAudit } from './audit.js';
import { enqueueNotification } from './outbox.js';

/** The portal's subject for notices about our keys (one sequence for all of them). */
export const SIGNING_KEYS_SUBJECT = 'signing-keys';

export async function announceRevocations(db: Database, revoked: readonly RevokedKey[]): Promise<RevokedKey[]> {
  const announced: RevokedKey[] = [];
  for (const key of [...revoked].reverse()) {
    const dedupeKey = `signing-key-revoked:${key.kid}`;
    const [known] = await db.select({ id: outbox.id }).from(outbox).where(eq(outbox.dedupeKey, dedupeKey));
    if (known) continue;
    // Both or neither: the audit entry is written once, with the notice that marks it done.
    await db.transaction(async (tx) => {
      const inTx = tx as unknown as Database;
      await appendAudit(inTx, { actor: 'operator', action: 'signing-key.revoked', subjectType: 'signing-key', subjectId: key.kid, detail: { revokedAt: key.revokedAt, reason: key.reason } });
      await enqueueNotification(inTx, { dedupeKey, subject: SIGNING_KEYS_SUBJECT, event: 'signing-key-revoked', payload: { kid: key.kid, revokedAt: key.revokedAt, reason: key.reason } });
    });
    announced.push(key);
  }
  return announced;
}
