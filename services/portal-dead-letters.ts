/**
 * Notifications the national permits portal refused as malformed (dead letters,
 * activities/national-portal.ts): the national office lists them and, after a fix, sends one again.
 */
import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { inTransaction, type Database } from '../db/client.js';
import { outbox } from '../db/schema/index.js';
import { appendAudit } from '../domain/audit.js';
import { outboxChangedSignal, outboxWorkflowIdFor, TASK_QUEUE } from '../domain/workflow-interfaces/licence-process.js';
import type { ServiceContext } from './context.js';
import { notFound } from './errors.js';

const deadLetter = and(isNotNull(outbox.deadLetteredAt), isNull(outbox.deliveredAt));

/** Dead letters now: how many (the gauge). @example await deadLetterCount(db) // 1 */
export async function deadLetterCount(db: Database): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(outbox).where(deadLetter);
  return row?.n ?? 0;
}

/** The dead letters, oldest first, with how many of their licence's notifications wait behind each. No payload: it may name people. */
export async function listDeadLetters({ ctx }: { ctx: ServiceContext }) {
  const rows = await ctx.deps.db.select({
    id: outbox.id, subject: outbox.subject, sequence: outbox.sequence, event: outbox.event, createdAt: outbox.createdAt,
    attempts: outbox.attempts, lastError: outbox.lastError, deadLetteredAt: outbox.deadLetteredAt,
    waitingBehind: sql<number>`(select count(*)::int from outbox behind where behind.subject = outbox.subject and behind.delivered_at is null and behind.id <> outbox.id)`,
  }).from(outbox).where(deadLetter).orderBy(asc(outbox.deadLetteredAt), asc(outbox.id));
  return { items: rows.map((r) => ({ ...r, id: String(r.id), lastError: r.lastError ?? '', deadLetteredAt: r.deadLetteredAt! })) };
}

/** Sends a dead letter again (after a fix): it goes back to the queue, audited, and the delivery is woken. */
export async function retryDeadLetter({ ctx, id }: { ctx: ServiceContext; id: string }) {
  const missing = () => notFound({ fa: 'اعلان ردشده‌ای با این شناسه نیست', en: 'no dead-lettered notification with this id' }, `no dead letter ${id}`);
  if (!/^[1-9][0-9]{0,17}$/.test(id)) throw missing();
  // Requeued and audited together, or neither.
  const row = await inTransaction(ctx.deps.db, async (tx) => {
    const [requeued] = await tx.update(outbox).set({ deadLetteredAt: null, lastError: null })
      .where(and(eq(outbox.id, Number(id)), deadLetter)).returning({ id: outbox.id, subject: outbox.subject, sequence: outbox.sequence });
    if (!requeued) throw missing();
    await appendAudit(tx, {
      actor: ctx.actor.subject, action: 'portal-notification.retried', subjectType: 'portal-notification', subjectId: id,
      detail: { subject: requeued.subject, sequence: requeued.sequence },
    });
    return requeued;
  });
  try {
    await ctx.deps.temporal.workflow.getHandle(outboxWorkflowIdFor(ctx.deps.taskQueue ?? TASK_QUEUE)).signal(outboxChangedSignal);
  } catch {
    // Not running: its poll finds the row.
  }
  return { id, subject: row.subject, sequence: row.sequence, state: 'pending' as const };
}
