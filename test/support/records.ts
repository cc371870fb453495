/**
 * What the database recorded about a process or a licence, as tests read it back: the timeline of
 * an application, the portal notices queued for a licence, the changes run on one.
 * @example expect(await portalNotices(h, number, 'licence-renewed')).toHaveLength(1);
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { applicationEvents, applications, licences, outbox } from '../../db/schema/index.js';
import type { Harness } from './harness.js';

/** An application's timeline events of one kind (`sms-sent`, `waiting`…), in order. */
export function timelineEvents(h: Harness, applicationId: string, kind: string) {
  return h.db.db.select().from(applicationEvents)
    .where(and(eq(applicationEvents.applicationId, applicationId), eq(applicationEvents.kind, kind))).orderBy(asc(applicationEvents.seq));
}

/** The notices of one event queued for the national portal about a licence (or application), in order. */
export function portalNotices(h: Harness, subject: string, event: string) {
  return h.db.db.select().from(outbox).where(and(eq(outbox.subject, subject), eq(outbox.event, event))).orderBy(asc(outbox.id));
}

/** The applications of a lifecycle process run on a licence (its renewals, say), oldest first. */
export function changesRunOn(h: Harness, licenceNumber: string, process: string) {
  return h.db.db.select().from(applications).where(and(
    eq(applications.licenceType, process), sql`${applications.facts}->'licence'->>'number' = ${licenceNumber}`,
  )).orderBy(asc(applications.id));
}

/**
 * Records an issued activity licence for an application, as the process would, valid from a day
 * ago for 5 years: read operations and starting a change need only the row.
 */
export async function recordIssuedLicence(h: Harness, applicationId: string, number: string): Promise<void> {
  const [row] = await h.db.db.select().from(applications).where(eq(applications.id, applicationId));
  const issuedAt = new Date(Date.now() - 24 * 3600 * 1000);
  await h.db.db.insert(licences).values({
    number, kind: 'activity-licence', title: { fa: 'پروانه فعالیت', en: 'activity licence' }, licenceType: row!.licenceType,
    applicationId, holderNationalCode: row!.applicantNationalCode, county: row!.county, province: row!.province,
    issuedAt, validUntil: new Date(issuedAt.getTime() + 5 * 365 * 24 * 3600 * 1000), definitionHash: row!.definitionHash,
  });
}
