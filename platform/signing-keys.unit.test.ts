/** The signing key file shared by gateways and workers: rotation and revocation seen by every process that follows it. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSigningKeyStore } from './signing-keys.js';

const dir = mkdtempSync(join(tmpdir(), 'parvaneh-keys-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshFile = () => join(dir, `keys-${++n}.json`);
const kids = (jwks: { keys: { kid?: string }[] }) => jwks.keys.map((k) => k.kid);

describe('the signing key file', () => {
  it('is followed: a rotation by another process is taken up by refresh(), the old key kept as retired', async () => {
    const path = freshFile();
    const gateway = await createSigningKeyStore({ path });
    const first = gateway.active().kid;
    expect(await gateway.refresh()).toBe(false);
    const operator = await createSigningKeyStore({ path });
    const rotated = await operator.rotate();
    expect(gateway.active().kid).toBe(first);
    expect(await gateway.refresh()).toBe(true);
    expect(gateway.active().kid).toBe(rotated.kid);
    expect(kids(gateway.jwks())).toEqual([rotated.kid, first]);
  });

  it('revokes a retired key: out of the key set at once, recorded, and never loaded again', async () => {
    const path = freshFile();
    const gateway = await createSigningKeyStore({ path });
    const old = gateway.active().kid;
    await gateway.rotate();
    const operator = await createSigningKeyStore({ path });
    const record = await operator.revoke(old, 'the key file was copied to a laptop that was stolen');
    expect(record).toMatchObject({ kid: old, reason: 'the key file was copied to a laptop that was stolen' });
    expect(kids(operator.jwks())).not.toContain(old);
    await gateway.refresh();
    expect(kids(gateway.jwks())).not.toContain(old);
    expect(gateway.revoked()).toEqual([record]);
    // A rotation after it does not bring it back, nor does opening the file again.
    await gateway.rotate();
    const reopened = await createSigningKeyStore({ path });
    expect(kids(reopened.jwks())).not.toContain(old);
    expect(JSON.parse(readFileSync(path, 'utf8')).revoked).toEqual([record]);
  });

  it('revokes the active key: a new key signs from then on', async () => {
    const path = freshFile();
    const store = await createSigningKeyStore({ path });
    const compromised = store.active().kid;
    await store.revoke(compromised, 'compromised');
    expect(store.active().kid).not.toBe(compromised);
    expect(kids(store.jwks())).toEqual([store.active().kid]);
  });

  it('refuses to revoke a key it does not publish, or without a reason, and changes nothing', async () => {
    const path = freshFile();
    const store = await createSigningKeyStore({ path });
    const before = readFileSync(path, 'utf8');
    await expect(store.revoke('no-such-kid', 'a reason')).rejects.toThrow(/no published signing key/);
    await expect(store.revoke(store.active().kid, '  ')).rejects.toThrow(/reason/);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });
});
