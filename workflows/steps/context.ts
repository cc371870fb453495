/**
 * What a step's execution sees: the application's facts and timeline, its mailbox of signals,
 * and the hooks the workflow module supplies. `Interpreter` is one; a step module imports only
 * this file, never the interpreter.
 */
import type { DatabaseActivities, TimelineEvent } from '../../activities/database.js';
import type { HolidayCalendar } from '../../dsl/calendar.js';
import type { Facts, Reckoning } from '../../dsl/expressions.js';
import type { ProcessDefinition, Step } from '../../dsl/schema.js';
import type { IssuedLicence, ProcessOutcome } from '../../domain/workflow-interfaces/licence-process.js';
import type { Mailbox } from './mailbox.js';

/** How an application ends. */
export interface Ending {
  outcome: ProcessOutcome;
  reason: string;
  stepId: string;
}

/** What a step leads to: another step, the end of its branch, or the end of the application. */
export type Transition = { next?: string; end?: Ending };

/** What survives continue-as-new: the facts, the timeline's sequence, and each step's entry count. */
export interface InterpreterState {
  facts: Facts;
  seq: number;
  entries: Record<string, number>;
}

/** What a standing process is told of the licence it stands beside. */
export interface StandingLicence extends IssuedLicence {
  licenceType: string;
  status: string;
  holderNationalCode: string;
  dependsOn: string | null;
}

/** What the workflow module supplies: continue-as-new between steps, and child applications. */
export interface InterpreterHooks {
  /** Called before each top-level step; may continue-as-new (and then never returns). */
  beforeTopLevelStep(stepId: string): Promise<void>;
  /** Runs a child application; a detached one is only started (its result is undefined). */
  startChild(stepId: string, definition: ProcessDefinition, hash: string, input: Facts, opts?: { applicant?: unknown; detach?: boolean }): Promise<{ outcome: ProcessOutcome; reason: string; licences: Record<string, IssuedLicence> } | undefined>;
  /** Starts a standing process beside a licence just issued (it runs on after this process ends). */
  startStanding(processId: string, licence: StandingLicence): Promise<void>;
}

export interface StepContext {
  readonly applicationId: string;
  readonly definition: ProcessDefinition;
  readonly definitionHash: string;
  readonly calendar: HolidayCalendar;
  readonly state: InterpreterState;
  readonly mailbox: Mailbox;
  /** How its expressions reckon days and months: the Tehran date and Jalali months, or, started before 1405/09, as it started. */
  readonly reckoning: Reckoning;
  readonly hooks: InterpreterHooks;
  /** The database activities, writing the timeline as this run does (`workflows/timeline.ts`). */
  readonly db: DatabaseActivities;
  /** Runs a local activity of a step's own (a call's cohort) as this run runs its writes: whole, or as recorded before (`workflows/timeline.ts`). */
  local<T>(call: () => Promise<T>): Promise<T>;
  /** Builds a timeline event with the next sequence number. */
  event(kind: string, stepId: string | undefined, detail?: Record<string, unknown>, currentStep?: string | null): TimelineEvent;
  /** This entry into a step, as an id: `<application>.<step>.<entry>` (a task's, an inquiry's). */
  entryKey(stepId: string): string;
  /** Runs steps from `stepId` until an end, or a step without `next` (a branch's end). */
  runFrom(stepId: string, topLevel: boolean): Promise<Ending | undefined>;
}

export type StepOf<T extends Step['type']> = Extract<Step, { type: T }>;

/** Runs one step of a kind and says where the process goes next. */
export type StepRunner<T extends Step['type']> = (ctx: StepContext, id: string, step: StepOf<T>) => Promise<Transition>;

/** The application's own facts: its county, province, call… */
export const applicationOf = (ctx: StepContext) => (ctx.state.facts.application ?? {}) as Record<string, string>;

/** The licence number a lifecycle or standing process is about. */
export function licenceNumberOf(ctx: StepContext, stepId: string): string {
  const number = (ctx.state.facts.licence as { number?: string } | undefined)?.number;
  if (!number) throw new Error(`step ${stepId} works on a licence, but the process names none`);
  return number;
}
