/**
 * A competitive call's cohort, one workflow per call: it closes registration and the documents
 * deadline, waits for the exam results, ranks by the published rule, invites to interview,
 * ranks finally, moves reserves up when a place is given up, and closes. The cohort's state is in
 * PostgreSQL (`call_entries`); this workflow holds only the stage, so it may continue as new
 * between any two transitions.
 */
import { continueAsNew, getExternalWorkflowHandle, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { CallActivities, CallTransition } from '../activities/competitions.js';
import { parseJalali, resolveDeadline } from '../dsl/calendar.js';
import {
  callEntryChangedSignal, callStateQuery, callVerdictSignal, examResultsSignal,
  type CallProcessInput, type CallStage, type CallSummary, type CallVerdict,
} from '../domain/workflow-interfaces/competition-process.js';
import { now } from './clock.js';
import { DATABASE_RETRY, DEFAULT_HISTORY_LIMIT } from './activity-options.js';
import { conditionWithin } from './timers.js';
import { workflowIdFor } from '../domain/workflow-interfaces/licence-process.js';

// A transition touches the whole cohort: a regular activity, so it does not stretch a workflow task.
const calls = proxyActivities<CallActivities>({
  startToCloseTimeout: '5m',
  retry: DATABASE_RETRY,
});


export async function callProcess(input: CallProcessInput): Promise<CallSummary> {
  const { callId, definition, calendar } = input;
  const call = definition.call!;
  const runs = (input.resume?.runs ?? 0) + 1;
  let stage: CallStage = input.resume?.stage ?? 'registration';
  let stageStartedAt = input.resume?.stageStartedAt ?? now();
  let examRecorded = input.resume?.examRecorded ?? false;
  let changed = false;
  setHandler(examResultsSignal, () => { examRecorded = true; });
  setHandler(callEntryChangedSignal, () => { changed = true; });
  setHandler(callStateQuery, () => ({ callId, stage, runs }));

  const closesAt = parseJalali(call.registration.closes, calendar);
  const documentsDueAt = resolveDeadline(call.lateDocuments.after, closesAt, calendar);
  const examDueAt = resolveDeadline(call.exam.resultsDue, documentsDueAt, calendar);

  const run = async (transition: CallTransition) => {
    const result = await calls.advanceCall({ callId, transition, call });
    await Promise.all(result.verdicts.map(tell));
    return result;
  };
  const enter = (next: CallStage) => {
    stage = next;
    stageStartedAt = now();
  };
  const tooLong = () => {
    const info = workflowInfo();
    return info.historyLength >= (input.historyLimit ?? DEFAULT_HISTORY_LIMIT) || info.continueAsNewSuggested;
  };
  const continueAsNewIfLong = async () => {
    if (tooLong()) await continueAsNew<typeof callProcess>({ ...input, resume: { stage, stageStartedAt, examRecorded, runs } });
  };
  /**
   * Waits for `ready` until `dueAt`; thousands of applicants' signals may arrive meanwhile, so the
   * wait also ends (and the workflow continues as new) when the history grows long.
   * @returns true when `ready` held.
   */
  const waitFor = async (ready: () => boolean, dueAt: number): Promise<boolean> => {
    for (;;) {
      const woken = await conditionWithin(() => ready() || tooLong(), dueAt - now());
      if (ready()) return true;
      if (!woken) return false;
      await continueAsNewIfLong();
    }
  };
  /** Refills places freed by withdrawals until nobody is awaited or the stage's time is up. */
  const refillUntil = async (transition: CallTransition, dueAt: number) => {
    for (;;) {
      changed = false;
      const { pending } = await run(transition);
      if (pending === 0) return;
      if (!(await waitFor(() => changed, dueAt))) return;
    }
  };

  while (stage !== 'closed') {
    switch (stage) {
      case 'registration':
        await waitFor(() => false, documentsDueAt);
        await run('close-documents');
        enter('exam');
        break;
      case 'exam':
        await waitFor(() => examRecorded, examDueAt);
        await run('shortlist');
        enter(call.interview ? 'interviews' : 'reserves');
        break;
      case 'interviews':
        await refillUntil('refill-interviews', resolveDeadline(call.interview!.within, stageStartedAt, calendar));
        await run('close-interviews');
        await run('final');
        enter('reserves');
        break;
      case 'reserves':
        await refillUntil('refill-reserves', resolveDeadline(call.reserves.within, stageStartedAt, calendar));
        await run('close-reserves');
        enter('closed');
        break;
      default:
        enter('closed');
    }
    await continueAsNewIfLong();
  }
  return { callId, stage, runs };
}

/** Gives an applicant the call's verdict; an application already ended has nothing to hear. */
async function tell(verdict: CallVerdict): Promise<void> {
  try {
    await getExternalWorkflowHandle(workflowIdFor(verdict.applicationId)).signal(callVerdictSignal, verdict);
  } catch {
    // Ended meanwhile (withdrawn, rejected): the call's record already says why.
  }
}
