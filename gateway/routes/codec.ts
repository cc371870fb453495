/**
 * The Temporal codec server (platform/payload-codec.ts): Temporal's UI and CLI send the encrypted
 * payloads of a history here to read them (`temporal workflow show --codec-endpoint
 * <gateway>/v1/codec --codec-auth 'Bearer <token>'`). Only the national office may: what comes
 * back is personal data in clear. Every decode is audited (who, how many payloads, which namespace).
 *
 * CORS: `CODEC_CORS_ORIGIN` (the Temporal UI's origin, e.g. http://localhost:8233) is allowed on
 * these answers; the browser's preflight (OPTIONS) needs `codecPreflight` mounted before
 * authentication in gateway/app.ts.
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { Context, MiddlewareHandler } from 'hono';
import { appendAudit } from '../../domain/audit.js';
import type { ServiceDeps } from '../../services/context.js';
import { DomainError } from '../../services/errors.js';
import type { GatewayEnv } from '../context.js';
import { describeRoute } from '../openapi/route.js';
import { CodecRequest, CodecResponse } from '../schemas/codec.js';

type WirePayload = { metadata?: Record<string, string>; data?: string };

const example = { payloads: [{ metadata: { encoding: 'YmluYXJ5L2VuY3J5cHRlZA==', 'encryption-key-id': 'azIwMjYxMjAxLTNiZDBiZA==' }, data: 'q83vEjRWeJA=' }] };

function codecOf(deps: ServiceDeps): PayloadCodec[] {
  return deps.temporal.options.loadedDataConverter.payloadCodecs;
}

const toPayload = (p: WirePayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toWire = (p: Payload): WirePayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

/** The allowed origin, when the request comes from it. */
function corsHeaders(c: Context<GatewayEnv>): Record<string, string> {
  const allowed = process.env.CODEC_CORS_ORIGIN;
  const origin = c.req.header('origin');
  if (!allowed || origin !== allowed) return {};
  return { 'access-control-allow-origin': allowed, 'access-control-allow-credentials': 'true', vary: 'Origin' };
}

/** Answers the browser's preflight for `/v1/codec/*` from `CODEC_CORS_ORIGIN` (mount before authentication). */
export function codecPreflight(): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    if (c.req.method !== 'OPTIONS') return next();
    const headers = corsHeaders(c);
    if (!headers['access-control-allow-origin']) return c.body(null, 403);
    return c.body(null, 204, { ...headers, 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'authorization, content-type, x-namespace', 'access-control-max-age': '600' });
  };
}

async function run(direction: 'decode' | 'encode', c: Context<GatewayEnv>, deps: ServiceDeps, subject: string, body: { payloads: WirePayload[] }) {
  let payloads = body.payloads.map(toPayload);
  const codecs = codecOf(deps);
  try {
    if (direction === 'decode') for (const codec of [...codecs].reverse()) payloads = await codec.decode(payloads);
    else for (const codec of codecs) payloads = await codec.encode(payloads);
  } catch (error) {
    // The library's words stay in the log (the cause), never in the answer.
    const refused = new DomainError('invalid-input', 'payload-not-decodable', { fa: 'محموله قابل رمزگشایی نیست', en: 'a payload cannot be decoded' },
      'a payload is not one this gateway\'s keys encrypted, or it was altered', 'payloads');
    refused.cause = error;
    throw refused;
  }
  await appendAudit(deps.db, {
    actor: subject, action: `temporal-payloads.${direction}d`, subjectType: 'temporal-namespace', subjectId: c.req.header('x-namespace') ?? 'default',
    detail: { payloads: payloads.length },
  });
  return { status: 200 as const, body: { payloads: payloads.map(toWire) }, headers: corsHeaders(c) };
}

export const codecRoutes = (['decode', 'encode'] as const).map((direction) => describeRoute({
  method: 'post', path: `/v1/codec/${direction}`, operationId: `${direction}TemporalPayloads`, tags: ['operations'],
  summary: direction === 'decode' ? 'Decrypt Temporal payloads (codec server)' : 'Encrypt Temporal payloads (codec server)',
  summaryFa: direction === 'decode' ? 'رمزگشایی محموله‌های Temporal' : 'رمزنگاری محموله‌های Temporal',
  description: 'The codec server the Temporal UI and CLI call to read a history: payloads are encrypted with AES-256-GCM before they '
    + 'reach Temporal, those of 256 bytes or more compressed first (zlib, `binary/zlib`) when that makes them smaller; decoding undoes both. '
    + 'For the national office only; every call is audited. Payloads that are neither come back unchanged; one that inflates beyond 4 MiB is refused.',
  access: ['national-office'],
  idempotency: false,
  request: { body: { schema: CodecRequest, example: () => example, maxBytes: 8 * 1024 * 1024 } },
  responses: { 200: { description: 'The payloads, decoded (or encoded), in the same order.', schema: CodecResponse, example } },
}, async ({ c, ctx, body }) => run(direction, c, ctx.deps, ctx.actor.subject, body)));
