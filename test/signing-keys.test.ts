/**
 * Keys that can be rotated and revoked while everything runs: `npm run keys:rotate` and
 * `npm run keys:revoke` act on the key file the gateway signs with (`SIGNING_KEYS_PATH`), and the
 * running gateway follows it, with no restart; a revocation is audited and told to the portal.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { and, eq } from 'drizzle-orm';
import { decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, outbox } from '../db/schema/index.js';
import { eventually } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => h?.close());

const run = async (script: string, args: string[], env: Record<string, string>) => {
  try {
    // Node with tsx's loader, as the other tests start scripts: `npx` adds npm's own start-up
    // (its cache, its logs) to a check about the script, and once exited 1 before the script ran.
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};
const published = async () => ((await (await fetch(`${h.gatewayUrl}/.well-known/jwks.json`)).json()) as JSONWebKeySet).keys.map((k) => k.kid);
const signedBy = async () => decodeProtectedHeader((await fetch(`${h.gatewayUrl}/health`)).headers.get('x-jws-signature')!).kid;

describe('rotating and revoking the signing key of a running gateway', () => {
  it('rotates the file the gateway uses (SIGNING_KEYS_PATH), and the gateway signs with the new key without a restart', async () => {
    const before = await signedBy();
    const rotated = await run('scripts/rotate-signing-key.ts', [], { SIGNING_KEYS_PATH: h.signingKeysPath });
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toContain(`rotated ${h.signingKeysPath}`);
    const now = await eventually(async () => ((await signedBy()) !== before ? signedBy() : undefined), 'the gateway to sign with the new key');
    expect(await published()).toEqual([now, before]);
  });

  it('refuses a key file that does not exist rather than rotating another one', async () => {
    const wrong = await run('scripts/rotate-signing-key.ts', [], { SIGNING_KEYS_PATH: `${h.signingKeysPath}.missing` });
    expect(wrong.code, wrong.stderr).toBe(1);
    expect(wrong.stderr).toContain('no signing key file at');
  });

  it('revokes a key: gone from the JWKS within seconds, audited, and told to the national portal', async () => {
    const [active, retired] = await published();
    const usage = await run('scripts/revoke-signing-key.ts', [retired!], { SIGNING_KEYS_PATH: h.signingKeysPath });
    expect(usage.code, usage.stderr).toBe(2);
    expect(usage.stderr).toContain('usage: npm run keys:revoke');
    const revoked = await run('scripts/revoke-signing-key.ts', [retired!, '--reason', 'a copy of the key file was found on a shared drive'], { SIGNING_KEYS_PATH: h.signingKeysPath });
    expect(revoked.code, revoked.stderr).toBe(0);
    await eventually(async () => (!(await published()).includes(retired) ? true : undefined), 'the revoked key to leave the JWKS');
    expect(await published()).toEqual([active]);
    const [entry] = await eventually(async () => {
      const rows = await h.db.db.select().from(auditLog).where(and(eq(auditLog.action, 'signing-key.revoked'), eq(auditLog.subjectId, retired!)));
      return rows.length ? rows : undefined;
    }, 'the revocation\'s audit entry');
    expect(entry!.detail).toMatchObject({ reason: 'a copy of the key file was found on a shared drive' });
    const told = await h.db.db.select().from(outbox).where(eq(outbox.event, 'signing-key-revoked'));
    expect(told).toHaveLength(1); // written in the audit entry's transaction
    expect(told[0]!.payload).toMatchObject({ kid: retired, reason: 'a copy of the key file was found on a shared drive' });
    await eventually(async () => {
      const [row] = await h.db.db.select().from(outbox).where(eq(outbox.event, 'signing-key-revoked'));
      return row?.deliveredAt ? row : undefined;
    }, 'the portal to have the revocation');
  });
});
