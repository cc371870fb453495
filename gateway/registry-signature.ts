/**
 * Registry callbacks carry `x-registry-signature`: a compact JWS with a detached payload
 * (RFC 7515 appendix F) over the exact body bytes, verified against the key set of the registry
 * the callback claims to come from (its path), never another registry's. Its protected header
 * says what it is (`typ: registry-callback+jws`), when it was signed (`iat`, within a few minutes
 * of our clock) and under which id (`jti`), which the service keeps so a replay changes nothing.
 */
import { compactVerify, createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { DomainError } from '../services/errors.js';
import { assertSecureUrl, remoteIssuerKeys } from './issuer-keys.js';
import type { RateLimitOptions } from './middleware/rate-limit.js';

/** Each registry's key set: the JSON, or an https:// URL of it. */
export type RegistryKeys = Record<string, string | JSONWebKeySet>;

/** The `typ` of a callback's signature. */
export const CALLBACK_TYP = 'registry-callback+jws';
/** How far a callback's `iat` may be from our clock (default), in seconds. */
export const CALLBACK_FRESHNESS_SECONDS = 300;

/** The callback route, as the limiter is mounted on it. */
export const CALLBACK_PATH = '/v1/callbacks/registries/:registry';
/** Callbacks a registry may send per window, unless the limits name `registry` (the window is the gateway's, a minute by default). */
export const CALLBACKS_PER_WINDOW = 600;

/**
 * The general limiter's options for callbacks: counted per registry named in the path, not per
 * address, with their own policy name.
 */
export function registryCallbackLimits(general: RateLimitOptions = {}): RateLimitOptions {
  return {
    ...general, policy: 'registry-callbacks', limits: { default: general.limits?.registry ?? CALLBACKS_PER_WINDOW },
    clientOf: (c) => `registry:${c.req.param('registry') ?? ''}`,
  };
}

/** What a verified signature tells: the callback's unique id, when it was signed, and until when a replay of it could still pass as fresh. */
export interface VerifiedCallback { jti: string; iat: number; keepUntil: Date }

const badSignature = (detail: string) =>
  new DomainError('unauthenticated', 'bad-signature', { fa: 'امضای پاسخ نامعتبر است', en: 'invalid signature' }, detail);

/** Builds a verifier for each registry's callbacks; registries without a key are refused. */
export function createRegistrySignatureVerifier(keys: RegistryKeys, options: { freshnessSeconds?: number; now?: () => number } = {}) {
  // A map, so a registry named `constructor` or `__proto__` finds no key.
  const sets = new Map<string, JWTVerifyGetKey>(Object.entries(keys).map(([registry, jwks]) => [
    registry, typeof jwks === 'string'
      ? remoteIssuerKeys({ issuer: `registry:${registry}`, jwksUrl: assertSecureUrl(jwks, `the key set URL of ${registry}`).href })
      : createLocalJWKSet(jwks),
  ]));
  const freshness = options.freshnessSeconds ?? CALLBACK_FRESHNESS_SECONDS;
  const now = options.now ?? Date.now;
  return async function verifyRegistrySignature(registry: string, signature: string | undefined, body: Uint8Array): Promise<VerifiedCallback> {
    const getKey = sets.get(registry);
    if (!getKey) throw badSignature(`no key is configured for registry ${registry}`);
    const parts = signature?.split('.') ?? [];
    if (parts.length !== 3 || parts[1] !== '') throw badSignature('x-registry-signature must be a compact JWS with a detached payload');
    const attached = `${parts[0]}.${Buffer.from(body).toString('base64url')}.${parts[2]}`;
    let header;
    try {
      ({ protectedHeader: header } = await compactVerify(attached, getKey, { algorithms: ['ES256'] }));
    } catch {
      throw badSignature(`the signature does not verify with the key of ${registry}`);
    }
    if (header.typ !== CALLBACK_TYP) throw badSignature(`the signature's typ must be ${CALLBACK_TYP}`);
    if (typeof header.iat !== 'number' || Math.abs(now() / 1000 - header.iat) > freshness) {
      throw badSignature(`the signature's iat must be within ${freshness} s of the current time`);
    }
    if (typeof header.jti !== 'string' || header.jti.length === 0 || header.jti.length > 200) throw badSignature('the signature needs a jti (1 to 200 characters)');
    return { jti: header.jti, iat: header.iat, keepUntil: new Date((header.iat + freshness) * 1000 + 60_000) };
  };
}
