/**
 * The national permits portal adapter: delivers queued notifications, each signed with our
 * response-signing key (detached JWS over the exact body, bound to method and path) so the portal
 * can verify them against our published JWKS. The portal acknowledges with a receipt and treats a
 * repeated notification id as the same notification, so a retry after a lost reply is harmless.
 */
import { Context } from '@temporalio/activity';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
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
}

type Row = typeof outbox.$inferSelect;
type Attempt = { ok: true; receiptId: string } | { ok: false; error: string; retryAfterMs?: number };

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
    if (!res.ok) return { ok: false, error: `HTTP ${res.status} ${problemType(text)}`.trim(), retryAfterMs };
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
      const rows = await config.db.select().from(outbox).where(isNull(outbox.deliveredAt))
        .orderBy(asc(outbox.subject), asc(outbox.sequence), asc(outbox.id)).limit(config.batchSize ?? 500);
      const bySubject = new Map<string, Row[]>();
      for (const row of rows) bySubject.set(row.subject, [...(bySubject.get(row.subject) ?? []), row]);
      const run: DeliveryRun = { delivered: 0, failed: 0, pending: 0 };
      const queue = [...bySubject.values()];
      const lanes = Array.from({ length: Math.min(8, queue.length) }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) await deliverSubject(next, run);
      });
      await Promise.all(lanes);
      const [left] = await config.db.select({ n: sql<number>`count(*)::int` }).from(outbox).where(isNull(outbox.deliveredAt));
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
