/**
 * The years of an activity licence, as its standing processes run them on the time-skipping
 * server: the quarterly staff-insurance filing, renewal reminders on the right Jalali dates, a
 * renewal started by the county office or by the reminder that keeps the number, a licence not
 * renewed in time that expires, one revived by a renewal approved late (its holding with it), the
 * next term's reminders, and a late renewal refused because the holder has since been licensed for
 * another centre. One timeline: four centres licensed together, then years skipped.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationEvents, applications, licenceHoldings, licences, outbox, tasks } from '../db/schema/index.js';
import { formatJalali } from '../dsl/calendar.js';
import { monthLength } from '../platform/dates/jalali.js';
import { addDays, addMonths, quarterEnd } from '../platform/dates/time-functions.js';
import { stateQuery, workflowIdFor } from '../domain/workflow-interfaces/licence-process.js';
import { api, decide, eventually, processEnded, taskInInbox } from './support/api.js';
import { skipTo as skipTimeTo } from './support/clock.js';
import { startHarness, type Harness } from './support/harness.js';
import { throughToActivityLicence, type Applicant } from './support/journeys.js';
import { officeTokens, type OfficeTokens } from './support/tokens.js';

let h: Harness;
let tokens: OfficeTokens;
/** Renewed (A), not renewed (B), insurance in arrears and renewed late (C), renewed by the county office (D). */
const centre: Record<'a' | 'b' | 'c' | 'd', { number: string; validUntil: Date }> = {} as never;

beforeAll(async () => {
  // No delivery workflow: its daily poll would wake 1,800 times over five years; the outbox rows are what is checked.
  // A low history limit: the applications continue as new, and so should a term's workflow (about 90 events a term).
  h = await startHarness({ outboxDelivery: false, historyLimit: 50 });
  tokens = await officeTokens(h);
});
afterAll(async () => h?.close());

/** A fixture person by national code, or a generated (eligible, insured) one by seed, through to an activity licence. */
async function activityLicence(applicant: Applicant): Promise<{ number: string; validUntil: Date }> {
  const { activityLicence: number } = await throughToActivityLicence(h, { tokens, applicant });
  return { number, validUntil: (await licenceRow(number)).validUntil };
}

const applicationRow = async (id: string) => (await h.db.db.select().from(applications).where(eq(applications.id, id)))[0]!;
const licenceRow = async (number: string) => (await h.db.db.select().from(licences).where(eq(licences.number, number)))[0]!;
const termOf = (number: string) => `licence-${number}.welfare-activity-licence-term`;
const insuranceOf = (number: string) => `licence-${number}.centre-staff-insurance`;
const jalaliOf = (at: Date | string) => formatJalali(new Date(at).getTime(), h.deps.calendar);

/** A Jalali date moved by whole months, the day clamped to the month's length: how the regulation counts. */
function jalaliMonths(date: string, months: number): string {
  const [y, m, d] = date.split('/').map(Number) as [number, number, number];
  const total = m - 1 + months;
  const ty = y + Math.floor(total / 12);
  const tm = (((total % 12) + 12) % 12) + 1;
  return `${ty}/${String(tm).padStart(2, '0')}/${String(Math.min(d, monthLength(ty, tm))).padStart(2, '0')}`;
}

/** Moves process time to `at`, with the sandbox's and the gateway's clocks. */
const skipTo = (at: string | number) => skipTimeTo(h, at);

const eventsOf = (applicationId: string, kind: string) => h.db.db.select().from(applicationEvents)
  .where(and(eq(applicationEvents.applicationId, applicationId), eq(applicationEvents.kind, kind))).orderBy(asc(applicationEvents.seq));

const outboxOf = (number: string, event: string) => h.db.db.select().from(outbox).where(and(eq(outbox.subject, number), eq(outbox.event, event))).orderBy(asc(outbox.id));
const renewalsOf = (number: string) => h.db.db.select().from(applications).where(and(
  eq(applications.licenceType, 'welfare-activity-licence-renewal'), sql`${applications.facts}->'licence'->>'number' = ${number}`,
)).orderBy(asc(applications.id));
const untilOf = (waiting: { detail: unknown }) => String((waiting.detail as { until: string }).until);

