import { describe, expect, it } from 'vitest';
import { createPayloadCodec, ENCRYPTED_ENCODING, generatePayloadKeys } from './payload-codec.js';

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
