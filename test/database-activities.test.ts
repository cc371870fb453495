/**
 * The database activities write a change and the timeline event that tells of it together: when
 * the event cannot be written, nothing of the change is either, so nobody (an office's inbox, the
 * portal's outbox, the audit trail) sees a task, a notice or a licence the timeline does not show.
 * A trigger refuses the timeline events of one kind (or step), standing in for a write that fails halfway.
 */
import { and, eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseActivities, type TimelineEvent } from '../activities/database.js';
import { applicationEvents, applications, auditLog, licenceHoldings, licences, outbox, tasks } from '../db/schema/index.js';
import { loadHolidayCalendar } from '../dsl/calendar-load.js';
import { freshDatabase } from './support/database.js';

type Fresh = Awaited<ReturnType<typeof freshDatabase>>;
let fresh: Fresh;
let activities: ReturnType<typeof createDatabaseActivities>;
const APP = 'APP-ATOMIC-1';
let seq = 0;
const REFUSED = 'refused-by-test';
const at = '2026-12-02T08:00:00.000Z';
const event = (kind: string, stepId = 'review'): TimelineEvent => ({ applicationId: APP, seq: ++seq, kind, stepId, detail: {}, occurredAt: at });
const eventsOf = (kind: string) => fresh.db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, APP), eq(applicationEvents.kind, kind)));
const taskRow = async (taskId: string) => (await fresh.db.select().from(tasks).where(eq(tasks.id, taskId)))[0];
const task = (taskId: string) => ({
  taskId, applicationId: APP, stepId: 'review', title: { fa: 'بررسی', en: 'Review' }, role: 'county-office',
  county: 'tehran', province: 'tehran', outcomes: [{ name: 'accept', title: { fa: 'پذیرش', en: 'Accept' }, requiresReason: false }], dueAt: '2026-12-05T08:00:00.000Z',
});

beforeAll(async () => {
  fresh = await freshDatabase();
  activities = createDatabaseActivities(fresh.db, loadHolidayCalendar());
  await fresh.db.insert(applications).values({
    id: APP, trackingCode: APP, workflowId: `application-${APP}`, licenceType: 'welfare-services-centre', definitionVersion: 1,
    definitionHash: 'h', applicantNationalCode: '0012345678', county: 'tehran', province: 'tehran', facts: {}, submittedBy: 'test',
  });
  const sqlClient = postgres(fresh.url, { max: 1, onnotice: () => {} });
  await sqlClient.unsafe(`
    create function refuse_test_events() returns trigger language plpgsql as $$
    begin raise exception 'timeline event refused by the test'; end $$;
    create trigger refuse_test_events before insert on application_events
      for each row when (new.kind = '${REFUSED}' or new.step_id = '${REFUSED}') execute function refuse_test_events();`);
  await sqlClient.end();
});
afterAll(async () => fresh?.close());

describe('a change and its timeline event', () => {
  it('opens a task with its task-opened event, once however often it is retried', async () => {
    const opened = event('task-opened');
    await activities.openTask(task('T-1'), opened);
    await activities.openTask(task('T-1'), opened);
    expect((await taskRow('T-1'))?.status).toBe('open');
    expect((await eventsOf('task-opened')).map((e) => e.seq)).toEqual([opened.seq]);
  });

  it('opens no task when its event cannot be written', async () => {
    await expect(activities.openTask(task('T-2'), event(REFUSED))).rejects.toThrow();
    expect(await taskRow('T-2')).toBeUndefined();
  });

  it('leaves a task open, as it was, when the event of its decision or escalation cannot be written', async () => {
    await expect(activities.closeTask({ taskId: 'T-1', status: 'decided', outcome: 'accept', decidedBy: 'officer' }, event(REFUSED))).rejects.toThrow();
    await expect(activities.escalateTask({ taskId: 'T-1', role: 'province-office', county: null, province: 'tehran', dueAt: '2026-12-09T08:00:00.000Z' }, event(REFUSED))).rejects.toThrow();
    const row = await taskRow('T-1');
    expect([row?.status, row?.role, row?.escalatedAt]).toEqual(['open', 'county-office', null]);
    await activities.closeTask({ taskId: 'T-1', status: 'decided', outcome: 'accept', decidedBy: 'officer' }, event('task-decided'));
    expect((await taskRow('T-1'))?.status).toBe('decided');
    expect(await eventsOf('task-decided')).toHaveLength(1);
  });

  it('queues no notification for the portal when its event cannot be written', async () => {
    const notice = { dedupeKey: `${APP}:atomic`, subject: APP, event: 'application-approved', payload: {} };
    await expect(activities.enqueueNotification(notice, event(REFUSED))).rejects.toThrow();
    expect(await fresh.db.select().from(outbox).where(eq(outbox.subject, APP))).toEqual([]);
    await activities.enqueueNotification(notice, event('notification-queued'));
    expect((await fresh.db.select().from(outbox).where(eq(outbox.subject, APP))).map((n) => n.sequence)).toEqual([1]);
  });

  it('issues no licence, and audits none, when its event cannot be written; the retry issues it once', async () => {
    const licence = {
      applicationId: APP, kind: 'activity', title: { fa: 'پروانه', en: 'Licence' }, licenceType: 'welfare-services-centre', numberPrefix: 'TST',
      holderNationalCode: '0012345678', county: 'tehran', province: 'tehran', issuedAt: at, validUntil: '2031-12-02T08:00:00.000Z', definitionHash: 'h',
    };
    await expect(activities.issueLicence(licence, event(REFUSED))).rejects.toThrow();
    expect(await fresh.db.select().from(licences).where(eq(licences.applicationId, APP))).toEqual([]);
    expect(await fresh.db.select().from(auditLog).where(eq(auditLog.action, 'licence.issued'))).toEqual([]);
    const issued = event('licence-issued');
    const { number } = await activities.issueLicence(licence, issued);
    expect(await activities.issueLicence(licence, issued)).toEqual({ number });
    expect((await eventsOf('licence-issued')).map((e) => e.detail)).toEqual([{ number }]);
    expect((await fresh.db.select().from(auditLog).where(eq(auditLog.action, 'licence.issued'))).map((a) => a.subjectId)).toEqual([number]);
  });

  it('claims no holding when its event cannot be written', async () => {
    const claim = { holding: 'welfare-services-centre', holder: '0012345678', applicationId: APP };
    await expect(activities.claimHolding(claim, event('holding-claim', REFUSED))).rejects.toThrow();
    expect(await fresh.db.select().from(licenceHoldings).where(eq(licenceHoldings.applicationId, APP))).toEqual([]);
    expect(await activities.claimHolding(claim, event('holding-claim'))).toEqual({ granted: true });
    expect(await eventsOf('holding-claimed')).toHaveLength(1);
  });
});
