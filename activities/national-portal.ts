/**
 * The national permits portal adapter: delivers queued notifications, each signed with our
 * response-signing key (detached JWS over the exact body, bound to method and path) so the portal
 * can verify them against our published JWKS. The portal acknowledges with a receipt and treats a
 * repeated notification id as the same notification, so a retry after a lost reply is harmless.
 */
import { Context } from '@temporalio/activity';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { inTransaction, type Database } from '../db/client.js';
import { appendAudit } from '../domain/audit.js';
import { outbox } from '../db/schema/index.js';
import { NOTIFICATION_TYP, PORTAL_AUDIENCE } from '../platform/jws.js';

/** Path of the portal's notification endpoint, also the `htu` the signature binds. */
export const PORTAL_NOTIFICATIONS_PATH = '/portal/v1/notifications';

/** Signs a request body: returns a compact detached JWS carrying `claims` in its protected header. */
export type RequestSigner = (body: Uint8Array, claims: Record<string, unknown>) => string;

export interface PortalConfig {
  /** Base URL of the portal (the sandbox's simulator in development and tests). */
  baseUrl: string;
  db: Database;
  sign: RequestSigner;
  /** Per-call timeout. */
  requestTimeoutMs?: number;
  /** Notifications read per activity run. */
  batchSize?: number;
  fetch?: typeof fetch;
}

/** What one delivery run did; `retryAfterMs` is the longest wait a portal asked for. */
export interface DeliveryRun {
  delivered: number;
  failed: number;
  pending: number;
  retryAfterMs?: number;
  /** Notifications the portal refused as malformed in this run, now dead letters (not retried, not counted as failures). */
  deadLettered?: number;
}

type Row = typeof outbox.$inferSelect;
type Attempt = { ok: true; receiptId: string } | { ok: false; error: string; retryAfterMs?: number; permanent?: boolean };

/**
 * A refusal the portal will repeat however often it is asked: a 4xx other than 408 (timeout), 409
 * (out of order: an earlier one is missing), 429 (slow down), and 401/403 (our signature or key is
 * not accepted: every notification would be refused alike, a fault of the link, not of this one).
 */
export const isPermanentRefusal = (status: number): boolean => status >= 400 && status < 500 && ![401, 403, 408, 409, 429].includes(status);

/** Not delivered, not a dead letter, and no earlier dead letter of its subject waits to be retried. */
export const sendable = sql`outbox.delivered_at is null and outbox.dead_lettered_at is null and not exists (
  select 1 from outbox held where held.subject = outbox.subject and held.dead_lettered_at is not null and held.delivered_at is null)`;

