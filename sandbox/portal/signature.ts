/**
 * Checks the `x-jws-signature` of a portal notification: a compact ES256 JWS
 * with a detached payload (`header..signature`, RFC 7515 appendix F) over the
 * exact body bytes, whose protected header binds `kid`, `iat`, `htm` and
 * `htu`, and says it is a notification to this portal (`typ`, `aud`): the same
 * key signs Parvaneh's API responses, whose `typ` differs, so a response is
 * never taken for a notification. Keys come from Parvaneh's JWKS: a static
 * set, a URL, or both.
 */
import {
  compactVerify, createLocalJWKSet, createRemoteJWKSet, errors,
  type CompactJWSHeaderParameters, type JSONWebKeySet, type JWTVerifyGetKey,
} from 'jose';

/** Request header carrying the detached JWS. */
export const PORTAL_SIGNATURE_HEADER = 'x-jws-signature';
/** The `typ` of a notification's signature (a response's is `parvaneh-response+jws`). */
export const NOTIFICATION_TYP = 'parvaneh-notification+jws';
/** The audience a notification's signature names: this portal. */
export const PORTAL_AUDIENCE = 'national-portal';
/** Largest accepted distance between `iat` and the real clock, in seconds. */
export const MAX_IAT_SKEW_S = 300;
/** Shortest real time between two JWKS refetches triggered by an unknown kid. */
const JWKS_COOLDOWN_MS = 1_000;

/** Where the portal finds Parvaneh's public keys. */
export interface ParvanehKeys {
  /** Fetched with jose's remote key set: cached, refetched when a kid is unknown. */
  jwksUrl?: string;
  /** A fixed key set, tried before the URL. */
  jwks?: JSONWebKeySet;
}

/** The request a signature must match. */
export interface SignedRequest {
  signature: string | undefined;
  body: Uint8Array;
  method: string;
  path: string;
}

/** Verdict on a signature: the signing kid, or why it is refused. */
export type SignatureCheck = { ok: true; kid: string } | { ok: false; detail: string };

/** A function checking request signatures against Parvaneh's keys. */
export type SignatureVerifier = (req: SignedRequest) => Promise<SignatureCheck>;

/** The key lookup: the static set first, then the remote one. */
function keyLookup(keys: ParvanehKeys): JWTVerifyGetKey | undefined {
  const local = keys.jwks ? createLocalJWKSet(keys.jwks) : undefined;
  const remote = keys.jwksUrl ? createRemoteJWKSet(new URL(keys.jwksUrl), { cooldownDuration: JWKS_COOLDOWN_MS }) : undefined;
  if (!local || !remote) return local ?? remote;
  return async (header, token) => {
    try {
      return await local(header, token);
    } catch (err) {
      if (err instanceof errors.JWKSNoMatchingKey) return remote(header, token);
      throw err;
    }
  };
}

/** Why jose refused, in words for the problem detail. */
function reasonOf(err: unknown): string {
  if (err instanceof errors.JWKSNoMatchingKey) return 'kid is not in Parvaneh\'s JWKS';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'signature does not match the body';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'alg must be ES256';
  return err instanceof Error ? err.message : String(err);
}

/** Builds the verifier; with no keys configured every signature is refused. */
export function createSignatureVerifier(keys: ParvanehKeys): SignatureVerifier {
  const lookup = keyLookup(keys);
  return async ({ signature, body, method, path }) => {
    if (!signature) return { ok: false, detail: `${PORTAL_SIGNATURE_HEADER} header is missing` };
    const parts = signature.split('.');
    if (parts.length !== 3 || parts[1] !== '' || !parts[0] || !parts[2]) {
      return { ok: false, detail: `${PORTAL_SIGNATURE_HEADER} must be a detached compact JWS: <protected>..<signature>` };
    }
    if (!lookup) return { ok: false, detail: 'the sandbox has no Parvaneh JWKS (set parvanehJwksUrl or parvanehJwks)' };
    const attached = `${parts[0]}.${Buffer.from(body).toString('base64url')}.${parts[2]}`;
    let header: CompactJWSHeaderParameters;
    try {
      const kid = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')).kid as unknown;
      if (typeof kid !== 'string' || !kid) return { ok: false, detail: 'protected header has no kid' };
      header = (await compactVerify(attached, lookup, { algorithms: ['ES256'] })).protectedHeader;
    } catch (err) {
      return { ok: false, detail: reasonOf(err) };
    }
    if (header.typ !== NOTIFICATION_TYP) return { ok: false, detail: `typ must be "${NOTIFICATION_TYP}" (a signature of another kind of message is not a notification)` };
    if (header.aud !== PORTAL_AUDIENCE) return { ok: false, detail: `aud must be "${PORTAL_AUDIENCE}"` };
    if (header.htm !== method) return { ok: false, detail: `htm must be "${method}"` };
    if (header.htu !== path) return { ok: false, detail: `htu must be "${path}"` };
    if (typeof header.iat !== 'number' || Math.abs(Date.now() / 1000 - header.iat) > MAX_IAT_SKEW_S) {
      return { ok: false, detail: `iat must be within ${MAX_IAT_SKEW_S} s of the current time (seconds since the epoch)` };
    }
    return { ok: true, kid: header.kid as string };
  };
}
