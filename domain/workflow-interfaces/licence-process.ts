/**
 * What the outside world may say to, and ask of, a running licence process: its input, its
 * signals and queries. Shared by the workflow, the gateway and the tests.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { HolidayCalendar } from '../../dsl/calendar.js';
import type { Facts } from '../../dsl/expressions.js';
import type { ProcessDefinition, Text } from '../../dsl/schema.js';

export const TASK_QUEUE = 'licence-processes';

/** The workflow id of an application, derived so that a retried submission cannot start two. */
export const workflowIdFor = (applicationId: string): string => `application-${applicationId}`;

export interface LicenceProcessInput {
  applicationId: string;
  /** Absent when a lean run started the process (a standing one): it looks the definition up by its hash. */
  definition?: ProcessDefinition;
  definitionHash: string;
  calendar: HolidayCalendar;
  /** `applicant` and `application` as submitted. */
  facts: Facts;
  /** Continue-as-new after this many history events (tests lower it). */
  historyLimit?: number;
  /** Set only by continue-as-new: where the previous run stopped. */
  resume?: ResumeState;
}

export interface ResumeState {
  at: string;
  facts: Facts;
  seq: number;
  entries: Record<string, number>;
  decisions: TaskDecision[];
  answers: RegistryAnswer[];
  lateInquiries: LateInquiry[];
  runs: number;
  /** How the application reckons days and months (`dsl/facts.ts`); absent: started before 1405/09, the UTC day and Gregorian months. */
  reckoning?: 'tehran-jalali' | 'utc-gregorian';
}

export interface LateInquiry {
  inquiryId: string;
  stepId: string;
  saveAs: string;
  policy: 'record' | 'apply';
}

/** An office's decision on a task, already checked by the gateway against the task's outcomes. */
export interface TaskDecision {
  taskId: string;
  outcome: string;
  reason?: string;
  decidedBy: string;
  /** What the office recorded with the outcome (its declared `fields`), checked by the gateway. */
  recorded?: Record<string, unknown>;
}

/** A registry's answer to an asynchronous inquiry, delivered through the gateway's callback. */
export interface RegistryAnswer {
  inquiryId: string;
  registry: string;
  answer: Record<string, unknown>;
  answeredAt: string;
}

export interface Withdrawal {
  reason: string;
  requestedBy: string;
}

/**
 * How a process ends. `failed`: a fault of its definition ended it (an expression it could not
 * evaluate, `PROCESS_FAULT`), through no fault of the applicant; a process file cannot end so itself.
 */
export type ProcessOutcome = 'approved' | 'rejected' | 'withdrawn' | 'failed';

/** The reason of a process that a fault of its definition ended `failed`. */
export const PROCESS_FAULT = 'PROCESS_FAULT';

export interface ProcessResult {
  outcome: ProcessOutcome;
  reason: string;
  stepId: string;
  licences: Record<string, IssuedLicence>;
}

export interface IssuedLicence {
  number: string;
  kind: string;
  issuedAt: string;
  validUntil: string;
}

export interface OpenTaskView {
  taskId: string;
  stepId: string;
  role: string;
  dueAt: string;
  outcomes: string[];
}

export interface PendingInquiryView {
  inquiryId: string;
  stepId: string;
  registry: string;
  deadlineAt: string;
}

/** Live state, answered by the `state` query. */
export interface ProcessState {
  applicationId: string;
  definition: { id: string; version: number; hash: string; title: Text };
  status: 'running' | ProcessOutcome;
  currentSteps: string[];
  openTasks: OpenTaskView[];
  pendingInquiries: PendingInquiryView[];
  reason?: string;
  runs: number;
}

export const decisionSignal = defineSignal<[TaskDecision]>('decision');
export const registryAnswerSignal = defineSignal<[RegistryAnswer]>('registryAnswer');
export const withdrawSignal = defineSignal<[Withdrawal]>('withdraw');
export const stateQuery = defineQuery<ProcessState>('state');

/** A supervisor's order to move a running application to a newer version of its definition. */
export interface MigrationOrder {
  /** The version to move to, as the catalogue loaded it (the source is kept in `definitions`). */
  target: { definition: ProcessDefinition; hash: string; source: string };
  /** Current step → target step, where the ids differ. */
  mapping: Record<string, string>;
  /** The supervisor (the token's subject). */
  requestedBy: string;
  /** Why the authority orders it, recorded with the migration. */
  reason: string;
  /** The request's Idempotency-Key, kept in the audit entry so a retried request finds its migration. */
  requestKey?: string;
}

/** What a migration did: from which version to which, at which step the process goes on. */
export interface MigrationResult {
  applicationId: string;
  from: { version: number; hash: string };
  to: { version: number; hash: string };
  moves: { from: string; to: string }[];
  resumeAt: string;
  /** Tasks taken from the inbox: the migrated step opens its own. */
  cancelledTasks: string[];
  /** Inquiries asked again by the migrated step (a late answer to these is recorded, not applied). */
  reaskedInquiries: string[];
}

/**
 * Moves a running application to a newer version (`workflows/migration.ts`). Refused (an
 * `ApplicationFailure` of a `MIGRATION_FAILURES` type, nothing changed) or answered once recorded.
 */
export const migrateUpdate = defineUpdate<MigrationResult, [MigrationOrder]>('migrate');

/** The `type` of the failures `migrateUpdate` answers with; `refused` carries the refusals as its details. */
export const MIGRATION_FAILURES = { refused: 'MigrationRefused', busy: 'MigrationBusy', ended: 'ApplicationEnded' } as const;

/** Wakes the outbox delivery workflow: something new is queued for the portal. */
export const outboxChangedSignal = defineSignal('outboxChanged');

/** The outbox delivery workflow of a task queue: one per deployment, so one sender per licence. */
export const outboxWorkflowIdFor = (taskQueue: string): string => `outbox-delivery:${taskQueue}`;

/**
 * The task queue the outbox delivery runs on, beside the licence processes' `taskQueue`: its own
 * workers' slots, so a backlog of applications cannot hold the portal's notifications back.
 */
export const OUTBOX_QUEUE_SUFFIX = '.outbox';
export const outboxTaskQueueFor = (taskQueue: string): string => `${taskQueue}${OUTBOX_QUEUE_SUFFIX}`;

/** What the outbox delivery workflow carries across continue-as-new. */
export interface OutboxDeliveryInput {
  /** Consecutive runs that ended with a failed delivery (drives the backoff). */
  failures?: number;
  /** Longest wait between runs while the portal keeps failing; default one hour. */
  maxBackoffMs?: number;
  /** Safety poll while nothing is known to be pending; default one day. */
  idlePollMs?: number;
}
