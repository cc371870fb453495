/**
 * Callback signing: each of the sandbox's registries signs its callback bodies
 * with its own ES256 key and sends them as a detached compact JWS (RFC 7515
 * appendix F) whose protected header says what it is (`typ`), who sent it
 * (`iss`), when (`iat`, real time, whatever the sandbox clock says) and
 * under which unique id (`jti`), so the gateway can refuse a stale or a
 * replayed callback.
 */
import { createHash, createPrivateKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { CompactSign, type JWK } from 'jose';

/** A registry signing key with its key id and public JWKS entry. */
export interface RegistrySigner {
  kid: string;
  /** `{ keys: [...] }` as served at `GET /registries/{registry}/jwks.json`. */
  jwks: { keys: JWK[] };
  /** Detached JWS `header..signature` over exactly `payload`; `header` adds protected header fields. */
  signDetached(payload: Uint8Array, header?: Record<string, unknown>): Promise<string>;
}

/** The `typ` of a registry callback's signature. */
export const CALLBACK_TYP = 'registry-callback+jws';

/** Signs a callback of `registry` now, under a fresh `jti`. */
export function signCallback(signer: RegistrySigner, registry: string, body: Uint8Array): Promise<string> {
  return signer.signDetached(body, { typ: CALLBACK_TYP, iss: registry, iat: Math.floor(Date.now() / 1000), jti: randomUUID() });
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
    async signDetached(payload, claims = {}) {
      const jws = await new CompactSign(payload).setProtectedHeader({ ...claims, alg: 'ES256', kid }).sign(key);
      const [header, , signature] = jws.split('.');
      return `${header}..${signature}`;
    },
  };
}

/** The registries that answer late, by signed callback. */
export const CALLBACK_REGISTRIES = ['security-clearance', 'criminal-record'] as const;

/** Each callback registry's own key: the private halves for the sandbox, the public key sets (by registry) for the gateway. */
export interface RegistryKeyPairs {
  privateKeys: Record<string, { privateJwk: JWK }>;
  jwks: Record<string, { keys: JWK[] }>;
}

/**
 * A fresh key for each callback registry, or the ones `stored` gives (a restart keeps them).
 * @example const keys = registryKeyPairs(); startSandbox({ registryKeys: keys.privateKeys }); createGateway({ registryKeys: keys.jwks, … })
 */
export function registryKeyPairs(stored: Record<string, JWK> = {}): RegistryKeyPairs {
  const privateKeys: RegistryKeyPairs['privateKeys'] = {};
  const jwks: RegistryKeyPairs['jwks'] = {};
  for (const registry of CALLBACK_REGISTRIES) {
    const privateJwk = Object.hasOwn(stored, registry) ? stored[registry]! : { ...generatePrivateJwk(), kid: `sandbox-${registry}`, alg: 'ES256' };
    privateKeys[registry] = { privateJwk };
    jwks[registry] = createRegistrySigner(privateJwk).jwks;
  }
  return { privateKeys, jwks };
}
