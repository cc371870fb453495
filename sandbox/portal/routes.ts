/**
 * HTTP face of the national permits portal simulator:
 * `POST /portal/v1/notifications`. Faults first (as set for
 * `national-portal`), then the signature, the body, and the ledger's verdict.
 */
import { Hono, type Context } from 'hono';
import { problem, sendProblem } from '../problem.js';
import type { SandboxState } from '../state.js';
import type { SubmitOutcome } from './ledger.js';
import { parseNotification, subjectOf } from './notification.js';
import { PORTAL_SIGNATURE_HEADER } from './signature.js';

/** Path of the notification endpoint; also the `htu` a signature must carry. */
export const NOTIFICATIONS_PATH = '/portal/v1/notifications';
/** Name of the portal in the fault controls. */
export const PORTAL_FAULT_TARGET = 'national-portal';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends a 200 acknowledgement, cut in half when the portal is set to answer malformed JSON. */
function acknowledge(c: Context, outcome: { kind: 'accepted' | 'duplicate'; receiptId: string }, malformed: boolean): Response {
  const text = JSON.stringify({ status: outcome.kind, receiptId: outcome.receiptId });
  return c.body(malformed ? text.slice(0, Math.floor(text.length / 2)) : text, 200, { 'content-type': 'application/json' });
}

/** The 409 problem for a sequence the portal cannot take. */
function sequenceProblem(outcome: Extract<SubmitOutcome, { expectedSequence: number }>, sequence: number) {
  const { expectedSequence } = outcome;
  return outcome.kind === 'out-of-order'
    ? problem(409, 'out-of-order', 'Notification out of order', `sequence ${sequence} arrived before ${expectedSequence}.`, { expectedSequence })
    : problem(409, 'sequence-conflict', 'Sequence already used', `sequence ${sequence} was already accepted for this subject under another notificationId.`, { expectedSequence });
}

/** Routes of the portal simulator, bound to `state`. */
export function portalRoutes(state: SandboxState): Hono {
  const app = new Hono();
  const ledger = state.portalNotifications;

  app.post(NOTIFICATIONS_PATH, async (c) => {
    const body = new Uint8Array(await c.req.arrayBuffer());
    const latency = state.faults.latencyMs(PORTAL_FAULT_TARGET);
    if (latency > 0) await sleep(latency);
    const verdict = state.faults.verdict(PORTAL_FAULT_TARGET, state.clock.now());
    if (verdict.kind !== 'pass') {
      ledger.refuse('unavailable', subjectOf(body));
      return verdict.kind === 'outage'
        ? sendProblem(c, problem(503, 'portal-outage', 'Portal unavailable', 'The national permits portal is in a scheduled outage.'),
          { 'retry-after': String(verdict.retryAfterS) })
        : sendProblem(c, problem(503, 'portal-error', 'Portal unavailable', 'The national permits portal failed to answer; try again.'));
    }

    const signature = await state.verifyPortalSignature({
      signature: c.req.header(PORTAL_SIGNATURE_HEADER), body, method: c.req.method, path: c.req.path,
    });
    if (!signature.ok) {
      ledger.refuse('invalidSignature', subjectOf(body));
      return sendProblem(c, problem(401, 'invalid-signature', 'Invalid signature', signature.detail));
    }

    const parsed = parseNotification({ contentType: c.req.header('content-type'), idempotencyKey: c.req.header('idempotency-key'), body });
    if (!parsed.ok) {
      ledger.refuse('malformed', subjectOf(body));
      return sendProblem(c, problem(400, 'invalid-body', 'Invalid notification', parsed.detail));
    }
    const notification = parsed.notification;
    if (ledger.refusing.has(notification.notificationId)) {
      ledger.refuse('malformed', notification.subject);
      return sendProblem(c, problem(400, 'invalid-body', 'Invalid notification', 'refused by the control API (a test of malformed notifications).'));
    }
    const outcome = ledger.submit(notification, state.clock.now());
    state.log(`portal notification ${notification.notificationId} ${notification.subject}#${notification.sequence}: ${outcome.kind}`);
    if ('receiptId' in outcome) return acknowledge(c, outcome, verdict.malformed);
    return sendProblem(c, sequenceProblem(outcome, notification.sequence));
  });

  return app;
}
