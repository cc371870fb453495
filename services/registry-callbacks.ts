/**
 * Late answers from asynchronous registries: recorded against their inquiry, then delivered to
 * the waiting workflow. A duplicate answer changes nothing; an unknown inquiry is refused.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { checkAnswer } from '../activities/registry-answers.js';
import { applications, inquiries } from '../db/schema/index.js';
import { registryAnswerSignal } from '../workflows/contract.js';
import { appendAudit } from './audit.js';
import type { ServiceDeps } from './context.js';
import { invalid, notFound } from './errors.js';

const Callback = z.object({
  inquiryId: z.string().min(1),
  registry: z.string(),
  answer: z.record(z.string(), z.unknown()),
  answeredAt: z.string(),
}).passthrough();

export type CallbackResult = { inquiryId: string; status: 'delivered' | 'duplicate' | 'late' };

/** Records and delivers a registry's answer; the signature was verified by the caller. */
export async function receiveRegistryAnswer({ deps, registry, body }: { deps: ServiceDeps; registry: string; body: unknown }): Promise<CallbackResult> {
  const parsed = Callback.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid('invalid-callback', issue.path.join('.'), { fa: 'پاسخ نامعتبر', en: 'invalid callback' }, issue.message);
  }
  const callback = parsed.data;
  if (callback.registry !== registry) throw invalid('registry-mismatch', 'registry', { fa: 'سامانه نادرست', en: 'registry mismatch' });
  const checked = checkAnswer(registry, callback.answer);
  if (!checked.ok) throw invalid('malformed-answer', 'answer', { fa: 'پاسخ با قالب سامانه نمی‌خواند', en: 'malformed answer' }, checked.error);
  const [inquiry] = await deps.db.select().from(inquiries).where(eq(inquiries.id, callback.inquiryId));
  if (!inquiry || inquiry.registry !== registry) throw notFound({ fa: 'استعلام یافت نشد', en: 'inquiry not found' });
  if (inquiry.status === 'answered' || inquiry.status === 'late-answered') return { inquiryId: inquiry.id, status: 'duplicate' };
  const late = inquiry.status === 'timed-out';
  // Conditional on the status read above, so of two concurrent deliveries only one wins.
  const updated = await deps.db.update(inquiries).set({
    status: late ? 'late-answered' : 'answered', late, answer: checked.answer, answeredAt: new Date(),
  }).where(and(eq(inquiries.id, inquiry.id), eq(inquiries.status, inquiry.status))).returning({ id: inquiries.id });
  if (updated.length === 0) return { inquiryId: inquiry.id, status: 'duplicate' };
  // The answer itself is about a person: the trail names the inquiry, not what the registry said.
  await appendAudit(deps.db, {
    actor: `registry:${registry}`, action: late ? 'inquiry.answered-late' : 'inquiry.answered', subjectType: 'inquiry', subjectId: inquiry.id,
    detail: { registry, applicationId: inquiry.applicationId },
  });
  const [app] = await deps.db.select({ workflowId: applications.workflowId, status: applications.status }).from(applications).where(eq(applications.id, inquiry.applicationId));
  if (app && app.status === 'running') {
    try {
      await deps.temporal.workflow.getHandle(app.workflowId).signal(registryAnswerSignal, {
        inquiryId: inquiry.id, registry, answer: checked.answer, answeredAt: callback.answeredAt,
      });
    } catch (error) {
      // The application ended meanwhile (another branch rejected it): the answer stays recorded.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
  return { inquiryId: inquiry.id, status: late ? 'late' : 'delivered' };
}
