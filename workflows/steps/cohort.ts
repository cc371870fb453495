/**
 * Runs a `cohort` step: an applicant of a competitive call joins the cohort at a stage and waits for
 * the call's verdict (a signal from the call workflow). Once a day it asks the database again, so
 * a verdict is never lost and the wait survives continue-as-new.
 */
import { getExternalWorkflowHandle, proxyLocalActivities } from '@temporalio/workflow';
import type { CallActivities } from '../../activities/competitions.js';
import { callEntryChangedSignal, callWorkflowIdFor, type CallVerdict } from '../../domain/workflow-interfaces/competition-process.js';
import { isoAt, now } from '../clock.js';
import { conditionWithin } from '../timers.js';
import type { StepRunner } from './context.js';
import { DATABASE_RETRY } from '../activity-options.js';

const calls = proxyLocalActivities<CallActivities>({
  startToCloseTimeout: '60s',
  retry: DATABASE_RETRY,
});


const RECHECK_MS = 24 * 3600 * 1000;

/** The call an application stands in, from its facts (set at registration). */
export const callIdOf = (facts: Record<string, unknown>): string | undefined =>
  (facts.application as { callId?: string } | undefined)?.callId;

/** Wakes the call's workflow; a call that is gone has nothing to learn. */
export async function tellCall(callId: string): Promise<void> {
  try {
    await getExternalWorkflowHandle(callWorkflowIdFor(callId)).signal(callEntryChangedSignal);
  } catch {
    // The call has closed: nothing waits for this applicant any more.
  }
}

export const runCohort: StepRunner<'cohort'> = async (ctx, id, step) => {
  const { mailbox, state, definition } = ctx;
  const callId = callIdOf(state.facts);
  if (!callId) throw new Error(`step ${id}: the application stands in no call`);
  const ask = () => ctx.local(() => calls.joinCohort({
    applicationId: ctx.applicationId, stage: step.stage, facts: state.facts, at: isoAt(now()), interviews: Boolean(definition.call?.interview),
  }));
  let known = await ask();
  // After the interview the call is waiting for its invited applicants; before, it acts on its own dates.
  if (step.stage === 'final') await tellCall(callId);
  await ctx.db.recordEvent(ctx.event('cohort-joined', id, { stage: step.stage, verdict: known.verdict }));
  mailbox.awaitingStage = step.stage;
  let verdict: CallVerdict | undefined;
  try {
    while (known.verdict === 'wait') {
      if (await conditionWithin(() => mailbox.verdicts.has(step.stage), RECHECK_MS)) {
        verdict = mailbox.verdicts.get(step.stage)!;
        mailbox.verdicts.delete(step.stage);
        known = await ask();
        // The signal and the database agree except in a race; the database is the record.
        if (known.verdict === 'wait') known = { ...known, verdict: verdict.verdict, reason: verdict.reason };
      } else known = await ask();
    }
  } finally {
    mailbox.awaitingStage = undefined;
  }
  if (step.saveAs) state.facts[step.saveAs] = { stage: step.stage, verdict: known.verdict, reason: known.reason ?? null, ...(known.standing as object) };
  await ctx.db.recordEvent(ctx.event(known.verdict === 'advance' ? 'cohort-advanced' : 'cohort-refused', id, { stage: step.stage, reason: known.reason ?? null }));
  if (known.verdict === 'advance') return { next: step.next };
  if (step.otherwise) return { next: step.otherwise };
  return { end: { outcome: 'rejected', reason: known.reason ?? 'REFUSED_BY_CALL', stepId: id } };
};
