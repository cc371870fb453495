/**
 * Database activities: every transition of a licence process is written here, so PostgreSQL
 * always says where each application stands. Each write is idempotent (keyed by the workflow's
 * sequence numbers and ids), because Temporal may run an activity more than once.
 */
import { and, eq, inArray, sql, type WithSubquery } from 'drizzle-orm';
import { inTransaction, type Database } from '../db/client.js';
import { applicationEvents, applications, definitions, inquiries, licences, tasks } from '../db/schema/index.js';
import { formatJalali, type HolidayCalendar } from '../dsl/calendar.js';
import { appendAudit } from '../domain/audit.js';
import { adoptLicences, createLicenceRegister, releaseHoldings, type AmendAction, type LicenceFacts, type NewHolder } from './licence-register.js';
import { enqueueNotification, type Notification } from '../domain/outbox.js';
import type { RecordedField, Text } from '../dsl/schema.js';
import type { ProcessOutcome } from '../domain/workflow-interfaces/licence-process.js';
import { queryOne } from '../db/query.js';

export interface TimelineEvent {
  applicationId: string;
  seq: number;
  kind: string;
  stepId?: string;
  detail?: Record<string, unknown>;
  occurredAt: string;
  /** When set, the application's current step becomes this (null: between steps). */
  currentStep?: string | null;
  /** Events the workflow kept since its last write, written before this one (workflows/timeline.ts). */
  earlier?: TimelineEvent[];
}

export interface TaskToOpen {
  taskId: string;
  applicationId: string;
  stepId: string;
  title: Text;
  role: string;
  county: string | null;
  province: string | null;
  /** `fields`: what the office records with the outcome, as the definition declares it (absent: nothing). */
  outcomes: { name: string; title: Text; requiresReason: boolean; fields?: Record<string, RecordedField> }[];
  dueAt: string;
  /** The grounds on which it goes first in the inbox, when its step declares `priority` (may be none). */
  priority?: Text[];
}

export interface LicenceToIssue {
  applicationId: string;
  kind: string;
  title: Text;
  licenceType: string;
  numberPrefix: string;
  holderNationalCode: string;
  /** The holder as a person (the applicant's facts): whom later changes vet and notify. */
  holder?: Record<string, unknown> | null;
  county: string;
  province: string;
  issuedAt: string;
  validUntil: string;
  definitionHash: string;
  /** The number of the licence this one stands on, if any. */
  dependsOn?: string;
  /** Ends (with this action) the other licences in force of this kind that stand on the same licence. */
  supersedes?: 'close' | 'revoke';
}

/** A migration to record: the application's new pin, the definition it is pinned to, and who ordered it why. */
export interface MigrationRecord {
  applicationId: string;
  from: { version: number; hash: string };
  to: { id: string; version: number; hash: string; effectiveFrom: string; source: string };
  moves: { from: string; to: string }[];
  resumeAt: string;
  cancelledTasks: string[];
  reaskedInquiries: string[];
  requestedBy: string;
  reason: string;
  requestKey?: string;
}

export type { Notification } from '../domain/outbox.js';
export type { AmendAction, LicenceFacts, NewHolder } from './licence-register.js';

