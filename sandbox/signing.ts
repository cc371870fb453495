/**
 * Callback signing: the sandbox's registries sign each callback body with
 * ES256 and send it as a detached compact JWS (RFC 7515 appendix F).
 */
import { createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { CompactSign, type JWK } from 'jose';

/** A registry signing key with its key id and public JWKS entry. */
export interface RegistrySigner {
  kid: string;
  /** `{ keys: [...] }` as served at `GET /registries/jwks.json`. */
  jwks: { keys: JWK[] };
  /** Detached JWS `header..signature` over exactly `payload`. */
  signDetached(payload: Uint8Array): Promise<string>;
}

/** RFC 7638 JWK thumbprint of an EC public key (base64url SHA-256). */
function ecThumbprint(jwk: JWK): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

/** Generates a fresh P-256 private JWK. */
function generatePrivateJwk(): JWK {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ format: 'jwk' }) as JWK;
}

/** Builds a signer from `privateJwk`, or from a newly generated ES256 key pair. */
export function createRegistrySigner(privateJwk?: JWK): RegistrySigner {
  const jwk = privateJwk ?? generatePrivateJwk();
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.d) {
    throw new Error('sandbox signingKey must be a private P-256 (ES256) JWK');
  }
  const key = createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
  const kid = jwk.kid ?? ecThumbprint(jwk);
  const publicJwk: JWK = { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid, alg: 'ES256', use: 'sig' };
  return {
    kid,
    jwks: { keys: [publicJwk] },
    async signDetached(payload) {
      const jws = await new CompactSign(payload).setProtectedHeader({ alg: 'ES256', kid }).sign(key);
      const [header, , signature] = jws.split('.');
      return `${header}..${signature}`;
    },
  };
}
