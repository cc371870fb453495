import { generateKeyPairSync, verify } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { signingThread } from './signing-thread.js';

const keyPair = (kid: string) => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, privateKey, publicKey };
};
const valid = (key: ReturnType<typeof keyPair>, input: Buffer, signature: Buffer) =>
  verify('sha256', input, { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, signature);

describe('signingThread', () => {
  const signer = signingThread();
  afterAll(() => signer.close());

  it('signs a batch asked for in one turn, each signature over its own bytes, R||S of 64 bytes', async () => {
    const key = keyPair('one');
    const inputs = Array.from({ length: 25 }, (_, i) => Buffer.from(`response ${i}`));
    const signatures = await Promise.all(inputs.map((input) => signer.sign(key, input)));
    signatures.forEach((signature, i) => {
      expect(signature.byteLength).toBe(64);
      expect(valid(key, inputs[i]!, signature)).toBe(true);
      expect(valid(key, inputs[(i + 1) % inputs.length]!, signature)).toBe(false);
    });
  });

  it('signs with the key it is given, a rotated key too, in the same batch', async () => {
    const [before, after] = [keyPair('before'), keyPair('after')];
    const input = Buffer.from('the same bytes');
    const [a, b, c] = await Promise.all([signer.sign(before, input), signer.sign(after, input), signer.sign(before, input)]);
    expect(valid(before, input, a!)).toBe(true);
    expect(valid(after, input, b!)).toBe(true);
    expect(valid(before, input, c!)).toBe(true);
    expect(valid(before, input, b!)).toBe(false);
  });

  it('refuses what it is asked once closed', async () => {
    const closing = signingThread();
    await closing.close();
    await expect(closing.sign(keyPair('late'), Buffer.from('x'))).rejects.toThrow(/closed/);
  });

  it('refuses what a thread that died held, and signs the next with a new thread that is given its key again', async () => {
    const key = keyPair('kept');
    const input = Buffer.from('before and after');
    expect(valid(key, input, await signer.sign(key, input))).toBe(true);
    // A batch the thread takes a while over (answered as one message when all are signed).
    const held = Promise.allSettled(Array.from({ length: 2_000 }, () => signer.sign(key, input)));
    await new Promise((resolve) => setImmediate(resolve)); // sent to the thread
    await signer.restart();
    const settled = await held;
    expect(settled.every((s) => s.status === 'rejected' && /ended/.test(String(s.reason)))).toBe(true);
    expect(valid(key, input, await signer.sign(key, input))).toBe(true);
  });
});