/** Builds the database activities around a connection (tests pass their own). */
export function createDatabaseActivities(db: Database, calendar: HolidayCalendar) {
  const register = createLicenceRegister(db);
  /**
   * Appends an event, after the events it carries (`earlier`), and moves the current step when one
   * of them says so: one statement (the insert as a common table expression of the update). The
   * writes in `alongside` (common table expressions of their own) go in the same statement, so the
   * change and the event that tells of it are seen together or not at all, in one round trip.
   */
  const appendEvent = async ({ earlier = [], ...last }: TimelineEvent, on: Database = db, alongside: WithSubquery[] = []) => {
    const events = [...earlier, last];
    const rows = events.map((e) => ({
      applicationId: e.applicationId, seq: e.seq, kind: e.kind, stepId: e.stepId ?? null,
      detail: e.detail ?? {}, occurredAt: new Date(e.occurredAt),
    }));
    const moved = events.filter((e) => e.currentStep !== undefined).pop();
    if (!moved) {
      await (alongside.length ? on.with(...alongside) : on).insert(applicationEvents).values(rows).onConflictDoNothing();
      return;
    }
    const timeline = on.$with('timeline').as(on.insert(applicationEvents).values(rows).onConflictDoNothing().returning({ seq: applicationEvents.seq }));
    await on.with(...alongside, timeline).update(applications)
      .set({ currentStep: moved.currentStep, updatedAt: sql`now()` })
      .where(and(eq(applications.id, moved.applicationId), eq(applications.status, 'running')));
  };
  /** A task's write as a common table expression, to go with its event in one statement. */
  const taskWrite = db.$with('task_write');

  /** Issues a licence once per application and kind; a retry returns the same number. */
  const issueOnce = async (licence: LicenceToIssue, event: TimelineEvent): Promise<{ number: string }> => {
    const [existing] = await db.select({ number: licences.number }).from(licences)
      .where(and(eq(licences.applicationId, licence.applicationId), eq(licences.kind, licence.kind)));
    if (existing) return existing;
    const { serial } = await queryOne<{ serial: string }>(db, sql`select nextval('licence_number_seq') as serial`);
    const year = formatJalali(Date.parse(licence.issuedAt), calendar).slice(0, 4);
    const number = `${licence.numberPrefix}-${year}-${String(serial).padStart(6, '0')}`;
    // A dependency names a licence that must exist: a wrong number is recorded as none, not retried forever.
    const [stands] = licence.dependsOn ? await db.select({ number: licences.number }).from(licences).where(eq(licences.number, licence.dependsOn)) : [];
    // The licence, its timeline event and its audit row are written together; a racing retry records the number that won.
    return inTransaction(db, async (tx) => {
      const [inserted] = await tx.insert(licences).values({
        number, kind: licence.kind, title: licence.title, licenceType: licence.licenceType,
        applicationId: licence.applicationId, holderNationalCode: licence.holderNationalCode, holder: licence.holder ?? null,
        county: licence.county, province: licence.province, issuedAt: new Date(licence.issuedAt),
        validUntil: new Date(licence.validUntil), definitionHash: licence.definitionHash, dependsOn: stands?.number ?? null,
      }).onConflictDoNothing().returning({ number: licences.number });
      const [issued] = inserted ? [inserted] : await tx.select({ number: licences.number }).from(licences)
        .where(and(eq(licences.applicationId, licence.applicationId), eq(licences.kind, licence.kind)));
      await appendEvent({ ...event, detail: { ...event.detail, number: issued!.number } }, tx);
      if (inserted) await appendAudit(tx, { actor: 'workflow', action: 'licence.issued', subjectType: 'licence', subjectId: inserted.number, detail: { applicationId: licence.applicationId, kind: licence.kind, dependsOn: stands?.number ?? null } });
      return issued!;
    });
  };

  return {
    /** Appends one event to the application's timeline. */
    async recordEvent(event: TimelineEvent): Promise<void> {
      await appendEvent(event);
    },

    /** Puts a task in the office's inbox. */
    async openTask(task: TaskToOpen, event: TimelineEvent): Promise<void> {
      await appendEvent(event, db, [taskWrite.as(db.insert(tasks).values({
        id: task.taskId, applicationId: task.applicationId, stepId: task.stepId, title: task.title,
        role: task.role, county: task.county, province: task.province, outcomes: task.outcomes,
        dueAt: new Date(task.dueAt), ...(task.priority?.length ? { priority: task.priority } : {}),
      }).onConflictDoNothing().returning({ id: tasks.id }))]);
    },

    /** Moves an overdue task up to another office, with a new deadline. */
    async escalateTask(change: { taskId: string; role: string; county: string | null; province: string | null; dueAt: string }, event: TimelineEvent): Promise<void> {
      await appendEvent(event, db, [taskWrite.as(db.update(tasks).set({
        role: change.role, county: change.county, province: change.province,
        dueAt: new Date(change.dueAt), escalatedAt: new Date(event.occurredAt),
      }).where(and(eq(tasks.id, change.taskId), eq(tasks.status, 'open'))).returning({ id: tasks.id }))]);
    },

    /** Closes a task: decided, expired, or cancelled because the application ended. */
    async closeTask(change: { taskId: string; status: 'decided' | 'expired' | 'cancelled'; outcome?: string; reason?: string; decidedBy?: string; recorded?: Record<string, unknown> }, event: TimelineEvent): Promise<void> {
      await appendEvent(event, db, [taskWrite.as(db.update(tasks).set({
        status: change.status, outcome: change.outcome ?? null, reason: change.reason ?? null,
        decidedBy: change.decidedBy ?? null, decidedAt: new Date(event.occurredAt),
        ...(change.recorded ? { recorded: change.recorded } : {}),
      }).where(and(eq(tasks.id, change.taskId), eq(tasks.status, 'open'))).returning({ id: tasks.id }))]);
    },

    /**
     * Closes an open task that has nothing left to decide, because what it waited for came without
     * a decision (`because`: `answered-meanwhile`, a late registry answer applied), and audits it.
     */
    async resolveTask(change: { taskId: string; because: string }, event: TimelineEvent): Promise<void> {
      await db.transaction(async (transaction) => {
        const tx = transaction as unknown as Database;
        const resolved = await tx.update(tasks).set({
          status: 'resolved', outcome: null, reason: null, decidedBy: null, decidedAt: new Date(event.occurredAt),
        }).where(and(eq(tasks.id, change.taskId), eq(tasks.status, 'open'))).returning({ applicationId: tasks.applicationId, stepId: tasks.stepId });
        for (const task of resolved) {
          await appendAudit(tx, { actor: 'workflow', action: 'task.resolved', subjectType: 'task', subjectId: change.taskId, detail: { applicationId: task.applicationId, stepId: task.stepId, because: change.because } });
        }
        await appendEvent(event, tx);
      });
    },

    /** Notes that an inquiry's deadline passed without an answer. */
    async markInquiryTimedOut(inquiryId: string, event: TimelineEvent): Promise<void> {
      const timedOut = db.$with('inquiry_write').as(db.update(inquiries).set({ status: 'timed-out' })
        .where(and(eq(inquiries.id, inquiryId), inArray(inquiries.status, ['sent', 'accepted']))).returning({ id: inquiries.id }));
      await appendEvent(event, db, [timedOut]);
    },

    /** Issues a licence once per application and kind (a retry returns the same number); with `supersedes`, ends the ones it replaces. */
    async issueLicence(licence: LicenceToIssue, event: TimelineEvent): Promise<{ number: string }> {
      const issued = await issueOnce(licence, event);
      // After the issue, so a retry of an activity that failed in between still ends them.
      if (licence.supersedes) await register.supersedeLicences({ number: issued.number, action: licence.supersedes, applicationId: licence.applicationId, seq: event.seq, at: event.occurredAt });
      return issued;
    },

    /**
     * Moves the licences an `issue` adopts onto the licence it issued (a centre's manager licence
     * onto its activity licence), and records on the timeline which moved and which could not.
     */
    async adoptLicences(change: { number: string; adopt: string[]; applicationId: string }, event: TimelineEvent) {
      return inTransaction(db, async (tx) => {
        const result = await adoptLicences(tx, change);
        await appendEvent({ ...event, detail: { ...event.detail, ...result } }, tx);
        return result;
      });
    },

    /** Queues a notification for the national permits portal; the outbox delivery workflow sends it. */
    async enqueueNotification(notification: Notification, event: TimelineEvent): Promise<void> {
      await inTransaction(db, async (tx) => {
        await enqueueNotification(tx, notification);
        await appendEvent(event, tx);
      });
    },

    /** Registers the application a `subprocess` step starts, linked to its parent. */
    async registerChildApplication(child: { parentId: string; childId: string; licenceType: string; definitionVersion: number; definitionHash: string; facts: Record<string, unknown> }, event: TimelineEvent): Promise<void> {
      const [parent] = await db.select().from(applications).where(eq(applications.id, child.parentId));
      if (!parent) throw new Error(`parent application ${child.parentId} is not recorded`);
      // A child may name its own applicant (a centre's new manager); otherwise it is the parent's.
      const applicant = (child.facts.applicant ?? {}) as { nationalCode?: unknown };
      await inTransaction(db, async (tx) => {
        await tx.insert(applications).values({
          id: child.childId, trackingCode: child.childId, workflowId: `application-${child.childId}`,
          licenceType: child.licenceType, definitionVersion: child.definitionVersion, definitionHash: child.definitionHash,
          applicantNationalCode: typeof applicant.nationalCode === 'string' ? applicant.nationalCode : parent.applicantNationalCode,
          county: parent.county, province: parent.province,
          facts: child.facts, submittedBy: `subprocess of ${child.parentId}`, parentApplicationId: child.parentId,
        }).onConflictDoNothing();
        await appendEvent(event, tx);
      });
    },

    /**
     * Applies a lifecycle change to a licence (renew keeps the number and extends validity), and
     * to the licences that depend on it with `dependents`; queues the portal's notifications.
     */
    async amendLicence(change: { number: string; action: AmendAction; validUntil?: string; applicationId: string; grounds?: string; dependents?: Exclude<AmendAction, 'renew' | 'transfer'>; holder?: NewHolder }, event: TimelineEvent) {
      // The change, its notifications and audit rows, and the timeline event that tells of it: one transaction.
      return inTransaction(db, async (tx) => {
        const result = await createLicenceRegister(tx).amendLicence({ ...change, seq: event.seq, at: event.occurredAt });
        if (result.applied) await appendEvent({ ...event, detail: { ...event.detail, dependents: result.dependents } }, tx);
        else await appendEvent({ ...event, kind: 'licence-amend-refused', detail: { ...event.detail, currentStatus: result.status, ...(result.refusal ? { refusal: result.refusal } : {}) } }, tx);
        return result;
      });
    },

    /** Re-reads the licence a lifecycle or standing process is about. */
    async readLicence(number: string, event: TimelineEvent): Promise<LicenceFacts> {
      const licence = await register.readLicence(number);
      await appendEvent({ ...event, detail: { ...event.detail, status: licence.status, validUntil: licence.validUntil, changesInProgress: licence.changesInProgress } });
      return licence;
    },

    /** Claims a holding ("one centre licence per person") for the application. */
    async claimHolding(claim: { holding: string; holder: string; applicationId: string; limit?: number }, event: TimelineEvent): Promise<{ granted: boolean }> {
      return inTransaction(db, async (tx) => {
        const result = await createLicenceRegister(tx).claimHolding(claim);
        // Of a limited holding, the place taken is what a later renewal takes back (its name is in the event).
        const detail = claim.limit ? { ...event.detail, holding: result.holding, of: claim.holding, limit: claim.limit } : event.detail;
        await appendEvent({ ...event, kind: result.granted ? 'holding-claimed' : 'holding-refused', detail }, tx);
        return { granted: result.granted };
      });
    },

    /**
     * Takes a migrating application's open tasks from the inbox, unless a decision on one has been
     * taken (it is on its way to the process, and the migration waits for it). The row lock and the
     * decision's conditional UPDATE (`services/tasks.ts`) exclude each other: of a decision and a
     * migration at the same moment, exactly one gets the task. A retry finds its own rows cancelled.
     */
    async holdTasksForMigration(hold: { taskIds: string[]; at: string }): Promise<{ held: true } | { held: false; taskId: string }> {
      return db.transaction(async (transaction) => {
        const tx = transaction as unknown as Database;
        const rows = await tx.select({ id: tasks.id, status: tasks.status, decisionDelivery: tasks.decisionDelivery })
          .from(tasks).where(inArray(tasks.id, hold.taskIds)).for('update');
        const taken = rows.find((t) => t.decisionDelivery !== null || t.status === 'decided' || t.status === 'expired');
        if (taken) return { held: false, taskId: taken.id };
        await tx.update(tasks).set({ status: 'cancelled', decidedAt: new Date(hold.at) })
          .where(and(inArray(tasks.id, hold.taskIds), eq(tasks.status, 'open')));
        return { held: true };
      });
    },

    /**
     * Records a migration in one transaction: the target definition kept by hash, the application
     * pinned to it, the audit entry (once: a retry finds the application already moved) and the event.
     */
    async recordMigration(migration: MigrationRecord, event: TimelineEvent): Promise<void> {
      const { applicationId, from, to } = migration;
      await db.transaction(async (transaction) => {
        const tx = transaction as unknown as Database;
        await tx.insert(definitions).values({ hash: to.hash, id: to.id, version: to.version, effectiveFrom: to.effectiveFrom, source: to.source }).onConflictDoNothing();
        const moved = await tx.update(applications).set({ definitionVersion: to.version, definitionHash: to.hash, updatedAt: sql`now()` })
          .where(and(eq(applications.id, applicationId), eq(applications.definitionHash, from.hash))).returning({ id: applications.id });
        if (moved.length > 0) {
          await appendAudit(tx, {
            actor: migration.requestedBy, action: 'application.migrated', subjectType: 'application', subjectId: applicationId,
            detail: {
              from, to: { version: to.version, hash: to.hash }, moves: migration.moves, resumeAt: migration.resumeAt, reason: migration.reason,
              cancelledTasks: migration.cancelledTasks, reaskedInquiries: migration.reaskedInquiries,
              ...(migration.requestKey ? { requestKey: migration.requestKey } : {}),
            },
          });
        }
        await appendEvent(event, tx);
      });
    },

    /**
     * Records how the application ended, and tells the portal: one transaction, so whoever sees
     * the application ended also sees its last timeline event, its notification and its trail.
     */
    async finishApplication(end: { applicationId: string; outcome: ProcessOutcome; reason: string; stepId: string }, event: TimelineEvent): Promise<void> {
      await db.transaction(async (transaction) => {
        const tx = transaction as unknown as Database;
        const ended = await tx.update(applications).set({
          status: end.outcome, outcomeReason: end.reason, currentStep: end.stepId,
          endedAt: new Date(event.occurredAt), updatedAt: sql`now()`,
        }).where(and(eq(applications.id, end.applicationId), eq(applications.status, 'running'))).returning({ id: applications.id });
        // No task of an ended application stays in an inbox.
        await tx.update(tasks).set({ status: 'cancelled', decidedAt: new Date(event.occurredAt) })
          .where(and(eq(tasks.applicationId, end.applicationId), eq(tasks.status, 'open')));
        // An application that ended with no licence in force lets go of what it claimed.
        await releaseHoldings(tx, end.applicationId);
        // The outbox's subject lock before the trail's, as every other writer takes them.
        await enqueueNotification(tx, {
          dedupeKey: `${end.applicationId}:${end.outcome}`, subject: end.applicationId,
          event: `application-${end.outcome}`, payload: { applicationId: end.applicationId, reason: end.reason, at: event.occurredAt },
        });
        if (ended.length > 0) {
          await appendAudit(tx, { actor: 'workflow', action: `application.${end.outcome}`, subjectType: 'application', subjectId: end.applicationId, detail: { reason: end.reason } });
        }
        await appendEvent(event, tx);
      });
    },
  };
}

export type DatabaseActivities = ReturnType<typeof createDatabaseActivities>;
