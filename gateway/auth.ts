/**
 * Bearer-token authentication: JWTs verified with jose against the configured issuers' keys
 * (audience, expiry, a small clock skew). The token's claims give the caller's role and office.
 */
import type { MiddlewareHandler } from 'hono';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { Actor, Role } from '../services/context.js';
import { DomainError } from '../services/errors.js';

export interface TrustedIssuer {
  issuer: string;
  /** A JWKS URL, or the key set itself (the development issuer). */
  jwks: string | JSONWebKeySet;
}

export interface AuthOptions {
  issuers: TrustedIssuer[];
  audience: string;
  clockToleranceSeconds?: number;
}

const ROLES: Role[] = ['portal', 'county-office', 'province-office', 'national-office', 'integrator'];

const unauthenticated = (detail: string) =>
  new DomainError('unauthenticated', 'unauthenticated', { fa: 'احراز هویت نشد', en: 'not authenticated' }, detail);

/** What a caller is told when jose refuses a token, by jose's error code. */
const TOKEN_FAILURES = new Map([
  ['ERR_JWT_EXPIRED', 'the token has expired'],
  ['ERR_JWT_CLAIM_VALIDATION_FAILED', 'the token\'s claims are not accepted (issuer, audience, subject or times)'],
  ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'the token\'s signature does not verify'],
  ['ERR_JWKS_NO_MATCHING_KEY', 'the token\'s signing key is not known'],
]);

/** Verifies a bearer token and returns the actor it names. */
export function createTokenVerifier(options: AuthOptions): (token: string) => Promise<Actor> {
  const keys = new Map<string, JWTVerifyGetKey>(options.issuers.map((i) => [
    i.issuer, typeof i.jwks === 'string' ? createRemoteJWKSet(new URL(i.jwks)) : createLocalJWKSet(i.jwks),
  ]));
  return async (token) => {
    let issuer: string | undefined;
    try {
      issuer = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')).iss;
    } catch {
      throw unauthenticated('the token is not a JWT');
    }
    const getKey = issuer ? keys.get(issuer) : undefined;
    if (!getKey) throw unauthenticated('the token comes from an issuer we do not trust');
    let payload;
    try {
      ({ payload } = await jwtVerify(token, getKey, {
        issuer, audience: options.audience, clockTolerance: options.clockToleranceSeconds ?? 30, requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      // A fixed answer by jose's error code; jose's own text goes to the log (as the cause), never to the caller.
      const failure = unauthenticated(TOKEN_FAILURES.get(String((error as { code?: unknown }).code)) ?? 'the token is not valid');
      failure.cause = error;
      throw failure;
    }
    const role = payload.role as Role;
    if (!ROLES.includes(role)) throw unauthenticated('the token names no known role');
    const actor: Actor = { subject: String(payload.sub), role };
    if (role === 'county-office') {
      if (typeof payload.county !== 'string' || typeof payload.province !== 'string') throw unauthenticated('a county office token names its county and province');
      actor.county = payload.county;
      actor.province = payload.province;
    }
    if (role === 'province-office') {
      if (typeof payload.province !== 'string') throw unauthenticated('a province office token names its province');
      actor.province = payload.province;
    }
    return actor;
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
