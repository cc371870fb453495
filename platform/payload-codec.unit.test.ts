import { describe, expect, it } from 'vitest';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import {
  COMPRESSED_ENCODING, createCompressionCodec, createPayloadCodec, ENCRYPTED_ENCODING, encryptingDataConverter, generatePayloadKeys,
} from './payload-codec.js';

const clear = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"nationalCode":"0023456787"}') };

describe('the Temporal payload codec', () => {
  it('encrypts with the active key and names it; decodes back', async () => {
    const codec = createPayloadCodec(generatePayloadKeys('k1'));
    const [sealed] = await codec.encode([clear]);
    expect(Buffer.from(sealed!.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(sealed!.metadata!['encryption-key-id']!).toString()).toBe('k1');
    expect(Buffer.from(sealed!.data!).includes(Buffer.from('0023456787'))).toBe(false);
    const [back] = await codec.decode([sealed!]);
    expect(Buffer.from(back!.data!).toString()).toBe('{"nationalCode":"0023456787"}');
  });

  it('after a rotation decrypts with the old key and encrypts with the new one', async () => {
    const old = generatePayloadKeys('old');
    const [sealed] = await createPayloadCodec(old).encode([clear]);
    const rotated = createPayloadCodec({ active: 'new', keys: { ...old.keys, ...generatePayloadKeys('new').keys } });
    expect(Buffer.from((await rotated.decode([sealed!]))[0]!.data!).toString()).toContain('0023456787');
    expect(Buffer.from((await rotated.encode([clear]))[0]!.metadata!['encryption-key-id']!).toString()).toBe('new');
  });

  it('passes through a payload that is not encrypted (recorded histories); refuses a tampered or unknown-key one', async () => {
    const codec = createPayloadCodec(generatePayloadKeys('k1'));
    expect(await codec.decode([clear])).toEqual([clear]);
    const [sealed] = await codec.encode([clear]);
    const tampered = { ...sealed!, data: Buffer.from(sealed!.data!).map((b, i) => (i === 20 ? b ^ 1 : b)) };
    await expect(codec.decode([tampered])).rejects.toThrow();
    await expect(createPayloadCodec(generatePayloadKeys('k2')).decode([sealed!])).rejects.toThrow(/unknown key k1/);
    expect(() => createPayloadCodec({ active: 'x', keys: { y: Buffer.alloc(32).toString('base64') } })).toThrow(/active payload key x/);
  });
});

/** A payload as the SDK's JSON converter makes it. */
const json = (value: unknown): Payload => ({ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(value)) });
const encodingOf = (payload: Payload) => Buffer.from(payload.metadata!.encoding!).toString();
/** A payload's metadata and data as text, to compare payloads whatever kind of byte array holds them. */
const plain = (payloads: Payload[]) => payloads.map((p) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
}));
/** Through every codec as the SDK runs them: encode in order, decode in reverse. */
async function roundTrip(codecs: PayloadCodec[], payloads: Payload[]): Promise<{ stored: Payload[]; back: Payload[] }> {
  let stored = payloads;
  for (const codec of codecs) stored = await codec.encode(stored);
  let back = stored;
  for (const codec of [...codecs].reverse()) back = await codec.decode(back);
  return { stored, back };
}

describe('the compression before the encryption', () => {
  // A process definition's shape: the same keys and phrases again and again, as in an application's start.
  const definition = json({ id: 'welfare-services-centre', steps: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`step-${i}`, { type: 'task', role: 'county-office', next: `step-${i + 1}`, title: 'بررسی مدارک متقاضی' }])) });

  it('compresses a large payload, keeps it only when smaller, and gives back the very payload', async () => {
    const codec = createCompressionCodec();
    const [compressed] = await codec.encode([definition]);
    expect(encodingOf(compressed!)).toBe(COMPRESSED_ENCODING);
    expect(compressed!.data!.length).toBeLessThan(definition.data!.length / 3);
    expect(plain(await codec.decode([compressed!]))).toEqual(plain([definition]));
    // Small, or not smaller once compressed (random bytes): left as it is.
    const small = json({ nationalCode: '0023456787' });
    const noise: Payload = { metadata: { encoding: Buffer.from('binary/plain') }, data: randomBytes(4096) };
    expect(plain(await codec.encode([small, noise]))).toEqual(plain([small, noise]));
  });

  it('compresses, then encrypts: the stored payload is encrypted and shorter; both kinds of payload come back whole', async () => {
    const { payloadCodecs } = encryptingDataConverter(createPayloadCodec(generatePayloadKeys('k1')));
    const small = json({ nationalCode: '0023456787' });
    const { stored, back } = await roundTrip(payloadCodecs, [definition, small]);
    expect(stored.map(encodingOf)).toEqual([ENCRYPTED_ENCODING, ENCRYPTED_ENCODING]);
    expect(stored[0]!.data!.length).toBeLessThan(definition.data!.length / 3);
    expect(Buffer.from(stored[1]!.data!).includes(Buffer.from('0023456787'))).toBe(false);
    expect(plain(back)).toEqual(plain([definition, small]));
  });

  it('reads what was stored before it: encrypted only, or neither', async () => {
    const encryption = createPayloadCodec(generatePayloadKeys('k1'));
    const [sealedBefore] = await encryption.encode([definition]);
    let back = [sealedBefore!, definition];
    for (const codec of [...encryptingDataConverter(encryption).payloadCodecs].reverse()) back = await codec.decode(back);
    expect(plain(back)).toEqual(plain([definition, definition]));
  });

  it('refuses to inflate a payload beyond 4 MiB (one sent to the codec server unencrypted)', async () => {
    const bomb: Payload = { metadata: { encoding: Buffer.from(COMPRESSED_ENCODING) }, data: deflateSync(Buffer.alloc(8 * 1024 * 1024)) };
    await expect(createCompressionCodec().decode([bomb])).rejects.toThrow(/buffer|length|size/i);
  });
});
