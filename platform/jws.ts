/**
 * Compact JWS with a detached payload (RFC 7515 appendix F): `<protected>..<signature>`, where the
 * signature covers `BASE64URL(header) '.' BASE64URL(body)` (the standard, b64=true form).
 * Signing goes straight through `node:crypto` (several times faster than jose over WebCrypto);
 * verifying goes through jose, the way integrators verify.
 */
import { sign } from 'node:crypto';
import { compactVerify, createLocalJWKSet, type CompactJWSHeaderParameters, type JSONWebKeySet } from 'jose';
import type { SigningKey } from './signing-keys.js';
import type { SignBytes } from './signing-thread.js';

/**
 * The kinds of message our key signs, as the JWS `typ` each carries: a verifier checks the kind it
 * expects, so a gateway response (whose body and request id a caller can choose) is never taken
 * for a notification to the portal, nor the other way round.
 */
export const RESPONSE_TYP = 'parvaneh-response+jws';
export const NOTIFICATION_TYP = 'parvaneh-notification+jws';
/** The audience of a notification: the national permits portal. */
export const PORTAL_AUDIENCE = 'national-portal';

/** Header parameters the signer owns; claims may not set them. */
const RESERVED = new Set(['alg', 'kid', 'b64', 'crit']);

/**
 * Signs `body` with ES256 and returns `<protected>..<signature>`. The protected header is
 * `{ alg: 'ES256', kid, iat, ...claims }`; `iat` is now in seconds unless `claims` gives one.
 */
export function signDetached(key: SigningKey, body: Uint8Array, claims: Record<string, unknown> = {}): string {
  const { signingInput, protectedHeader } = detachedSigningInput(key, body, claims);
  // ieee-p1363 gives the fixed-length R||S (64 bytes for P-256) that JWS ES256 expects, not DER.
  const signature = sign('sha256', signingInput, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${protectedHeader}..${signature.toString('base64url')}`;
}

/**
 * `signDetached`, with the ECDSA computed off the calling thread: on libuv's thread pool, or by
 * `signBytes` (the gateway's batching signing thread, `signing-thread.ts`). The same JWS, while
 * the event loop goes on serving other requests (the gateway signs every response).
 */
export async function signDetachedAsync(key: SigningKey, body: Uint8Array, claims: Record<string, unknown> = {}, signBytes: SignBytes = signOnThreadPool): Promise<string> {
  const { signingInput, protectedHeader } = detachedSigningInput(key, body, claims);
  const signature = await signBytes(key, signingInput);
  return `${protectedHeader}..${signature.toString('base64url')}`;
}

const signOnThreadPool: SignBytes = (key, input) => new Promise<Buffer>((resolve, reject) => {
  sign('sha256', input, { key: key.privateKey, dsaEncoding: 'ieee-p1363' }, (error, result) => (error ? reject(error) : resolve(result)));
});

function detachedSigningInput(key: SigningKey, body: Uint8Array, claims: Record<string, unknown>): { signingInput: Buffer; protectedHeader: string } {
  for (const name of Object.keys(claims)) {
    if (RESERVED.has(name)) throw new TypeError(`signDetached: claim "${name}" is set by the signer`);
  }
  const header = { alg: 'ES256', kid: key.kid, iat: Math.floor(Date.now() / 1000), ...claims };
  const protectedHeader = Buffer.from(JSON.stringify(header), 'utf8').toString('base64url');
  const payload = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('base64url');
  return { signingInput: Buffer.from(`${protectedHeader}.${payload}`, 'ascii'), protectedHeader };
}

/**
 * Verifies a detached-payload compact JWS over `body` against a key set with jose (re-attaches the
 * payload, then `compactVerify`, ES256 only) and returns its protected header; throws when invalid,
 * or when `expect` names a protected header value (`typ`, `status`…) the signature does not carry.
 */
export async function verifyDetached(jws: string, body: Uint8Array, jwks: JSONWebKeySet, expect: Record<string, unknown> = {}): Promise<CompactJWSHeaderParameters> {
  const parts = jws.split('.');
  if (parts.length !== 3 || parts[1] !== '') throw new TypeError('expected a compact JWS with a detached payload: <protected>..<signature>');
  const attached = `${parts[0]}.${Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('base64url')}.${parts[2]}`;
  const { protectedHeader } = await compactVerify(attached, createLocalJWKSet(jwks), { algorithms: ['ES256'] });
  for (const [name, value] of Object.entries(expect)) {
    if (protectedHeader[name] !== value) throw new TypeError(`the signature's ${name} is ${JSON.stringify(protectedHeader[name])}, expected ${JSON.stringify(value)}`);
  }
  return protectedHeader;
}
