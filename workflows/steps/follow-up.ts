/**
 * A task that follows an inquiry up: the step an `inquire` with `lateAnswer: apply` times out into
 * (`late`), e.g. "follow up the late security clearance". Once the late answer is applied the
 * task has nothing left to decide: it ends by itself (`resolved`, "answered meanwhile") and the
 * branch goes on to the inquiry's `next`, as if the answer had come in time.
 */
import { patched } from '@temporalio/workflow';
import type { StepContext, Transition } from './context.js';

/** Histories recorded before a follow-up ended by itself kept the task open: they replay so. */
const ENDS_WHEN_ANSWERED = 'follow-up-task-ends-when-answered';

/** Why a task was resolved: a late answer to the inquiry it followed up was applied. */
export const ANSWERED_MEANWHILE = 'answered-meanwhile';

/** An applied late answer to an inquiry the task follows up. */
export interface AnsweredMeanwhile {
  inquiryStepId: string;
  inquiryId: string;
  next?: string;
}

/**
 * What a task at `stepId` follows up, as a probe for its wait: the applied late answer, once there
 * is one. Always undefined for a task that follows no inquiry up (or replays an older history).
 */
export function followUpOf(ctx: StepContext, stepId: string): () => AnsweredMeanwhile | undefined {
  const inquiries = Object.entries(ctx.definition.steps).flatMap(([inquiryStepId, step]) =>
    (step.type === 'inquire' && step.late === stepId && step.lateAnswer === 'apply' ? [{ inquiryStepId, next: step.next }] : []));
  if (inquiries.length === 0 || !patched(ENDS_WHEN_ANSWERED)) return () => undefined;
  return () => {
    for (const { inquiryStepId, next } of inquiries) {
      const inquiryId = ctx.mailbox.lateApplied.get(inquiryStepId);
      if (inquiryId) return { inquiryStepId, inquiryId, next };
    }
    return undefined;
  };
}

/** Ends the task answered meanwhile (its row closed, audited, on the timeline) and leads on to the inquiry's `next`. */
export async function resolveFollowUp(ctx: StepContext, stepId: string, taskId: string, answered: AnsweredMeanwhile): Promise<Transition> {
  ctx.mailbox.lateApplied.delete(answered.inquiryStepId);
  await ctx.db.resolveTask(
    { taskId, because: ANSWERED_MEANWHILE },
    ctx.event('task-resolved', stepId, { taskId, because: ANSWERED_MEANWHILE, inquiryId: answered.inquiryId, inquiryStepId: answered.inquiryStepId }),
  );
  return { next: answered.next };
}
