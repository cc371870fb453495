/**
 * HTTP face of the simulated registries:
 * `POST /registries/{registry}/inquiries`, and the callback keys: each async
 * registry's at `GET /registries/{registry}/jwks.json`, all of them by
 * registry at `GET /registries/jwks.json` (the gateway's REGISTRY_JWKS).
 */
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { parseInquiry } from './inquiry-schema.js';
import type { InquiryRecord } from './inquiries.js';
import { personFor } from './persons.js';
import { problem, sendProblem } from './problem.js';
import { REGISTRIES, isRegistryName } from './simulated-registries.js';
import type { SandboxState } from './state.js';
import { traceHeaders } from '../platform/tracing.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends a recorded response, cut in half when the registry is set to answer malformed JSON. */
function sendRecorded(c: Context, r: InquiryRecord, malformed: boolean): Response {
  const text = JSON.stringify(r.response.body);
  const body = malformed ? text.slice(0, Math.max(1, Math.floor(text.length / 2))) : text;
  const status = (malformed ? 200 : r.response.status) as ContentfulStatusCode;
  return c.body(body, status, { 'content-type': 'application/json' });
}

/** Routes of the simulated registries, bound to `state`. */
export function registryRoutes(state: SandboxState): Hono {
  const app = new Hono();

  app.get('/registries/jwks.json', (c) => c.json(state.registryJwks()));
  app.get('/registries/:registry/jwks.json', (c) => {
    const jwks = state.registryJwks()[c.req.param('registry')];
    return jwks ? c.json(jwks) : sendProblem(c, problem(404, 'unknown-registry', 'Unknown registry', `No registry named "${c.req.param('registry')}" sends callbacks.`));
  });

  app.post('/registries/:registry/inquiries', async (c) => {
    const registry = c.req.param('registry');
    if (!isRegistryName(registry)) {
      return sendProblem(c, problem(404, 'unknown-registry', 'Unknown registry', `No registry named "${registry}".`));
    }
    const latency = state.faults.latencyMs(registry);
    if (latency > 0) await sleep(latency);
    const verdict = state.faults.verdict(registry, state.clock.now());
    if (verdict.kind === 'outage') {
      return sendProblem(c, problem(503, 'registry-outage', 'Registry unavailable', `${registry} is in a scheduled outage.`),
        { 'retry-after': String(verdict.retryAfterS) });
    }
    if (verdict.kind === 'error') {
      return sendProblem(c, problem(503, 'registry-error', 'Registry unavailable', `${registry} failed to answer; try again.`));
    }

    const idempotencyKey = c.req.header('idempotency-key');
    if (!idempotencyKey) {
      return sendProblem(c, problem(400, 'missing-idempotency-key', 'Missing Idempotency-Key', 'The Idempotency-Key header is required and must equal inquiryId.'));
    }
    let json: unknown;
    try {
      json = await c.req.json();
    } catch {
      return sendProblem(c, problem(400, 'invalid-body', 'Invalid inquiry', 'The body is not valid JSON.'));
    }
    const parsed = parseInquiry(registry, json);
    if (!parsed.ok) return sendProblem(c, problem(400, 'invalid-body', 'Invalid inquiry', parsed.detail));
    const inquiry = parsed.inquiry;
    if (idempotencyKey !== inquiry.inquiryId) {
      return sendProblem(c, problem(400, 'idempotency-key-mismatch', 'Idempotency-Key mismatch', 'The Idempotency-Key header must equal inquiryId.'));
    }

    const existing = state.inquiries.get(registry, inquiry.inquiryId);
    if (existing) {
      if (existing.fingerprint !== inquiry.fingerprint) {
        return sendProblem(c, problem(422, 'idempotency-key-reused', 'Inquiry id reused', `inquiryId ${inquiry.inquiryId} was already used with a different body.`));
      }
      existing.attempts += 1;
      return sendRecorded(c, existing, verdict.malformed);
    }

    const now = state.clock.now();
    const behaviour = REGISTRIES[registry];
    const nationalCode = inquiry.subject.nationalCode ?? null;
    const person = nationalCode ? personFor(nationalCode, now) : undefined;
    const answer = behaviour.answer({ subject: inquiry.subject, person, nowMs: now });
    const isAsync = behaviour.mode === 'async';
    const trace = isAsync ? traceHeaders() : {};
    const dueAt = isAsync ? now + (behaviour.delayMs?.(person, state.asyncDelayMs) ?? state.asyncDelayMs) : now;
    const record: InquiryRecord = {
      inquiryId: inquiry.inquiryId,
      registry,
      mode: behaviour.mode,
      nationalCode,
      fingerprint: inquiry.fingerprint,
      receivedAt: now,
      attempts: 1,
      response: isAsync
        ? { status: 202, body: { inquiryId: inquiry.inquiryId, status: 'accepted', expectedAt: new Date(dueAt).toISOString() } }
        : { status: 200, body: { inquiryId: inquiry.inquiryId, status: 'answered', answer } },
      answer,
      dueAt,
      ...(isAsync ? {} : { answeredAt: now }),
      delivered: !isAsync,
      deliveries: 0,
      ...(Object.keys(trace).length > 0 ? { trace } : {}),
    };
    state.inquiries.add(record);
    state.log(`inquiry ${registry}/${inquiry.inquiryId} subject=${nationalCode ?? 'mobile'}`);
    if (isAsync && dueAt <= now) state.releaseDueAnswers();
    return sendRecorded(c, record, verdict.malformed);
  });

  return app;
}
