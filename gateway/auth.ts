/**
 * Bearer-token authentication: JWTs verified with jose against the configured issuers' keys
 * (audience, expiry, a small clock skew), of an access token's `typ` (`at+jwt`, RFC 9068, or the
 * generic `JWT` most providers write), no older than a maximum age whatever their `exp` says.
 * Several issuers may be trusted at once; each one's claims are mapped to the caller's role and
 * office by its own claim mapping (`claim-mapping.ts`).
 */
import type { MiddlewareHandler } from 'hono';
import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
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

/** Verifies a bearer token and returns the actor it names. */
export function createTokenVerifier(options: AuthOptions): (token: string) => Promise<Actor> {
  const issuers = new Map(options.issuers.map((trusted) => [trusted.issuer, { trusted, getKey: issuerKeyLookup(trusted, options) }]));
  const maxTokenAge = options.maxTokenAgeSeconds ?? DEFAULT_MAX_TOKEN_AGE_SECONDS;
  return async (token) => {
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
    try {
      ({ payload } = await jwtVerify(token, trusted.getKey, {
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
    return mapped.actor;
  };
}

/** Sets `actor` from the bearer token; without a token the caller is the public. */
export function authenticate(verify: (token: string) => Promise<Actor>): MiddlewareHandler<{ Variables: { actor: Actor } }> {
  return async function authenticateRequest(c, next) {
    const header = c.req.header('authorization');
    if (!header) {
      c.set('actor', { subject: 'public', role: 'public' });
      return next();
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthenticated('use "Authorization: Bearer <token>"');
    c.set('actor', await verify(match[1]!));
    return next();
  };
}
