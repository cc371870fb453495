/**
 * Bearer-token authentication: JWTs verified with jose against the configured issuers' keys
 * (audience, expiry, a small clock skew), of an access token's `typ` (`at+jwt`, RFC 9068, or the
 * generic `JWT` most providers write), no older than a maximum age whatever their `exp` says.
 * Several issuers may be trusted at once; each one's claims are mapped to the caller's role and
 * office by its own claim mapping (`claim-mapping.ts`).
 */
import { LRUCache } from 'lru-cache';
import type { MiddlewareHandler } from 'hono';
import { createHash } from 'node:crypto';
import {
  createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify, type FlattenedJWSInput, type JSONWebKeySet, type JWTHeaderParameters,
  type JWTPayload, type JWTVerifyGetKey,
} from 'jose';
import type { Registry } from 'prom-client';
import type { Actor } from '../services/context.js';
import { DomainError } from '../services/errors.js';
import { actorFromClaims, type ClaimMapping } from './claim-mapping.js';
import { assertSecureUrl, remoteIssuerKeys } from './issuer-keys.js';

export interface TrustedIssuer {
  issuer: string;
  /**
   * A JWKS URL (https:// only, plain http:// on loopback), or the key set itself (the development
   * issuer); omitted: found by OpenID Connect discovery from the issuer URL.
   */
  jwks?: string | JSONWebKeySet;
  /** How this issuer's claims name the role, county and province (default: claims `role`, `county`, `province` as they are). */
  claims?: ClaimMapping;
}

export interface AuthOptions {
  issuers: TrustedIssuer[];
  audience: string;
  clockToleranceSeconds?: number;
  /** The oldest token accepted, by its `iat`, whatever its `exp` (default 24 h). */
  maxTokenAgeSeconds?: number;
  /** How long the last good key set of a remote issuer keeps verifying while it cannot be reloaded (default 1 h). */
  maxStaleKeysSeconds?: number;
  /** Where the remote key sets' counters and gauges go (the gateway's /metrics). */
  metrics?: Registry;
  fetch?: typeof fetch;
  now?: () => number;
  /** Tokens whose verification is remembered (default 10,000; 0: none): see `createTokenVerifier`. */
  verifiedTokenCacheSize?: number;
}

/** The token types accepted in the JOSE header (RFC 9068's, with its media-type spelling, and the generic one). */
export const ACCESS_TOKEN_TYPES = ['at+jwt', 'application/at+jwt', 'jwt'];
/** The default maximum token age: a working day and its night. */
export const DEFAULT_MAX_TOKEN_AGE_SECONDS = 24 * 3600;

const unauthenticated = (detail: string) =>
  new DomainError('unauthenticated', 'unauthenticated', { fa: 'احراز هویت نشد', en: 'not authenticated' }, detail);