/** The term's latest wait, once it is `stepId` and ends after `after`: the next window it set. */
const nextWait = (number: string, stepId: string, after: Date) => eventually(async () => {
  const last = (await eventsOf(termOf(number), 'waiting')).at(-1);
  return last?.stepId === stepId && Date.parse(untilOf(last)) > after.getTime() ? last : undefined;
}, `${termOf(number)} to wait at ${stepId}`);

async function renewalBy(number: string, requestedBy: string) {
  return eventually(async () => {
    const [row] = await h.db.db.select().from(applications).where(and(
      eq(applications.licenceType, 'welfare-activity-licence-renewal'),
      sql`${applications.facts}->'licence'->>'number' = ${number}`, sql`${applications.facts}->'change'->>'requestedBy' = ${requestedBy}`,
    ));
    return row;
  }, `a renewal of ${number} requested by ${requestedBy}`);
}

describe('the term of an activity licence', () => {
  beforeAll(async () => {
    const [a, b, c, d] = await Promise.all(['0012345679', '0013579134', '0024681350', 4101].map(activityLicence));
    Object.assign(centre, { a, b, c, d });
  }, 120_000);

  it('opens a county task when a quarterly staff-insurance filing is missed §welfare.standing.insurance', async () => {
    const due = Date.parse(`${addDays(quarterEnd(new Date(await h.env.currentTimeMs()).toISOString()), 30)}T00:00:00+03:30`);
    await skipTo(due + 3_600_000);
    const missed = await taskInInbox(h, tokens.ahvaz, insuranceOf(centre.c.number), 'evidence-missing');
    expect(missed.outcomes.map((o) => o.name)).toEqual(['evidence-received', 'report-violation']);
    // The two centres whose staff are insured and paid up get no task: their filing passed the rule.
    for (const paid of [centre.a, centre.b]) {
      await eventually(async () => ((await eventsOf(insuranceOf(paid.number), 'inquiry-answered')).length > 0 ? true : undefined), 'the insurance inquiry');
      const open = await h.db.db.select().from(tasks).where(eq(tasks.applicationId, insuranceOf(paid.number)));
      expect(open).toEqual([]);
    }
    await decide(h, tokens.ahvaz, missed.id, 'evidence-received');
  });

  it('lets the county office start the renewal from its 3-month reminder task; the renewal keeps the number §welfare.activity-licence.renewal', async () => {
    const { number, validUntil } = centre.d;
    await skipTo(Date.parse(addMonths(validUntil.toISOString(), -3)) + 3_600_000);
    const reminder = await taskInInbox(h, tokens.ahvaz, termOf(number), 'county-reminder');
    expect(reminder.outcomes.map((o) => o.name)).toEqual(['start-renewal', 'holder-applies']);
    await decide(h, tokens.ahvaz, reminder.id, 'start-renewal');

    const renewal = await renewalBy(number, 'county-office');
    expect(renewal).toMatchObject({ parentApplicationId: termOf(number), status: 'running' });
    const started = await eventually(async () => (await eventsOf(termOf(number), 'subprocess-started')).find((e) => e.stepId === 'renewal-by-county'), 'the renewal in the term\'s timeline');
    expect(started.detail).toMatchObject({ childId: renewal.id, process: 'welfare-activity-licence-renewal', detached: true });
    expect((await eventsOf(termOf(number), 'task-decided')).map((e) => (e.detail as { outcome: string }).outcome)).toEqual(['start-renewal']);

    await decide(h, tokens.ahvaz, (await taskInInbox(h, tokens.ahvaz, renewal.id, 'site-visit', 60_000)).id, 'compliant');
    expect(await processEnded(h, renewal.id)).toMatchObject({ outcome: 'approved', reason: 'LICENCE_RENEWED' });
    const renewed = await licenceRow(number);
    expect(renewed).toMatchObject({ number, status: 'active' });
    expect(jalaliOf(renewed.validUntil)).toBe(jalaliMonths(jalaliOf(validUntil), 60));
    const notices = await outboxOf(number, 'licence-renewed');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.payload).toMatchObject({ licenceNumber: number, status: 'active', validUntil: renewed.validUntil.toISOString() });
    expect((await eventsOf(renewal.id, 'sms-sent')).map((e) => (e.detail as { event: string }).event)).toEqual(['licence-renewed']);
    expect(await renewalsOf(number)).toHaveLength(1);
  });

  it('sends the renewal reminders on the right Jalali dates: 3 months and 1 month before expiry §welfare.activity-licence.renewal', async () => {
    await skipTo(Date.parse(addMonths(centre.c.validUntil.toISOString(), -3)) + 3_600_000);
    for (const { number, validUntil } of [centre.a, centre.b]) {
      const reminded = await eventually(async () => (await eventsOf(termOf(number), 'portal-notified'))[0], 'the first reminder');
      expect(jalaliOf(reminded.occurredAt)).toBe(jalaliMonths(jalaliOf(validUntil), -3));
      expect((await eventsOf(termOf(number), 'step-started')).some((e) => e.stepId === 'holder-reminder')).toBe(true);
      const due = await h.db.db.select().from(outbox).where(and(eq(outbox.subject, number), eq(outbox.event, 'licence-renewal-due')));
      expect(due).toHaveLength(1);
      await taskInInbox(h, tokens.ahvaz, termOf(number), 'county-reminder');
    }

    await skipTo(Date.parse(addMonths(centre.c.validUntil.toISOString(), -1)) + 60_000);
    for (const { number, validUntil } of [centre.a, centre.b]) {
      const last = await eventually(async () => (await eventsOf(termOf(number), 'step-started')).find((e) => e.stepId === 'last-reminder'), 'the last reminder');
      expect(jalaliOf(last.occurredAt)).toBe(jalaliMonths(jalaliOf(validUntil), -1));
      const renewal = await renewalBy(number, 'reminder');
      expect(renewal.status).toBe('running');
    }
  });

  it('sends no last reminder and starts no second renewal once the county office has renewed', async () => {
    // The test before moved time past the old expiry's last-reminder date.
    const { number, validUntil } = centre.d;
    expect(await h.env.currentTimeMs()).toBeGreaterThan(Date.parse(addMonths(validUntil.toISOString(), -1)));
    const renewed = await licenceRow(number);
    const waiting = await nextWait(number, 'until-renewal-window', validUntil);
    expect(jalaliOf(untilOf(waiting))).toBe(jalaliMonths(jalaliOf(renewed.validUntil), -3));
    const steps = (await eventsOf(termOf(number), 'step-started')).map((e) => e.stepId);
    // The wait before the last reminder read the licence again, and the step after it found it renewed.
    expect((await eventsOf(termOf(number), 'licence-read')).map((e) => e.stepId)).toContain('until-last-reminder');
    expect(steps).toContain('still-due');
    expect(steps).not.toContain('last-reminder');
    expect(await renewalsOf(number)).toHaveLength(1);
    expect(await outboxOf(number, 'licence-renewal-due')).toHaveLength(1);
  });

  it('renews under the same number and extends the validity by 60 months from the old expiry', async () => {
    const renewal = await renewalBy(centre.a.number, 'reminder');
    await decide(h, tokens.ahvaz, (await taskInInbox(h, tokens.ahvaz, renewal.id, 'site-visit', 60_000)).id, 'compliant');
    expect(await processEnded(h, renewal.id)).toMatchObject({ outcome: 'approved', reason: 'LICENCE_RENEWED' });
    const renewed = await licenceRow(centre.a.number);
    expect(renewed).toMatchObject({ number: centre.a.number, status: 'active' });
    expect(jalaliOf(renewed.validUntil)).toBe(jalaliMonths(jalaliOf(centre.a.validUntil), 60));
    expect(await h.db.db.select().from(outbox).where(and(eq(outbox.subject, centre.a.number), eq(outbox.event, 'licence-renewed')))).toHaveLength(1);

    const refused = await renewalBy(centre.b.number, 'reminder');
    await decide(h, tokens.ahvaz, (await taskInInbox(h, tokens.ahvaz, refused.id, 'site-visit', 60_000)).id, 'non-compliant', 'the premises no longer comply');
    expect(await processEnded(h, refused.id)).toMatchObject({ outcome: 'rejected', reason: 'RENEWAL_REFUSED' });

    // Centre C's renewal, started by the same reminder, has its registries' answers and waits at its
    // site visit before the month is skipped: otherwise its 20-day deadlines could pass first.
    await taskInInbox(h, tokens.ahvaz, (await renewalBy(centre.c.number, 'reminder')).id, 'site-visit', 60_000);
    // Past the old expiry, the term read the licence again: still active, the next window set from the new date.
    await skipTo(centre.c.validUntil.getTime() + 86_400_000);
    expect((await licenceRow(centre.a.number)).status).toBe('active');
    const waiting = await eventually(async () => {
      const waits = await eventsOf(termOf(centre.a.number), 'waiting');
      const last = waits.at(-1);
      return last && String((last.detail as { until: string }).until) > renewed.validUntil.toISOString().slice(0, 4) ? last : undefined;
    }, 'the next renewal window');
    expect(jalaliOf((waiting.detail as { until: string }).until)).toBe(jalaliMonths(jalaliOf(renewed.validUntil), -3));
  });

  it('expires a licence not renewed in time, tells the portal, and frees its holder to apply again', async () => {
    await eventually(async () => ((await licenceRow(centre.b.number)).status === 'expired' ? true : undefined), 'the licence to expire');
    expect(await h.db.db.select().from(outbox).where(and(eq(outbox.subject, centre.b.number), eq(outbox.event, 'licence-expired')))).toHaveLength(1);
    expect(await processEnded(h, termOf(centre.b.number))).toMatchObject({ outcome: 'approved', reason: 'LICENCE_EXPIRED' });
    const held = await h.db.db.select().from(licenceHoldings).where(eq(licenceHoldings.holderNationalCode, '0013579134'));
    expect(held).toEqual([]);
  });

  it('revives a licence that expired while its renewal ran: approved late, active again under the same number', async () => {
    const { number, validUntil } = centre.c;
    // The renewal the last reminder started was still at its site visit when the validity ran out.
    const renewal = await renewalBy(number, 'reminder');
    expect(renewal.status).toBe('running');
    await eventually(async () => ((await licenceRow(number)).status === 'expired' ? true : undefined), 'the licence to expire');
    expect(await outboxOf(number, 'licence-expired')).toHaveLength(1);
    // The term does not end: it looks again daily until the renewal is decided.
    await eventually(async () => (await eventsOf(termOf(number), 'route-chosen'))
      .find((e) => e.stepId === 'after-expiry' && (e.detail as { next: string }).next === 'until-late-renewal'), 'the term to wait for the late renewal');
    expect((await applicationRow(termOf(number))).status).toBe('running');

    await decide(h, tokens.ahvaz, (await taskInInbox(h, tokens.ahvaz, renewal.id, 'site-visit', 60_000)).id, 'compliant');
    expect(await processEnded(h, renewal.id)).toMatchObject({ outcome: 'approved', reason: 'LICENCE_RENEWED' });
    const revived = await licenceRow(number);
    expect(revived).toMatchObject({ number, status: 'active' });
    // Renewed after its expiry: the 60 months run from the day of the renewal, not from the lapsed date.
    const [amended] = await eventsOf(renewal.id, 'licence-amended');
    expect(jalaliOf(amended!.occurredAt) > jalaliOf(validUntil)).toBe(true);
    expect(jalaliOf(revived.validUntil)).toBe(jalaliMonths(jalaliOf(amended!.occurredAt), 60));
    const notices = await outboxOf(number, 'licence-renewed');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.payload).toMatchObject({ licenceNumber: number, status: 'active', validUntil: revived.validUntil.toISOString() });

    // On its next daily look the term finds the licence active again and waits for the new renewal window.
    await skipTo((await h.env.currentTimeMs()) + 2 * 86_400_000);
    const waiting = await nextWait(number, 'until-renewal-window', validUntil);
    expect(jalaliOf(untilOf(waiting))).toBe(jalaliMonths(jalaliOf(revived.validUntil), -3));
    expect((await applicationRow(termOf(number))).status).toBe('running');
  });

  it('refuses a renewal requested once the licence has expired at once, as too late: only a renewal already running revives it', async () => {
    const { number } = centre.b;
    const res = await api<{ type: string; reason: string; title_fa: string }>(h, 'POST', `/v1/licences/${number}/changes/renewal`, { token: tokens.ahvaz, body: { requestedBy: 'county-office' } });
    expect(res.status, res.text).toBe(422);
    expect(res.body).toMatchObject({ type: 'https://parvaneh.example/problems/change-refused', reason: 'RENEWAL_TOO_LATE', title_fa: expect.any(String) });
    expect((await renewalsOf(number)).filter((r) => (r.facts as { change: { requestedBy: string } }).change.requestedBy === 'county-office')).toEqual([]);
    expect((await licenceRow(number)).status).toBe('expired');
    expect(await outboxOf(number, 'licence-renewed')).toEqual([]);
  });

  it('gives the holder back the one-centre holding when a late renewal revives the licence', async () => {
    const revived = await licenceRow(centre.c.number);
    expect(revived.status).toBe('active');
    const held = await h.db.db.select().from(licenceHoldings).where(eq(licenceHoldings.holderNationalCode, '0024681350'));
    expect(held.map((r) => ({ holding: r.holding, applicationId: r.applicationId }))).toEqual([{ holding: 'welfare-services-centre', applicationId: revived.applicationId }]);
  });

  it('continues as new within a term once its history passes the limit', async () => {
    const term = await h.client.workflow.getHandle(workflowIdFor(termOf(centre.a.number))).query(stateQuery);
    expect(term.runs).toBeGreaterThan(1);
  });

  it('reminds again on the next term\'s dates: reminder, county task and renewal each new, none taken for a repeat', async () => {
    const { number } = centre.a;
    const renewed = await licenceRow(number);
    await skipTo(Date.parse(addMonths(renewed.validUntil.toISOString(), -3)) + 3_600_000);
    const reminders = await eventually(async () => {
      const told = await eventsOf(termOf(number), 'portal-notified');
      return told.length === 2 ? told : undefined;
    }, 'the second term\'s first reminder');
    expect(jalaliOf(reminders[1]!.occurredAt)).toBe(jalaliMonths(jalaliOf(renewed.validUntil), -3));
    // The notification's dedupe key and the task's id are per entry of the step: a resumed run must not reuse them.
    expect(await outboxOf(number, 'licence-renewal-due')).toHaveLength(2);
    const texted = (await eventsOf(termOf(number), 'sms-sent')).filter((e) => (e.detail as { event: string }).event === 'licence-renewal-due');
    expect(texted).toHaveLength(2);
    const task = await taskInInbox(h, tokens.ahvaz, termOf(number), 'county-reminder');
    const countyReminders = await h.db.db.select().from(tasks).where(and(eq(tasks.applicationId, termOf(number)), eq(tasks.stepId, 'county-reminder')));
    expect(countyReminders.map((t) => t.status).sort()).toEqual(['expired', 'open']);
    expect(countyReminders.find((t) => t.status === 'open')!.id).toBe(task.id);

    await skipTo(Date.parse(addMonths(renewed.validUntil.toISOString(), -1)) + 60_000);
    const renewals = await eventually(async () => {
      const byReminder = (await renewalsOf(number)).filter((r) => (r.facts as { change: { requestedBy: string } }).change.requestedBy === 'reminder');
      return byReminder.length === 2 ? byReminder : undefined;
    }, 'the second renewal started by the last reminder');
    expect(renewals.map((r) => r.status)).toEqual(['approved', 'running']);
    const last = (await eventsOf(termOf(number), 'step-started')).filter((e) => e.stepId === 'last-reminder');
    expect(last).toHaveLength(2);
    expect(jalaliOf(last[1]!.occurredAt)).toBe(jalaliMonths(jalaliOf(renewed.validUntil), -1));
  });
  it('refuses a late renewal once the holder has taken the centre holding through another licence: the licence stays expired', async () => {
    const { number } = centre.a;
    const lapsing = await licenceRow(number);
    const renewal = (await renewalsOf(number)).at(-1)!;
    const renewedBefore = (await outboxOf(number, 'licence-renewed')).length;
    // The renewal's registries have answered before the month is skipped: otherwise its 20-day
    // deadlines could pass first and end it unanswered, a different story from this one.
    await eventually(async () => ((await eventsOf(renewal.id, 'inquiry-answered')).length === 3 ? true : undefined), 'the renewal\'s three inquiries answered');
    await skipTo(lapsing.validUntil.getTime() + 3_600_000);
    await eventually(async () => ((await licenceRow(number)).status === 'expired' ? true : undefined), 'the licence to expire');

    // While the renewal may still revive it, the staff-insurance filing skips the quarter instead of ending.
    const insuranceWait = await eventually(async () => {
      const last = (await eventsOf(insuranceOf(number), 'waiting')).at(-1);
      return last && Date.parse(untilOf(last)) > lapsing.validUntil.getTime() ? last : undefined;
    }, 'the staff-insurance filing to wait for its deadline');
    await skipTo(Date.parse(untilOf(insuranceWait)) + 3_600_000);
    await eventually(async () => (await eventsOf(insuranceOf(number), 'route-chosen'))
      .find((e) => e.stepId === 'in-force' && e.occurredAt.getTime() > lapsing.validUntil.getTime() && (e.detail as { next: string }).next === 'which-quarter'), 'the filing to skip the quarter');
    expect((await applicationRow(insuranceOf(number))).status).toBe('running');

    // Free of its holding since the expiry, the holder is licensed for another centre; then the renewal is approved.
    const other = await activityLicence('0012345679');
    await decide(h, tokens.ahvaz, (await taskInInbox(h, tokens.ahvaz, renewal.id, 'site-visit', 60_000)).id, 'compliant');
    expect(await processEnded(h, renewal.id)).toMatchObject({ outcome: 'rejected', reason: 'ONE_CENTRE_LICENCE_PER_PERSON' });
    const [refused] = await eventsOf(renewal.id, 'licence-amend-refused');
    expect(refused!.detail).toMatchObject({ action: 'renew', currentStatus: 'expired', refusal: 'holder-holds-holding' });
    expect(await licenceRow(number)).toMatchObject({ status: 'expired', validUntil: lapsing.validUntil });
    expect(await outboxOf(number, 'licence-renewed')).toHaveLength(renewedBefore);
    const held = await h.db.db.select().from(licenceHoldings).where(eq(licenceHoldings.holderNationalCode, '0012345679'));
    expect(held.map((r) => r.applicationId)).toEqual([(await licenceRow(other.number)).applicationId]);

    // With no renewal left to revive it, the term and, at its next deadline, the filing end.
    await skipTo((await h.env.currentTimeMs()) + 2 * 86_400_000);
    expect(await processEnded(h, termOf(number))).toMatchObject({ outcome: 'approved', reason: 'LICENCE_EXPIRED' });
    const nextDue = (await eventsOf(insuranceOf(number), 'waiting')).at(-1)!;
    await skipTo(Date.parse(untilOf(nextDue)) + 3_600_000);
    expect(await processEnded(h, insuranceOf(number))).toMatchObject({ outcome: 'approved', reason: 'LICENCE_ENDED' });
  });
});
