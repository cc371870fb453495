/**
 * The development token issuer: an ES256 key kept under `.data/`, trusted only by a development
 * start (`npm start`) and the tests. `npm run token -- --role county-office --county ahvaz`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK } from 'jose';
import { provinceOf } from '../services/geography.js';

export const DEV_ISSUER = 'https://dev-issuer.parvaneh.local';
export const API_AUDIENCE = 'parvaneh-api';

export interface DevIssuer {
  issuer: string;
  jwks: JSONWebKeySet;
  mint(claims: { role: string; sub?: string; county?: string; province?: string; expiresIn?: string }): Promise<string>;
}

/** Loads the development issuer's key from `path`, creating it on first use. */
export async function loadDevIssuer(path = '.data/dev-issuer.jwk.json'): Promise<DevIssuer> {
  let privateJwk: JWK;
  if (existsSync(path)) privateJwk = JSON.parse(readFileSync(path, 'utf8'));
  else {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    privateJwk = { ...(await exportJWK(privateKey)), kid: `dev-${Date.now().toString(36)}`, alg: 'ES256' };
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(privateJwk), { mode: 0o600 });
  }
  return devIssuerFromJwk(privateJwk);
}

/** A development issuer around a given private key (tests generate one in memory). */
export async function devIssuerFromJwk(privateJwk: JWK): Promise<DevIssuer> {
  const { d: _d, ...publicJwk } = privateJwk;
  const key = await importJWK(privateJwk, 'ES256');
  return {
    issuer: DEV_ISSUER,
    jwks: { keys: [{ ...publicJwk, use: 'sig', alg: 'ES256' }] },
    async mint({ role, sub, county, province, expiresIn = '8h' }) {
      const claims: Record<string, string> = { role };
      if (county) {
        claims.county = county;
        claims.province = province ?? provinceOf(county) ?? '';
      } else if (province) claims.province = province;
      return new SignJWT(claims)
        // An access token as RFC 9068 types it: the gateway accepts `at+jwt` (or `JWT`) and nothing else.
        .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid, typ: 'at+jwt' })
        .setIssuer(DEV_ISSUER).setAudience(API_AUDIENCE).setSubject(sub ?? `${role}${county ? `:${county}` : province ? `:${province}` : ''}`)
        .setIssuedAt().setExpirationTime(expiresIn)
        .sign(key);
    },
  };
}

/** A fresh in-memory development issuer. */
export async function ephemeralDevIssuer(): Promise<DevIssuer> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return devIssuerFromJwk({ ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'ES256' });
}