/** Why jose refused, in our words: a library's own message never reaches the caller. */
function refusal(error: unknown): string {
  if (error instanceof errors.JWTExpired) return error.claim === 'iat' ? 'the token is older than the maximum age (by its iat)' : 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is missing or not acceptable`;
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token is signed by a key its issuer does not publish';
  if (error instanceof errors.JWKSInvalid) return 'the issuer\'s keys cannot be had now';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token\'s signature does not verify';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token\'s algorithm is not accepted';
  return 'the token is not valid';
}

/** The key lookup of one trusted issuer; a JWKS URL over plain http:// (off loopback) is refused here, at start. */
function issuerKeyLookup(trusted: TrustedIssuer, options: AuthOptions): JWTVerifyGetKey {
  if (trusted.jwks !== undefined && typeof trusted.jwks !== 'string') return createLocalJWKSet(trusted.jwks);
  if (trusted.jwks !== undefined) assertSecureUrl(trusted.jwks, `the JWKS URL of ${trusted.issuer}`);
  return remoteIssuerKeys({
    issuer: trusted.issuer, jwksUrl: trusted.jwks, maxStaleSeconds: options.maxStaleKeysSeconds,
    metrics: options.metrics, fetch: options.fetch, now: options.now,
  });
}

/** What a verified token is remembered by: its actor, and what must still hold for it to stand. */
interface VerifiedToken {
  actor: Actor;
  getKey: JWTVerifyGetKey;
  header: JWTHeaderParameters;
  input: FlattenedJWSInput;
  /** The issuer's key that verified it: the token stands only while the issuer's key set still gives that very key. */
  key: unknown;
  /** Seconds (as jose counts them, with the clock tolerance): valid from `from` while before or at `until`. */
  from: number;
  until: number;
}

/** Verifies a bearer token; `remembers` says, without verifying, whether it is one verified before and remembered. */
export type TokenVerifier = ((token: string) => Promise<Actor>) & { remembers(token: string): boolean };

/**
 * Verifies a bearer token and returns the actor it names.
 *
 * A token verified once is remembered (by its SHA-256, in a bounded LRU of `verifiedTokenCacheSize`)
 * so its ES256 signature is not checked again on every request. Everything else is checked again
 * each time: the time bounds jose checks (`exp`, `nbf`, the maximum age by `iat`, with the same clock
 * tolerance), and the issuer's key: the remembered token stands only if the issuer's key lookup
 * (the local key set, or the remote one with its reloads and staleness limit) still answers with
 * the very key that verified it, so a rotated or withdrawn key of the issuer ends it when the key
 * set is reloaded, as it would without the cache. Otherwise it is verified in full again.
 * `remembers(token)` tells the rate limits whether a token's check will be that cheap one.
 */
export function createTokenVerifier(options: AuthOptions): TokenVerifier {
  const issuers = new Map(options.issuers.map((trusted) => [trusted.issuer, { trusted, getKey: issuerKeyLookup(trusted, options) }]));
  const maxTokenAge = options.maxTokenAgeSeconds ?? DEFAULT_MAX_TOKEN_AGE_SECONDS;
  const tolerance = options.clockToleranceSeconds ?? 30;
  const cacheSize = options.verifiedTokenCacheSize ?? 10_000;
  // The least recently used go first (lru-cache); 0 keeps none.
  const verified = cacheSize > 0 ? new LRUCache<string, VerifiedToken>({ max: cacheSize }) : undefined;
  const epoch = () => Math.floor((options.now ? options.now() : Date.now()) / 1000);

  async function remembered(hash: string): Promise<Actor | undefined> {
    const entry = verified?.get(hash);
    if (!entry) return undefined;
    if (await stillStands(entry)) return entry.actor;
    // Dropped only when it no longer stands. (Taking it out to judge it and putting it back emptied
    // the cache whenever it held one token, the portal's usual case, and lru-cache then cleared its
    // whole 10,000-slot index: 8–9 % of a GET's busy time.)
    verified!.delete(hash);
    return undefined;
  }

  async function stillStands(entry: VerifiedToken): Promise<boolean> {
    const now = epoch();
    if (now < entry.from || now > entry.until) return false;
    try {
      return (await entry.getKey(entry.header, entry.input)) === entry.key;
    } catch {
      return false;
    }
  }

  function remember(hash: string, entry: VerifiedToken): void {
    verified?.set(hash, entry);
  }

  const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');
  const verify = async (token: string): Promise<Actor> => {
    const hash = hashOf(token);
    const known = await remembered(hash);
    if (known) return known;
    let issuer: unknown;
    let typ: unknown;
    try {
      issuer = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')).iss;
      typ = decodeProtectedHeader(token).typ;
    } catch {
      throw unauthenticated('the token is not a JWT');
    }
    const trusted = typeof issuer === 'string' ? issuers.get(issuer) : undefined;
    if (!trusted) throw unauthenticated('the token comes from an issuer we do not trust');
    if (typeof typ !== 'string' || !ACCESS_TOKEN_TYPES.includes(typ.toLowerCase())) {
      throw unauthenticated('the token\'s typ must be at+jwt or JWT (an access token)');
    }
    let payload: JWTPayload;
    let header: JWTHeaderParameters;
    let used: { key: unknown; input: FlattenedJWSInput } | undefined;
    const getKey: JWTVerifyGetKey = async (protectedHeader, input) => {
      const key = await trusted.getKey(protectedHeader, input);
      used = { key, input };
      return key;
    };
    try {
      ({ payload, protectedHeader: header } = await jwtVerify(token, getKey, {
        issuer: trusted.trusted.issuer, audience: options.audience, clockTolerance: options.clockToleranceSeconds ?? 30,
        requiredClaims: ['exp', 'iat', 'sub'], maxTokenAge, currentDate: options.now ? new Date(options.now()) : undefined,
      }));
    } catch (error) {
      // Our words to the caller; jose's own text goes to the log (as the cause), never to the caller.
      const failure = unauthenticated(refusal(error));
      failure.cause = error;
      throw failure;
    }
    // jose bounds the age by iat; a token minted to live longer than that is refused outright too.
    if (payload.exp! - payload.iat! > maxTokenAge) throw unauthenticated(`the token's lifetime (exp − iat) is over the maximum of ${maxTokenAge} s`);
    const mapped = actorFromClaims(payload, trusted.trusted.claims);
    if (!mapped.ok) throw unauthenticated(mapped.detail);
    // The bounds jose has just checked, kept to be checked again, each with the tolerance: exp, nbf,
    // and iat (the maximum age, and not in the future). Rounded towards refusing: a full check decides.
    const until = Math.min(payload.exp! + tolerance - 1, payload.iat! + maxTokenAge + tolerance);
    const from = Math.max(payload.iat! - tolerance, typeof payload.nbf === 'number' ? payload.nbf - tolerance : -Infinity);
    if (used) remember(hash, { actor: mapped.actor, getKey: trusted.getKey, header, input: used.input, key: used.key, from, until });
    return mapped.actor;
  };
  return Object.assign(verify, { remembers: (token: string) => verified?.has(hashOf(token)) ?? false });
}

/** The token of an `Authorization: Bearer <token>` header; undefined for any other header or none. */
export function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
}

/** Sets `actor` from the bearer token; without a token the caller is the public. */
export function authenticate(verify: (token: string) => Promise<Actor>): MiddlewareHandler<{ Variables: { actor: Actor } }> {
  return async function authenticateRequest(c, next) {
    const header = c.req.header('authorization');
    if (!header) {
      c.set('actor', { subject: 'public', role: 'public' });
      return next();
    }
    const token = bearerToken(header);
    if (!token) throw unauthenticated('use "Authorization: Bearer <token>"');
    c.set('actor', await verify(token));
    return next();
  };
}
