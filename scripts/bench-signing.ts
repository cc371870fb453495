/**
 * Response-signing benchmark (not a test): ES256 over a ~1 KB JSON body, jose `CompactSign`
 * through WebCrypto against the `node:crypto` fast path in platform/jws.ts.
 * `npx tsx scripts/bench-signing.ts [iterations]`
 */
import { CompactSign, importJWK } from 'jose';
import { signDetached, verifyDetached } from '../platform/jws.js';
import { createSigningKeyStore } from '../platform/signing-keys.js';

const iterations = Number(process.argv[2] ?? 5000);

/** A page of applications, as close to 1 KiB of UTF-8 as whole items allow. */
function body(): Uint8Array {
  const encode = (items: unknown[]) => new TextEncoder().encode(JSON.stringify({ items, next: null }));
  const items: unknown[] = [];
  for (let i = 0; ; i++) {
    const next = [...items, { id: `APP-1403-${String(i).padStart(5, '0')}`, state: 'در حال بررسی', fee: 1_250_000 + i }];
    if (encode(next).byteLength > 1024) return encode(items);
    items.push(next[next.length - 1]);
  }
}

async function measure(name: string, run: () => unknown): Promise<{ name: string; perSecond: number; micros: number }> {
  for (let i = 0; i < Math.min(500, iterations); i++) await run(); // warm up
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await run();
  const micros = Number(process.hrtime.bigint() - started) / 1000 / iterations;
  return { name, perSecond: 1_000_000 / micros, micros };
}

const payload = body();
const keys = await createSigningKeyStore();
const key = keys.active();
// jose gets the very same key, imported as a WebCrypto CryptoKey.
const cryptoKey = await importJWK({ ...(key.privateKey.export({ format: 'jwk' })), alg: 'ES256' }, 'ES256');
const claims = { htm: 'GET', htu: '/v1/applications?page=2', rid: '7d1f3c2e-9a7b-4f0e-8c55-2b8f3f6a1d90' };

// The fast path is checked once with jose before it is timed.
await verifyDetached(signDetached(key, payload, claims), payload, keys.jwks());

const jose = await measure('jose CompactSign (WebCrypto)', () =>
  new CompactSign(payload).setProtectedHeader({ alg: 'ES256', kid: key.kid, iat: Math.floor(Date.now() / 1000), ...claims }).sign(cryptoKey));
const node = await measure('node:crypto signDetached', () => signDetached(key, payload, claims));

console.log(`ES256, ${payload.byteLength}-byte JSON body, ${iterations} signatures each, node ${process.version}`);
for (const r of [jose, node]) console.log(`  ${r.name.padEnd(30)} ${r.perSecond.toFixed(0).padStart(7)} sig/s  ${r.micros.toFixed(1).padStart(7)} µs/sig`);
console.log(`  node:crypto is ${(jose.micros / node.micros).toFixed(2)}× faster than jose over WebCrypto`);
