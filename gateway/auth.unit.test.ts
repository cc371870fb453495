/**
 * Bearer tokens: the token's type and age, JWKS URLs, and a real OpenID Connect provider on
 * loopback (discovery and JWKS over HTTP, keys and tokens minted by jose), including an outage of
 * its key set.
 */
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from './auth.js';
import { API_AUDIENCE, ephemeralDevIssuer, type DevIssuer } from './dev-issuer.js';

/** A small identity provider: discovery, JWKS, and a switch that makes its key set fail. */
interface Provider {
  issuer: string;
  keysUp: boolean;
  /** What the discovery document says the issuer is (a provider answering for another). */
  claimedIssuer?: string;
  requests: string[];
  mint(claims: Record<string, unknown>, opts?: { typ?: string | null; iat?: number; exp?: number | string; kid?: string }): Promise<string>;
  /** A new key pair under the same kid (a provider that rotates without a new kid, or a key replaced after a compromise). */
  rotate(): Promise<void>;
  close(): Promise<void>;
}

async function startProvider(): Promise<Provider> {
  let { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  let jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' };
  const provider = { keysUp: true, requests: [] as string[] } as Provider;
  const server: Server = createServer((req, res) => {
    provider.requests.push(req.url ?? '');
    if (req.url === '/realms/parvaneh/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer: provider.claimedIssuer ?? provider.issuer, jwks_uri: `${provider.issuer}/protocol/certs` }));
    } else if (req.url === '/realms/parvaneh/protocol/certs' && provider.keysUp) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.writeHead(503).end();
    }
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  provider.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/parvaneh`;
  provider.mint = (claims, opts = {}) => signToken(privateKey, provider.issuer, claims, opts);
  provider.rotate = async () => {
    ({ privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true }));
    jwk = { ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' };
  };
  provider.close = () => new Promise((done) => server.close(() => done()));
  return provider;
}

function signToken(key: CryptoKey, issuer: string, claims: Record<string, unknown>, opts: { typ?: string | null; iat?: number; exp?: number | string; kid?: string }) {
  const header: Record<string, unknown> = { alg: 'ES256', kid: opts.kid ?? 'idp-1' };
  if (opts.typ !== null) header.typ = opts.typ ?? 'at+jwt';
  const jwt = new SignJWT(claims).setProtectedHeader(header as { alg: string }).setIssuer(issuer).setAudience(API_AUDIENCE).setSubject('officer-7');
  if (opts.iat !== -1) jwt.setIssuedAt(opts.iat);
  return jwt.setExpirationTime(opts.exp ?? '1h').sign(key);
}

/** A provider whose claims are not ours: roles in a list, the office under `org`. */
const keycloakLike = {
  role: 'realm_access.roles',
  roles: { 'parvaneh-county-officer': 'county-office', 'parvaneh-exam-board': 'exam-organiser' },
  county: 'org.county',
  counties: { AHV: 'ahvaz', DEZ: 'dezful' },
} as const;

let provider: Provider;
let dev: DevIssuer;
beforeAll(async () => {
  provider = await startProvider();
  dev = await ephemeralDevIssuer();
});
afterAll(() => provider.close());

describe('token type and age', () => {
  const verifier = () => createTokenVerifier({ issuers: [{ issuer: dev.issuer, jwks: dev.jwks }], audience: API_AUDIENCE });

  it('accepts what the development issuer mints (typ at+jwt)', async () => {
    const token = await dev.mint({ role: 'exam-organiser' });
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toMatchObject({ typ: 'at+jwt' });
    await expect(verifier()(token)).resolves.toMatchObject({ role: 'exam-organiser', subject: 'exam-organiser' });
  });

  it('refuses a 100-year token, an old one and one without iat, whatever its exp says', async () => {
    await expect(verifier()(await dev.mint({ role: 'portal', expiresIn: '36500d' }))).rejects.toMatchObject({ detail: expect.stringMatching(/lifetime/) });
    const trusted = await startTrustedKey();
    const now = Math.floor(Date.now() / 1000);
    const century = now + 100 * 365 * 24 * 3600;
    await expect(trusted.verify(await trusted.mint({ role: 'portal' }, { iat: now, exp: century }))).rejects.toMatchObject({ detail: expect.stringMatching(/lifetime/) });
    // Issued 25 hours ago, over the 24 h maximum age, though its exp is still ahead.
    await expect(trusted.verify(await trusted.mint({ role: 'portal' }, { iat: now - 25 * 3600, exp: now + 3600 }))).rejects.toMatchObject({ detail: expect.stringMatching(/older than the maximum age/) });
    await expect(trusted.verify(await trusted.mint({ role: 'portal' }, { iat: -1, exp: now + 3600 }))).rejects.toMatchObject({ detail: expect.stringMatching(/iat claim/) });
    await expect(trusted.verify(await trusted.mint({ role: 'portal' }, { iat: now - 23 * 3600, exp: now + 3600 }))).resolves.toMatchObject({ role: 'portal' });
  });

  it('refuses a token of another typ, or none; accepts at+jwt and JWT', async () => {
    const trusted = await startTrustedKey();
    for (const typ of ['JWT', 'at+jwt', 'application/at+jwt']) await expect(trusted.verify(await trusted.mint({ role: 'portal' }, { typ }))).resolves.toMatchObject({ role: 'portal' });
    for (const typ of [null, 'parvaneh-response+jws', 'logout+jwt', 'dpop+jwt']) {
      await expect(trusted.verify(await trusted.mint({ role: 'portal' }, { typ }))).rejects.toMatchObject({ detail: expect.stringMatching(/typ/) });
    }
  });

  it('never echoes the library\'s message', async () => {
    const trusted = await startTrustedKey();
    const expired = await trusted.mint({ role: 'portal' }, { iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 });
    await expect(trusted.verify(expired)).rejects.toMatchObject({ detail: 'the token has expired' });
  });
});

/** A key trusted inline, minting tokens with any header and times. */
async function startTrustedKey() {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const issuer = 'https://idp.test.example';
  const verify = createTokenVerifier({ issuers: [{ issuer, jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'ES256' }] } }], audience: API_AUDIENCE });
  return { verify, mint: (claims: Record<string, unknown>, opts: Parameters<typeof signToken>[3] = {}) => signToken(privateKey, issuer, claims, opts) };
}

describe('JWKS URLs', () => {
  it('refuses a JWKS URL over plain http:// at start, off loopback; takes https:// and loopback', () => {
    const make = (jwks: string) => () => createTokenVerifier({ issuers: [{ issuer: 'https://idp.example', jwks }], audience: API_AUDIENCE });
    expect(make('http://idp.example/jwks')).toThrow(/must be an https:\/\/ URL/);
    expect(make('http://10.0.0.8/jwks')).toThrow(/must be an https:\/\/ URL/);
    expect(make('ftp://idp.example/jwks')).toThrow(/must be an https:\/\/ URL/);
    expect(make('https://idp.example/jwks')).not.toThrow();
    expect(make('http://127.0.0.1:8080/jwks')).not.toThrow();
    // Discovery from an issuer over plain http:// is refused the same way.
    expect(() => createTokenVerifier({ issuers: [{ issuer: 'http://idp.example/realms/x' }], audience: API_AUDIENCE })).toThrow(/https/);
  });
});

describe('the gateway process', () => {
  const start = (env: Record<string, string>) => spawnSync(process.execPath, ['--import', 'tsx', 'gateway/main.ts'], {
    env: { PATH: process.env.PATH ?? '', AUTH_ISSUER: 'https://idp.example', ...env }, encoding: 'utf8', timeout: 60_000,
  });

  it('refuses to start with a JWKS URL over plain http://, or one key set for every registry', () => {
    const plain = start({ AUTH_JWKS: 'http://idp.example/jwks.json' });
    expect(plain.status).toBe(1);
    expect(plain.stderr).toMatch(/AUTH_JWKS: expected .*https:\/\/ URL.*http:\/\/ on loopback/);
    const shared = start({ AUTH_JWKS: 'https://idp.example/jwks.json', REGISTRY_JWKS: JSON.stringify({ keys: [] }) });
    expect(shared.status).toBe(1);
    expect(shared.stderr).toMatch(/REGISTRY_JWKS: expected .*each registry its own/);
  });
});

describe('an OpenID Connect provider on loopback', () => {
  it('finds the keys by discovery, trusts several issuers at once, and maps the provider\'s claims to role and office', async () => {
    const verify = createTokenVerifier({ issuers: [{ issuer: dev.issuer, jwks: dev.jwks }, { issuer: provider.issuer, claims: keycloakLike }], audience: API_AUDIENCE });
    const county = await provider.mint({ realm_access: { roles: ['offline_access', 'parvaneh-county-officer'] }, org: { county: 'AHV' } });
    await expect(verify(county)).resolves.toEqual({ subject: 'officer-7', role: 'county-office', county: 'ahvaz', province: 'khuzestan' });
    const examBoard = await provider.mint({ realm_access: { roles: ['parvaneh-exam-board'] } });
    await expect(verify(examBoard)).resolves.toMatchObject({ role: 'exam-organiser' });
    // The development issuer, trusted beside it, keeps its own claims.
    await expect(verify(await dev.mint({ role: 'province-office', province: 'markazi' }))).resolves.toMatchObject({ role: 'province-office', province: 'markazi' });
    expect(provider.requests).toContain('/realms/parvaneh/.well-known/openid-configuration');
    expect(provider.requests).toContain('/realms/parvaneh/protocol/certs');
  });

  it('refuses a role the mapping does not know, two roles at once, a prototype name, and a county it cannot map', async () => {
    const verify = createTokenVerifier({ issuers: [{ issuer: provider.issuer, claims: keycloakLike }], audience: API_AUDIENCE });
    await expect(verify(await provider.mint({ realm_access: { roles: ['portal'] } }))).rejects.toMatchObject({ detail: 'the token names no known role' });
    await expect(verify(await provider.mint({ realm_access: { roles: ['constructor'] } }))).rejects.toMatchObject({ detail: 'the token names no known role' });
    await expect(verify(await provider.mint({ realm_access: { roles: ['parvaneh-county-officer', 'parvaneh-exam-board'] }, org: { county: 'AHV' } })))
      .rejects.toMatchObject({ detail: 'the token names more than one role' });
    await expect(verify(await provider.mint({ realm_access: { roles: ['parvaneh-county-officer'] }, org: { county: 'toString' } })))
      .rejects.toMatchObject({ detail: expect.stringMatching(/names its county/) });
  });

  it('refuses a provider whose discovery document names another issuer', async () => {
    provider.claimedIssuer = 'https://elsewhere.example/realms/parvaneh';
    try {
      const verify = createTokenVerifier({ issuers: [{ issuer: provider.issuer, claims: keycloakLike }], audience: API_AUDIENCE });
      await expect(verify(await provider.mint({ realm_access: { roles: ['parvaneh-exam-board'] } }))).rejects.toMatchObject({ detail: 'the issuer\'s keys cannot be had now' });
    } finally {
      provider.claimedIssuer = undefined;
    }
  });

  it('keeps verifying with the last good key set for a bounded time while the provider\'s keys cannot be reloaded, counted on /metrics', async () => {
    let now = Date.now();
    const metrics = new Registry();
    const verify = createTokenVerifier({
      issuers: [{ issuer: provider.issuer, claims: keycloakLike }], audience: API_AUDIENCE, metrics, maxStaleKeysSeconds: 3600, now: () => now,
    });
    const token = async () => provider.mint({ realm_access: { roles: ['parvaneh-exam-board'] } }, { iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + 600 });
    await expect(verify(await token())).resolves.toMatchObject({ role: 'exam-organiser' });

    provider.keysUp = false;
    now += 20 * 60_000; // past the 10-minute refresh: the reload fails, the last good set still verifies
    await expect(verify(await token())).resolves.toMatchObject({ role: 'exam-organiser' });
    now += 30 * 60_000;
    await expect(verify(await token())).resolves.toMatchObject({ role: 'exam-organiser' });
    const text = await metrics.metrics();
    expect(text).toMatch(new RegExp(`parvaneh_auth_keys_reload_failures_total\\{issuer="${provider.issuer}"\\} 2`));
    expect(text).toMatch(new RegExp(`parvaneh_auth_keys_stale_uses_total\\{issuer="${provider.issuer}"\\} 2`));
    expect(text).toMatch(new RegExp(`parvaneh_auth_keys_age_seconds\\{issuer="${provider.issuer}"\\} 3000`));

    now += 11 * 60_000; // 61 minutes without a good reload: over the bound, refused
    await expect(verify(await token())).rejects.toMatchObject({ detail: 'the issuer\'s keys cannot be had now' });

    provider.keysUp = true;
    now += 60_000; // the provider is back: the next reload succeeds
    await expect(verify(await token())).resolves.toMatchObject({ role: 'exam-organiser' });
  });
});

describe('verified tokens remembered', () => {
  it('checks a remembered token\'s exp again each time, with the clock tolerance, and does not remember a refusal', async () => {
    let now = Date.now();
    const verify = createTokenVerifier({ issuers: [{ issuer: dev.issuer, jwks: dev.jwks }], audience: API_AUDIENCE, maxTokenAgeSeconds: 3600, now: () => now });
    const token = await dev.mint({ role: 'portal', expiresIn: '10m' });
    await expect(verify(token)).resolves.toMatchObject({ role: 'portal' });
    now += 5 * 60_000;
    await expect(verify(token)).resolves.toMatchObject({ role: 'portal' });
    now += 5 * 60_000 + 31_000; // past exp and the 30 s tolerance
    await expect(verify(token)).rejects.toMatchObject({ detail: 'the token has expired' });

    // Refused, it is not remembered as good: the same answer again, and again after the clock went back.
    await expect(verify(token)).rejects.toMatchObject({ detail: 'the token has expired' });
    now -= 10 * 60_000;
    await expect(verify(token)).resolves.toMatchObject({ role: 'portal' });
  });

  it('ends a remembered token when its issuer\'s key set, reloaded, no longer holds the key that verified it', async () => {
    let now = Date.now();
    const verify = createTokenVerifier({ issuers: [{ issuer: provider.issuer, claims: keycloakLike }], audience: API_AUDIENCE, now: () => now });
    const token = await provider.mint({ realm_access: { roles: ['parvaneh-exam-board'] } }, { iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + 3600 });
    await expect(verify(token)).resolves.toMatchObject({ role: 'exam-organiser' });
    try {
      await provider.rotate(); // the same kid, another key
      now += 5 * 60_000; // within the 10-minute refresh: the key set is not reloaded yet, the token stands
      await expect(verify(token)).resolves.toMatchObject({ role: 'exam-organiser' });
      now += 6 * 60_000; // past the refresh: reloaded, the old key is gone, and so is the token
      await expect(verify(token)).rejects.toMatchObject({ detail: 'the token\'s signature does not verify' });
      const fresh = await provider.mint({ realm_access: { roles: ['parvaneh-exam-board'] } }, { iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + 3600 });
      await expect(verify(fresh)).resolves.toMatchObject({ role: 'exam-organiser' });
    } finally {
      await provider.rotate();
    }
  });

  it('remembers a token by all of it: a remembered token\'s header and claims under another signature are verified in full, and refused', async () => {
    const verify = createTokenVerifier({ issuers: [{ issuer: dev.issuer, jwks: dev.jwks }], audience: API_AUDIENCE });
    const token = await dev.mint({ role: 'portal', sub: 'a' });
    await expect(verify(token)).resolves.toMatchObject({ subject: 'a' });
    const forged = `${token.split('.').slice(0, 2).join('.')}.${Buffer.alloc(64, 1).toString('base64url')}`;
    await expect(verify(forged)).rejects.toMatchObject({ detail: 'the token\'s signature does not verify' });
    await expect(verify(token)).resolves.toMatchObject({ subject: 'a' });
  });
});
