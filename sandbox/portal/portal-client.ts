/**
 * Test and demo helpers for the portal simulator: a throwaway ES256 signer
 * standing in for Parvaneh's key, and a client that posts signed notifications.
 */
import { CompactSign, exportJWK, generateKeyPair, type CryptoKey, type JSONWebKeySet } from 'jose';
import type { RawResponse } from '../sandbox-client.js';
import { NOTIFICATIONS_PATH } from './routes.js';
import { NOTIFICATION_TYP, PORTAL_AUDIENCE, PORTAL_SIGNATURE_HEADER } from './signature.js';

/** A signing key with its kid and the public JWKS to give the sandbox. */
export interface NotificationSigner {
  kid: string;
  jwks: JSONWebKeySet;
  /** Detached JWS over `body`; `header` overrides or adds protected header fields (kid, iat, htm, htu...). */
  sign(body: Uint8Array | string, header?: Record<string, unknown>): Promise<string>;
}

/** Generates a fresh ES256 signer named `kid`. */
export async function createNotificationSigner(kid: string): Promise<NotificationSigner> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] };
  return { kid, jwks, sign: (body, header) => signWith(privateKey, kid, body, header) };
}

async function signWith(key: CryptoKey, kid: string, body: Uint8Array | string, header: Record<string, unknown> = {}): Promise<string> {
  const payload = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const protectedHeader = { alg: 'ES256', kid, typ: NOTIFICATION_TYP, aud: PORTAL_AUDIENCE, iat: Math.floor(Date.now() / 1000), htm: 'POST', htu: NOTIFICATIONS_PATH, ...header };
  const jws = await new CompactSign(payload).setProtectedHeader(protectedHeader).sign(key);
  const [head, , signature] = jws.split('.');
  return `${head}..${signature}`;
}

/** A well-formed notification; `overrides` replace fields. */
export function notification(subject: string, sequence: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    notificationId: `${subject}-${sequence}`,
    subject,
    sequence,
    event: 'principle-agreement-issued',
    occurredAt: new Date().toISOString(),
    payload: { licenceType: 'welfare-services-centre' },
    ...overrides,
  };
}

/**
 * What to send: a body (an object is JSON-encoded) and optional header
 * changes (null removes one). The Idempotency-Key defaults to the body's notificationId.
 */
export interface NotificationPost {
  body: Record<string, unknown> | string;
  /** The signature header; by default `signer` signs the exact body. */
  signature?: string | null;
  headers?: Record<string, string | null>;
}

/** The JSON object in `text`, or `{}` when it is not one (deliberately broken bodies). */
function parsedOrEmpty(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Posts a notification to the portal simulator at `baseUrl`, signed by `signer` unless told otherwise. */
export async function postNotification(baseUrl: string, signer: NotificationSigner, post: NotificationPost): Promise<RawResponse> {
  const text = typeof post.body === 'string' ? post.body : JSON.stringify(post.body);
  const id = (typeof post.body === 'string' ? parsedOrEmpty(post.body) : post.body).notificationId;
  const headers: Record<string, string | null> = {
    'content-type': 'application/json',
    'idempotency-key': typeof id === 'string' ? id : null,
    [PORTAL_SIGNATURE_HEADER]: post.signature === undefined ? await signer.sign(text) : post.signature,
    ...post.headers,
  };
  const sent = Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== null));
  const res = await fetch(`${baseUrl}${NOTIFICATIONS_PATH}`, { method: 'POST', headers: sent, body: text });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text(), headers: res.headers };
}