/** Builds the portal activities around their dependencies. */
export function createPortalActivities(config: PortalConfig) {
  const doFetch = config.fetch ?? fetch;
  const url = `${config.baseUrl.replace(/\/+$/, '')}${PORTAL_NOTIFICATIONS_PATH}`;

  async function send(row: Row): Promise<Attempt> {
    const notificationId = `parvaneh-${row.id}`;
    const body = new TextEncoder().encode(JSON.stringify({
      notificationId, subject: row.subject, sequence: row.sequence, event: row.event,
      occurredAt: row.createdAt.toISOString(), payload: row.payload,
    }));
    const signature = config.sign(body, { typ: NOTIFICATION_TYP, aud: PORTAL_AUDIENCE, htm: 'POST', htu: PORTAL_NOTIFICATIONS_PATH });
    let res: Response;
    try {
      res = await doFetch(url, {
        method: 'POST', body,
        headers: { 'content-type': 'application/json', 'idempotency-key': notificationId, 'x-jws-signature': signature },
        signal: AbortSignal.timeout(config.requestTimeoutMs ?? 10_000),
      });
    } catch (error) {
      return { ok: false, error: `portal unreachable: ${(error as Error).message}` };
    }
    const text = await res.text();
    const retryAfter = Number(res.headers.get('retry-after'));
    const retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
    if (!res.ok) return { ok: false, error: `HTTP ${res.status} ${problemType(text)}`.trim(), retryAfterMs, permanent: isPermanentRefusal(res.status) };
    try {
      const ack = JSON.parse(text) as { status?: unknown; receiptId?: unknown };
      if ((ack.status === 'accepted' || ack.status === 'duplicate') && typeof ack.receiptId === 'string') return { ok: true, receiptId: ack.receiptId };
    } catch { /* falls through: not an acknowledgement */ }
    return { ok: false, error: `malformed acknowledgement (${text.length} bytes)` };
  }

  /** Delivers one subject's notifications in sequence order, stopping at its first failure. */
  async function deliverSubject(rows: Row[], run: DeliveryRun): Promise<void> {
    for (const row of rows) {
      Context.current().heartbeat(row.id);
      const attempt = await send(row);
      if (attempt.ok) {
        await config.db.update(outbox).set({ deliveredAt: sql`now()`, receiptId: attempt.receiptId, attempts: sql`${outbox.attempts} + 1`, lastAttemptAt: sql`now()`, lastError: null })
          .where(eq(outbox.id, row.id));
        run.delivered += 1;
        continue;
      }
      if (attempt.permanent) {
        // A dead letter: operators see it (GET /v1/portal-notifications/dead-letters, the gauge) and
        // retry it after a fix; the delivery does not back off for it, so other licences flow on.
        await inTransaction(config.db, async (tx) => {
          await tx.update(outbox).set({ attempts: sql`${outbox.attempts} + 1`, lastAttemptAt: sql`now()`, lastError: attempt.error, deadLetteredAt: sql`now()` })
            .where(eq(outbox.id, row.id));
          await appendAudit(tx, {
            actor: 'system:outbox-delivery', action: 'portal-notification.dead-lettered', subjectType: 'portal-notification', subjectId: String(row.id),
            detail: { subject: row.subject, sequence: row.sequence, event: row.event, error: attempt.error },
          });
        });
        run.deadLettered = (run.deadLettered ?? 0) + 1;
        return;
      }
      await config.db.update(outbox).set({ attempts: sql`${outbox.attempts} + 1`, lastAttemptAt: sql`now()`, lastError: attempt.error })
        .where(eq(outbox.id, row.id));
      run.failed += 1;
      if (attempt.retryAfterMs) run.retryAfterMs = Math.max(run.retryAfterMs ?? 0, attempt.retryAfterMs);
      return;
    }
  }

  return {
    /**
     * Sends what the outbox owes the portal: subjects in parallel, each subject strictly in order.
     * Failures are recorded on the row and left for the workflow's next run.
     */
    async deliverPendingNotifications(): Promise<DeliveryRun> {
      const rows = await config.db.select().from(outbox).where(sendable)
        .orderBy(asc(outbox.subject), asc(outbox.sequence), asc(outbox.id)).limit(config.batchSize ?? 500);
      const bySubject = new Map<string, Row[]>();
      for (const row of rows) bySubject.set(row.subject, [...(bySubject.get(row.subject) ?? []), row]);
      const run: DeliveryRun = { delivered: 0, failed: 0, pending: 0 };
      const queue = [...bySubject.values()];
      const lanes = Array.from({ length: Math.min(8, queue.length) }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) await deliverSubject(next, run);
      });
      await Promise.all(lanes);
      // What is left to send: dead letters and what waits behind them are not (the workflow would spin on them).
      const [left] = await config.db.select({ n: sql<number>`count(*)::int` }).from(outbox).where(sendable);
      run.pending = left?.n ?? 0;
      return run;
    },

    /** Counts notifications not yet acknowledged (for readiness and metrics). */
    async countUndelivered(subject?: string): Promise<number> {
      const [row] = await config.db.select({ n: sql<number>`count(*)::int` }).from(outbox)
        .where(subject ? and(isNull(outbox.deliveredAt), eq(outbox.subject, subject)) : isNull(outbox.deliveredAt));
      return row?.n ?? 0;
    },
  };
}

/** The `type` of a problem+json body, for the error recorded on the row. */
function problemType(text: string): string {
  try {
    const type = (JSON.parse(text) as { type?: unknown }).type;
    return typeof type === 'string' ? type : '';
  } catch {
    return '';
  }
}

export type PortalActivities = ReturnType<typeof createPortalActivities>;
