/**
 * Runs an `inquire`: asks the registry (retried until the inquiry's deadline), takes an answer
 * given at once or signalled before the deadline, and otherwise goes to `late`, keeping
 * the inquiry open for a late answer.
 */
import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { InquiryActivities } from '../../activities/inquiries.js';
import { resolveDeadline } from '../../dsl/calendar.js';
import { factsAt } from '../../dsl/facts.js';
import type { RegistryAnswer } from '../../domain/workflow-interfaces/licence-process.js';
import { isoAt, now } from '../clock.js';
import { conditionWithin } from '../timers.js';
import type { StepContext, StepRunner } from './context.js';
import { nationalCodeOf } from './evaluation.js';

export const runInquire: StepRunner<'inquire'> = async (ctx, id, step) => {
  const { mailbox } = ctx;
  const inquiryId = ctx.entryKey(id);
  // Asked again: an earlier inquiry's late answer no longer stands for this one.
  mailbox.lateApplied.delete(id);
  const deadline = resolveDeadline(step.timeout!, now(), ctx.calendar);
  const nationalCode = nationalCodeOf(factsAt(ctx.state.facts, now(), ctx.reckoning), id, 'subject', step.subject);
  // The product's policy for every registry: retried with backoff until the inquiry's own deadline
  // (no attempt limit, bounded by scheduleToClose). Definitions pinned with the first spelling's
  // `retry` knobs run with it too.
  const registries = proxyActivities<InquiryActivities>({
    startToCloseTimeout: '30s',
    scheduleToCloseTimeout: Math.max(1000, deadline - now()),
    retry: {
      backoffCoefficient: 2,
      initialInterval: 5000,
      maximumInterval: 3600 * 1000,
      nonRetryableErrorTypes: ['InquiryRefused'],
    },
  });
  mailbox.pendingInquiries.set(inquiryId, { inquiryId, stepId: id, registry: step.registry, deadlineAt: isoAt(deadline) });
  try {
    let answer: Record<string, unknown> | undefined;
    mailbox.settled.add(id);
    try {
      const outcome = await registries.sendInquiry({
        inquiryId, applicationId: ctx.applicationId, stepId: id, registry: step.registry,
        nationalCode, purpose: step.purpose, deadlineAt: isoAt(deadline),
        requestedBy: `${ctx.definition.id}@v${ctx.definition.version}#${id}`,
      });
      if (outcome.status === 'answered') {
        answer = outcome.answer;
        mailbox.consumed.add(inquiryId);
      }
      else if (await conditionWithin(() => mailbox.answers.has(inquiryId), deadline - now())) {
        answer = mailbox.answers.get(inquiryId)!.answer;
        mailbox.answers.delete(inquiryId);
        mailbox.consumed.add(inquiryId);
      }
    } catch (error) {
      mailbox.settled.delete(id);
      if (!(error instanceof ActivityFailure)) throw error;
      await ctx.db.recordEvent(ctx.event('inquiry-failed', id, { inquiryId, registry: step.registry, error: error.cause?.message ?? error.message }));
    }
    mailbox.settled.delete(id);
    if (answer) {
      ctx.state.facts[step.saveAs] = answer;
      await ctx.db.recordEvent(ctx.event('inquiry-answered', id, { inquiryId, registry: step.registry }));
      return { next: step.next };
    }
    mailbox.late.set(inquiryId, { inquiryId, stepId: id, saveAs: step.saveAs, policy: step.lateAnswer });
    await ctx.db.markInquiryTimedOut(inquiryId, ctx.event('inquiry-timed-out', id, { inquiryId, registry: step.registry, lateAnswer: step.lateAnswer }));
    return { next: step.late };
  } finally {
    mailbox.settled.delete(id);
    mailbox.pendingInquiries.delete(inquiryId);
  }
};

/** Handles an answer that arrived after its inquiry's deadline, by the step's `lateAnswer` policy. */
export async function handleLateAnswer(ctx: StepContext, answer: RegistryAnswer): Promise<void> {
  const late = ctx.mailbox.late.get(answer.inquiryId);
  if (!late) return;
  ctx.mailbox.late.delete(answer.inquiryId);
  if (late.policy === 'apply') ctx.state.facts[late.saveAs] = answer.answer;
  await ctx.db.recordEvent(ctx.event(late.policy === 'apply' ? 'late-answer-applied' : 'late-answer-recorded', late.stepId, { inquiryId: answer.inquiryId }));
  // A task following the inquiry up has nothing left to decide (follow-up.ts).
  if (late.policy === 'apply') ctx.mailbox.lateApplied.set(late.stepId, answer.inquiryId);
}
