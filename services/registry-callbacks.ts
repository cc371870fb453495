/**
 * Late answers from asynchronous registries: recorded against their inquiry, then delivered to
 * the waiting workflow. A duplicate answer changes nothing; an unknown inquiry is refused. A
 * replayed callback (its signature's `jti` taken before) is answered from the record and never
 * signals the workflow, so a captured callback sent in a loop cannot grow its history.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { and, eq, inArray, lt } from 'drizzle-orm';
import { z } from 'zod';
import { inTransaction } from '../db/client.js';
import { checkAnswer } from '../domain/registries/index.js';
import { applications, inquiries, registryCallbackIds } from '../db/schema/index.js';
import { registryAnswerSignal } from '../domain/workflow-interfaces/licence-process.js';
import { appendAudit } from '../domain/audit.js';
import { linkToTrace } from '../platform/tracing.js';
import type { ServiceDeps } from './context.js';
import { conflict, firstIssueProblem, invalid, notFound } from './errors.js';

const Callback = z.object({
  inquiryId: z.string().min(1),
  registry: z.string(),
  answer: z.record(z.string(), z.unknown()),
  answeredAt: z.string(),
}).passthrough();

export type CallbackResult = { inquiryId: string; status: 'delivered' | 'duplicate' | 'late' };

/** A callback's verified signature: its unique id, and how long that id must be remembered. */
export interface SignedCallback { jti: string; keepUntil: Date }

type Callback = z.infer<typeof Callback>;
type CheckedAnswer = Extract<ReturnType<typeof checkAnswer>, { ok: true }>['answer'];

/** Records and delivers a registry's answer; the signature was verified by the caller. */
export async function receiveRegistryAnswer({ deps, registry, body, signed }: { deps: ServiceDeps; registry: string; body: unknown; signed: SignedCallback }): Promise<CallbackResult> {
  const parsed = Callback.safeParse(body);
  if (!parsed.success) throw firstIssueProblem(parsed.error, body, { as: { code: 'invalid-callback', title: { fa: 'پاسخ نامعتبر', en: 'invalid callback' } } });
  const callback = parsed.data;
  if (callback.registry !== registry) throw invalid('registry-mismatch', 'registry', { fa: 'سامانه نادرست', en: 'registry mismatch' });
  const checked = checkAnswer(registry, callback.answer);
  if (!checked.ok) throw invalid('malformed-answer', 'answer', { fa: 'پاسخ با قالب سامانه نمی‌خواند', en: 'malformed answer' }, checked.error);
  // The id is claimed first, so of two copies arriving together only one goes on.
  await deps.db.delete(registryCallbackIds).where(lt(registryCallbackIds.expiresAt, new Date()));
  const claimed = await deps.db.insert(registryCallbackIds).values({ registry, jti: signed.jti, inquiryId: callback.inquiryId, expiresAt: signed.keepUntil })
    .onConflictDoNothing().returning({ jti: registryCallbackIds.jti });
  if (claimed.length === 0) return answerFromRecord(deps, registry, callback.inquiryId);
  try {
    return await recordAndDeliver(deps, registry, callback, checked.answer);
  } catch (error) {
    // Not taken: the registry's retry of this very callback must be able to go through.
    await deps.db.delete(registryCallbackIds).where(and(eq(registryCallbackIds.registry, registry), eq(registryCallbackIds.jti, signed.jti)));
    throw error;
  }
}

/** A replay: what the record says, nothing written, the workflow not signalled. */
async function answerFromRecord(deps: ServiceDeps, registry: string, inquiryId: string): Promise<CallbackResult> {
  const [inquiry] = await deps.db.select({ id: inquiries.id, registry: inquiries.registry, status: inquiries.status }).from(inquiries).where(eq(inquiries.id, inquiryId));
  if (!inquiry || inquiry.registry !== registry) throw notFound({ fa: 'استعلام یافت نشد', en: 'inquiry not found' });
  if (inquiry.status === 'answered' || inquiry.status === 'late-answered') return { inquiryId: inquiry.id, status: 'duplicate' };
  throw conflict('inquiry-busy', { fa: 'استعلام در حال تغییر است', en: 'the inquiry is changing; retry' }, 'this callback is being taken already');
}

async function recordAndDeliver(deps: ServiceDeps, registry: string, callback: Callback, answer: CheckedAnswer): Promise<CallbackResult> {
  // The inquiry's status can move under us (the sending activity marks it accepted, the
  // deadline marks it timed out), so the update is conditional and re-read once if it lost.
  let outcome: CallbackResult['status'] | undefined;
  let inquiry: typeof inquiries.$inferSelect | undefined;
  for (let attempt = 0; attempt < 3 && !outcome; attempt += 1) {
    [inquiry] = await deps.db.select().from(inquiries).where(eq(inquiries.id, callback.inquiryId));
    if (!inquiry || inquiry.registry !== registry) throw notFound({ fa: 'استعلام یافت نشد', en: 'inquiry not found' });
    if (attempt === 0) linkToTrace(inquiry.traceParent);
    if (inquiry.status === 'answered' || inquiry.status === 'late-answered') {
      outcome = 'duplicate';
      break;
    }
    const late = inquiry.status === 'timed-out';
    // The answer and its audit entry together: a retry after a crash between them would find the
    // answer recorded (a duplicate) and never audit it.
    const answered = await inTransaction(deps.db, async (tx) => {
      const updated = await tx.update(inquiries).set({
        status: late ? 'late-answered' : 'answered', late, answer, answeredAt: new Date(),
      }).where(and(eq(inquiries.id, inquiry!.id), inArray(inquiries.status, late ? ['timed-out'] : ['sent', 'accepted'])))
        .returning({ id: inquiries.id });
      if (updated.length === 0) return false;
      // The answer itself is about a person: the trail names the inquiry, not what the registry said.
      await appendAudit(tx, {
        actor: `registry:${registry}`, action: late ? 'inquiry.answered-late' : 'inquiry.answered', subjectType: 'inquiry', subjectId: inquiry!.id,
        detail: { registry, applicationId: inquiry!.applicationId },
      });
      return true;
    });
    if (!answered) continue;
    outcome = late ? 'late' : 'delivered';
  }
  if (!outcome || !inquiry) throw conflict('inquiry-busy', { fa: 'استعلام در حال تغییر است', en: 'the inquiry is changing; retry' });
  // Delivery to the workflow is repeated for a duplicate too: if an earlier delivery recorded the
  // answer but failed to signal, the registry's retry completes it; the workflow ignores repeats.
  const [app] = await deps.db.select({ workflowId: applications.workflowId, status: applications.status }).from(applications).where(eq(applications.id, inquiry.applicationId));
  if (app && app.status === 'running') {
    try {
      await deps.temporal.workflow.getHandle(app.workflowId).signal(registryAnswerSignal, {
        inquiryId: inquiry.id, registry, answer, answeredAt: callback.answeredAt,
      });
    } catch (error) {
      // The application ended meanwhile (another branch rejected it): the answer stays recorded.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
  return { inquiryId: inquiry.id, status: outcome };
}
