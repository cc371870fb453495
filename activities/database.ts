/**
 * Database activities: every transition of a licence process is written here, so PostgreSQL
 * always says where each application stands. Each write is idempotent (keyed by the workflow's
 * sequence numbers and ids), because Temporal may run an activity more than once.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { applicationEvents, applications, inquiries, licences, outbox, tasks } from '../db/schema/index.js';
import { formatJalali, type HolidayCalendar } from '../dsl/calendar.js';
import { appendAudit } from '../services/audit.js';
import { enqueueNotification, type Notification } from './outbox-queue.js';
import type { Text } from '../dsl/schema.js';

export interface TimelineEvent {
  applicationId: string;
  seq: number;
  kind: string;
  stepId?: string;
  detail?: Record<string, unknown>;
  occurredAt: string;
  /** When set, the application's current step becomes this (null: between steps). */
  currentStep?: string | null;
}

export interface TaskToOpen {
  taskId: string;
  applicationId: string;
  stepId: string;
  title: Text;
  role: string;
  county: string | null;
  province: string | null;
  outcomes: { name: string; title: Text; requiresReason: boolean }[];
  dueAt: string;
}

export interface LicenceToIssue {
  applicationId: string;
  kind: string;
  title: Text;
  licenceType: string;
  numberPrefix: string;
  holderNationalCode: string;
  county: string;
  province: string;
  issuedAt: string;
  validUntil: string;
  definitionHash: string;
}

export type { Notification } from './outbox-queue.js';

