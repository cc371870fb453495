/**
 * What a competitive call's workflow and its applicants' processes say to each other, and what
 * the gateway may say to the call: ids, inputs, signals, the verdict an applicant receives.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { HolidayCalendar } from '../../dsl/calendar.js';
import type { ProcessDefinition } from '../../dsl/schema.js';

/** The workflow id of a call (one per call definition id). */
export const callWorkflowIdFor = (callId: string): string => `call-${callId}`;

/** The stages of a call's cohort, in order. */
export type CallStage = 'registration' | 'exam' | 'interviews' | 'reserves' | 'closed';

export interface CallProcessInput {
  callId: string;
  definition: ProcessDefinition;
  definitionHash: string;
  calendar: HolidayCalendar;
  /** Continue-as-new after this many history events (tests lower it). */
  historyLimit?: number;
  /** Set only by continue-as-new. */
  resume?: { stage: CallStage; stageStartedAt: number; examRecorded: boolean; runs: number };
}

/**
 * The call's word to one applicant at a cohort stage: `advance` (invited, selected) lets the
 * application go on; `refuse` ends it rejected with `reason`, wherever it stands.
 */
export interface CallVerdict {
  applicationId: string;
  stage: 'shortlist' | 'final';
  verdict: 'advance' | 'refuse';
  reason?: string;
}

export interface CallSummary {
  callId: string;
  stage: CallStage;
  runs: number;
}

/** To an application: the call's verdict. */
export const callVerdictSignal = defineSignal<[CallVerdict]>('callVerdict');
/** To the call: an entry arrived at a cohort stage or its application ended (the DB says which). */
export const callEntryChangedSignal = defineSignal('callEntryChanged');
/** To the call: exam results were recorded. */
export const examResultsSignal = defineSignal('examResults');
export const callStateQuery = defineQuery<CallSummary>('callState');
