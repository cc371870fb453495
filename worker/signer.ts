/**
 * The request signer of the portal adapter: our response-signing key signs what we send too, so
 * the portal verifies both directions against the one JWKS we publish. What keeps a response from
 * passing for a notification is the `typ` (and `aud`) the portal adapter puts in the claims it signs.
 */
import type { RequestSigner } from '../activities/national-portal.js';
import { signDetached } from '../platform/jws.js';
import { createSigningKeyStore, type SigningKeyStore } from '../platform/signing-keys.js';

/** A signer over a key store (its active key at the moment of signing). */
export function signerFor(keys: Pick<SigningKeyStore, 'active'>): RequestSigner {
  return (body, claims) => signDetached(keys.active(), body, claims);
}

/**
 * A signer over the key file a gateway keeps (a standalone worker shares the gateway's keys). The
 * file is read again every `followMs` when it has changed: within seconds of a rotation or a
 * revocation the worker signs with the new active key, never the withdrawn one.
 */
export async function signerFromFile(path: string, followMs = 5000): Promise<RequestSigner> {
  const store = await createSigningKeyStore({ path });
  setInterval(() => void store.refresh().catch(() => undefined), followMs).unref();
  return signerFor(store);
}