/** Builds the database activities around a connection (tests pass their own). */
export function createDatabaseActivities(db: Database, calendar: HolidayCalendar) {
  const appendEvent = async (e: TimelineEvent) => {
    await db.insert(applicationEvents).values({
      applicationId: e.applicationId, seq: e.seq, kind: e.kind, stepId: e.stepId ?? null,
      detail: e.detail ?? {}, occurredAt: new Date(e.occurredAt),
    }).onConflictDoNothing();
    if (e.currentStep !== undefined) {
      await db.update(applications)
        .set({ currentStep: e.currentStep, updatedAt: sql`now()` })
        .where(and(eq(applications.id, e.applicationId), eq(applications.status, 'running')));
    }
  };

  return {
    /** Appends one event to the application's timeline. */
    async recordEvent(event: TimelineEvent): Promise<void> {
      await appendEvent(event);
    },

    /** Puts a task in the office's inbox. */
    async openTask(task: TaskToOpen, event: TimelineEvent): Promise<void> {
      await db.insert(tasks).values({
        id: task.taskId, applicationId: task.applicationId, stepId: task.stepId, title: task.title,
        role: task.role, county: task.county, province: task.province, outcomes: task.outcomes,
        dueAt: new Date(task.dueAt),
      }).onConflictDoNothing();
      await appendEvent(event);
    },

    /** Moves an overdue task up to another office, with a new deadline. */
    async escalateTask(change: { taskId: string; role: string; county: string | null; province: string | null; dueAt: string }, event: TimelineEvent): Promise<void> {
      await db.update(tasks).set({
        role: change.role, county: change.county, province: change.province,
        dueAt: new Date(change.dueAt), escalatedAt: new Date(event.occurredAt),
      }).where(and(eq(tasks.id, change.taskId), eq(tasks.status, 'open')));
      await appendEvent(event);
    },

    /** Closes a task: decided, expired, or cancelled because the application ended. */
    async closeTask(change: { taskId: string; status: 'decided' | 'expired' | 'cancelled'; outcome?: string; reason?: string; decidedBy?: string }, event: TimelineEvent): Promise<void> {
      await db.update(tasks).set({
        status: change.status, outcome: change.outcome ?? null, reason: change.reason ?? null,
        decidedBy: change.decidedBy ?? null, decidedAt: new Date(event.occurredAt),
      }).where(and(eq(tasks.id, change.taskId), eq(tasks.status, 'open')));
      await appendEvent(event);
    },

    /** Notes that an inquiry's deadline passed without an answer. */
    async markInquiryTimedOut(inquiryId: string, event: TimelineEvent): Promise<void> {
      await db.update(inquiries).set({ status: 'timed-out' })
        .where(and(eq(inquiries.id, inquiryId), inArray(inquiries.status, ['sent', 'accepted'])));
      await appendEvent(event);
    },

    /** Issues a licence once per application and kind; a retry returns the same number. */
    async issueLicence(licence: LicenceToIssue, event: TimelineEvent): Promise<{ number: string }> {
      const [existing] = await db.select({ number: licences.number }).from(licences)
        .where(and(eq(licences.applicationId, licence.applicationId), eq(licences.kind, licence.kind)));
      if (existing) return existing;
      const [{ serial }] = (await db.execute(sql`select nextval('licence_number_seq') as serial`)) as unknown as [{ serial: string }];
      const year = formatJalali(Date.parse(licence.issuedAt), calendar).slice(0, 4);
      const number = `${licence.numberPrefix}-${year}-${String(serial).padStart(6, '0')}`;
      const [inserted] = await db.insert(licences).values({
        number, kind: licence.kind, title: licence.title, licenceType: licence.licenceType,
        applicationId: licence.applicationId, holderNationalCode: licence.holderNationalCode,
        county: licence.county, province: licence.province, issuedAt: new Date(licence.issuedAt),
        validUntil: new Date(licence.validUntil), definitionHash: licence.definitionHash,
      }).onConflictDoNothing().returning({ number: licences.number });
      await appendEvent({ ...event, detail: { ...event.detail, number: inserted?.number ?? number } });
      if (inserted) {
        await appendAudit(db, { actor: 'workflow', action: 'licence.issued', subjectType: 'licence', subjectId: inserted.number, detail: { applicationId: licence.applicationId, kind: licence.kind } });
        return inserted;
      }
      const [raced] = await db.select({ number: licences.number }).from(licences)
        .where(and(eq(licences.applicationId, licence.applicationId), eq(licences.kind, licence.kind)));
      return raced!;
    },

    /** Queues a notification for the national permits portal; the outbox delivery workflow sends it. */
    async enqueueNotification(notification: Notification, event: TimelineEvent): Promise<void> {
      await enqueueNotification(db, notification);
      await appendEvent(event);
    },

    /** Registers the application a `subprocess` step starts, linked to its parent. */
    async registerChildApplication(child: { parentId: string; childId: string; licenceType: string; definitionVersion: number; definitionHash: string; facts: Record<string, unknown> }, event: TimelineEvent): Promise<void> {
      const [parent] = await db.select().from(applications).where(eq(applications.id, child.parentId));
      if (!parent) throw new Error(`parent application ${child.parentId} is not recorded`);
      await db.insert(applications).values({
        id: child.childId, trackingCode: child.childId, workflowId: `application-${child.childId}`,
        licenceType: child.licenceType, definitionVersion: child.definitionVersion, definitionHash: child.definitionHash,
        applicantNationalCode: parent.applicantNationalCode, county: parent.county, province: parent.province,
        facts: child.facts, submittedBy: `subprocess of ${child.parentId}`, parentApplicationId: child.parentId,
      }).onConflictDoNothing();
      await appendEvent(event);
    },

    /**
     * Applies a lifecycle change to a licence (renew keeps the number and extends validity) and
     * queues the portal's notification, in order per licence.
     */
    async amendLicence(change: { number: string; action: 'renew' | 'suspend' | 'reinstate' | 'revoke' | 'close'; validUntil?: string; applicationId: string; grounds?: string }, event: TimelineEvent): Promise<{ applied: boolean; status: string; validUntil: string }> {
      const dedupeKey = `${change.applicationId}:${event.seq}`;
      const [current] = await db.select().from(licences).where(eq(licences.number, change.number));
      if (!current) throw new Error(`licence ${change.number} does not exist`);
      // A retry of a change already made: its notification is the proof, answer as the first time.
      const [done] = await db.select({ id: outbox.id }).from(outbox).where(eq(outbox.dedupeKey, dedupeKey));
      if (done) return { applied: true, status: current.status, validUntil: current.validUntil.toISOString() };
      const status = ({ renew: 'active', reinstate: 'active', suspend: 'suspended', revoke: 'revoked', close: 'closed' } as const)[change.action];
      // Only from the states the action makes sense in: a revoked licence is not renewed back to life.
      const from = ({ renew: ['active', 'expired'], reinstate: ['suspended'], suspend: ['active'], revoke: ['active', 'suspended'], close: ['active', 'suspended'] } as const)[change.action];
      const [updated] = await db.update(licences).set({
        status, ...(change.validUntil ? { validUntil: new Date(change.validUntil) } : {}),
      }).where(and(eq(licences.number, change.number), inArray(licences.status, [...from]))).returning({ validUntil: licences.validUntil });
      if (!updated) {
        await appendEvent({ ...event, kind: 'licence-amend-refused', detail: { ...event.detail, currentStatus: current.status } });
        return { applied: false, status: current.status, validUntil: current.validUntil.toISOString() };
      }
      const eventName = ({ renew: 'licence-renewed', reinstate: 'licence-reinstated', suspend: 'licence-suspended', revoke: 'licence-revoked', close: 'licence-closed' } as const)[change.action];
      await enqueueNotification(db, {
        dedupeKey, subject: change.number, event: eventName,
        payload: { licenceNumber: change.number, status, validUntil: updated.validUntil.toISOString(), applicationId: change.applicationId, grounds: change.grounds ?? null },
      });
      await appendAudit(db, { actor: 'workflow', action: eventName.replace('licence-', 'licence.'), subjectType: 'licence', subjectId: change.number, detail: { applicationId: change.applicationId, status } });
      await appendEvent(event);
      return { applied: true, status, validUntil: updated.validUntil.toISOString() };
    },

    /** Records how the application ended, and tells the portal. */
    async finishApplication(end: { applicationId: string; outcome: 'approved' | 'rejected' | 'withdrawn'; reason: string; stepId: string }, event: TimelineEvent): Promise<void> {
      const ended = await db.update(applications).set({
        status: end.outcome, outcomeReason: end.reason, currentStep: end.stepId,
        endedAt: new Date(event.occurredAt), updatedAt: sql`now()`,
      }).where(and(eq(applications.id, end.applicationId), eq(applications.status, 'running'))).returning({ id: applications.id });
      // No task of an ended application stays in an inbox.
      await db.update(tasks).set({ status: 'cancelled', decidedAt: new Date(event.occurredAt) })
        .where(and(eq(tasks.applicationId, end.applicationId), eq(tasks.status, 'open')));
      if (ended.length > 0) {
        await appendAudit(db, { actor: 'workflow', action: `application.${end.outcome}`, subjectType: 'application', subjectId: end.applicationId, detail: { reason: end.reason } });
      }
      await enqueueNotification(db, {
        dedupeKey: `${end.applicationId}:${end.outcome}`, subject: end.applicationId,
        event: `application-${end.outcome}`, payload: { applicationId: end.applicationId, reason: end.reason, at: event.occurredAt },
      });
      await appendEvent(event);
    },
  };
}

export type DatabaseActivities = ReturnType<typeof createDatabaseActivities>;
