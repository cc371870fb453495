/**
 * Registry callback signatures: each registry's own key, a fresh `iat`, a `jti`, the callback's
 * `typ`; and the callbacks' own rate limit per registry, through the real gateway's stack.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadHolidayCalendar } from '../dsl/calendar-load.js';
import { createSigningKeyStore } from '../platform/signing-keys.js';
import { createRegistrySigner, registryKeyPairs, signCallback } from '../sandbox/signing.js';
import type { ServiceDeps } from '../services/context.js';
import { memoryRateLimitStore } from './middleware/rate-limit.js';
import { createGateway } from './app.js';
import { API_AUDIENCE, ephemeralDevIssuer } from './dev-issuer.js';
import { createRegistrySignatureVerifier } from './registry-signature.js';

const keys = registryKeyPairs();
const signerOf = (registry: string) => createRegistrySigner(keys.privateKeys[registry]!.privateJwk);
const body = (registry: string) => new TextEncoder().encode(JSON.stringify({ inquiryId: 'i-1', registry, answer: { status: 'clear' }, answeredAt: new Date().toISOString() }));
const now = () => Math.floor(Date.now() / 1000);

describe('registry callback signatures', () => {
  const verify = createRegistrySignatureVerifier(keys.jwks);

  it('takes a callback signed by its own registry, and gives its jti', async () => {
    const payload = body('criminal-record');
    const signature = await signCallback(signerOf('criminal-record'), 'criminal-record', payload);
    await expect(verify('criminal-record', signature, payload)).resolves.toMatchObject({ jti: expect.any(String), iat: expect.any(Number) });
  });

  it('refuses registry A\'s key signing a callback for registry B', async () => {
    const payload = body('criminal-record');
    const signature = await signCallback(signerOf('security-clearance'), 'criminal-record', payload);
    await expect(verify('criminal-record', signature, payload)).rejects.toMatchObject({ code: 'bad-signature', detail: 'the signature does not verify with the key of criminal-record' });
    // The same signature verifies with the key it was made with: it is the registry, not the bytes, that is wrong.
    await expect(verify('security-clearance', signature, payload)).resolves.toBeDefined();
    await expect(verify('constructor', signature, payload)).rejects.toMatchObject({ detail: 'no key is configured for registry constructor' });
  });

  it('refuses a stale or future iat, a missing jti, and another typ', async () => {
    const signer = signerOf('criminal-record');
    const payload = body('criminal-record');
    const header = { typ: 'registry-callback+jws', jti: randomUUID() };
    await expect(verify('criminal-record', await signer.signDetached(payload, { ...header, iat: now() - 301 }), payload)).rejects.toMatchObject({ detail: expect.stringMatching(/iat/) });
    await expect(verify('criminal-record', await signer.signDetached(payload, { ...header, iat: now() + 301 }), payload)).rejects.toMatchObject({ detail: expect.stringMatching(/iat/) });
    await expect(verify('criminal-record', await signer.signDetached(payload, { ...header, iat: undefined }), payload)).rejects.toMatchObject({ detail: expect.stringMatching(/iat/) });
    await expect(verify('criminal-record', await signer.signDetached(payload, { ...header, iat: now(), jti: undefined }), payload)).rejects.toMatchObject({ detail: expect.stringMatching(/jti/) });
    await expect(verify('criminal-record', await signer.signDetached(payload, { ...header, iat: now(), typ: 'parvaneh-response+jws' }), payload)).rejects.toMatchObject({ detail: expect.stringMatching(/typ/) });
    await expect(verify('criminal-record', await signer.signDetached(payload, { ...header, iat: now() - 200 }), payload)).resolves.toBeDefined();
  });

  it('refuses a key set URL over plain http:// at start', () => {
    expect(() => createRegistrySignatureVerifier({ 'criminal-record': 'http://registry.example/jwks.json' })).toThrow(/https/);
  });
});

describe('the callbacks\' rate limit', () => {
  /** A gateway with these limits and no database: a refused signature never reaches it, and the counters are kept in memory. */
  const limitedGateway = async (rateLimits: Omit<NonNullable<Exclude<Parameters<typeof createGateway>[0]['rateLimits'], false>>, 'store'>) => {
    const issuer = await ephemeralDevIssuer();
    return createGateway({
      deps: { calendar: loadHolidayCalendar() } as unknown as ServiceDeps, registryKeys: keys.jwks, signingKeys: await createSigningKeyStore(),
      checkReady: async () => undefined, auth: { issuers: [{ issuer: issuer.issuer, jwks: issuer.jwks }], audience: API_AUDIENCE },
      rateLimits: { ...rateLimits, windowSeconds: 60, store: memoryRateLimitStore() },
    });
  };

  it('limits each registry\'s callbacks on their own, before the signature is even read', async () => {
    const app = await limitedGateway({ limits: { default: 100, registry: 3 } });
    const post = (registry: string) => app.request(`/v1/callbacks/registries/${registry}`, {
      method: 'POST', body: body(registry), headers: { 'content-type': 'application/json', 'x-registry-signature': 'e30..c2ln' },
    });
    for (let i = 0; i < 3; i += 1) expect((await post('criminal-record')).status).toBe(401);
    const limited = await post('criminal-record');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('ratelimit-policy')).toBe('"registry-callbacks";q=3;w=60');
    expect((await post('security-clearance')).status).toBe(401);
  });

  it('does not count a registry\'s callbacks by address at the edge: one address may send past the edge\'s limit', async () => {
    const app = await limitedGateway({ limits: { default: 2, registry: 100 }, failedAuthentications: 100 });
    const post = () => app.request('/v1/callbacks/registries/criminal-record', {
      method: 'POST', body: body('criminal-record'), headers: { 'content-type': 'application/json', 'x-registry-signature': 'e30..c2ln' },
    });
    // Refused for its signature each time, never for the address's count.
    for (let i = 0; i < 5; i += 1) expect((await post()).status).toBe(401);
    // The edge still counts what is not a callback, by address.
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await app.request('/ready')).status);
    expect(statuses.at(-1)).toBe(429);
  });
});
