/**
 * Registry callbacks carry `x-registry-signature`: a compact JWS with a detached payload
 * (RFC 7515 appendix F) over the exact body bytes, verified against the registry's key set.
 */
import { compactVerify, createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { DomainError } from '../services/errors.js';

export type RegistryKeys = Record<string, string | JSONWebKeySet>;

const badSignature = (detail: string) =>
  new DomainError('unauthenticated', 'bad-signature', { fa: 'امضای پاسخ نامعتبر است', en: 'invalid signature' }, detail);

/** Builds a verifier for each registry's callbacks; registries without a key are refused. */
export function createRegistrySignatureVerifier(keys: RegistryKeys) {
  const sets = new Map<string, JWTVerifyGetKey>(Object.entries(keys).map(([registry, jwks]) => [
    registry, typeof jwks === 'string' ? createRemoteJWKSet(new URL(jwks)) : createLocalJWKSet(jwks),
  ]));
  return async function verifyRegistrySignature(registry: string, signature: string | undefined, body: Uint8Array): Promise<void> {
    const getKey = sets.get(registry);
    if (!getKey) throw badSignature(`no key is configured for registry ${registry}`);
    const parts = signature?.split('.') ?? [];
    if (parts.length !== 3 || parts[1] !== '') throw badSignature('x-registry-signature must be a compact JWS with a detached payload');
    const attached = `${parts[0]}.${Buffer.from(body).toString('base64url')}.${parts[2]}`;
    try {
      await compactVerify(attached, getKey, { algorithms: ['ES256'] });
    } catch (error) {
      throw badSignature((error as Error).message);
    }
  };
}
