/**
 * The years of an activity licence, as its standing processes run them on the time-skipping
 * server: the quarterly staff-insurance filing, renewal reminders on the right Jalali dates, a
 * renewal started by the reminder that keeps the number, and a licence not renewed in time that
 * expires. One timeline: three centres licensed together, then years skipped.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationEvents, applications, licenceHoldings, licences, outbox, tasks } from '../db/schema/index.js';
import { formatJalali } from '../dsl/calendar.js';
import { monthLength } from '../dsl/jalali.js';
import { addDays, addMonths, quarterEnd } from '../dsl/time-functions.js';
import { api, applicationFor, decide, eventually, processEnded, taskInInbox } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';

let h: Harness;
const tokens: Record<string, string> = {};
/** Renewed (A), not renewed (B), insurance in arrears (C). */
const centre: Record<'a' | 'b' | 'c', { number: string; validUntil: Date }> = {} as never;

beforeAll(async () => {
  // No delivery workflow: its daily poll would wake 1,800 times over five years; the outbox rows are what is checked.
  h = await startHarness({ outboxDelivery: false });
  tokens.portal = await h.issuer.mint({ role: 'portal' });
  tokens.ahvaz = await h.issuer.mint({ role: 'county-office', county: 'ahvaz' });
  tokens.khuzestan = await h.issuer.mint({ role: 'province-office', province: 'khuzestan' });
});
afterAll(async () => h?.close());

async function activityLicence(nationalCode: string): Promise<{ number: string; validUntil: Date }> {
  const res = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: tokens.portal, body: await applicationFor(h, nationalCode) });
  expect(res.status, res.text).toBe(202);
  const id = res.body.applicationId;
  await decide(h, tokens.ahvaz!, (await taskInInbox(h, tokens.ahvaz!, id, 'initial-interview')).id, 'accept');
  await decide(h, tokens.khuzestan!, (await taskInInbox(h, tokens.khuzestan!, id, 'province-decision')).id, 'approve');
  await decide(h, tokens.ahvaz!, (await taskInInbox(h, tokens.ahvaz!, id, 'site-visit')).id, 'compliant');
  const number = (await processEnded(h, id)).licences['activity-licence']!.number;
  return { number, validUntil: (await licenceRow(number)).validUntil };
}

const licenceRow = async (number: string) => (await h.db.db.select().from(licences).where(eq(licences.number, number)))[0]!;
const termOf = (number: string) => `licence-${number}.welfare-activity-licence-term`;
const jalaliOf = (at: Date | string) => formatJalali(new Date(at).getTime(), h.deps.calendar);

/** A Jalali date moved by whole months, the day clamped to the month's length: how the regulation counts. */
function jalaliMonths(date: string, months: number): string {
  const [y, m, d] = date.split('/').map(Number) as [number, number, number];
  const total = m - 1 + months;
  const ty = y + Math.floor(total / 12);
  const tm = (((total % 12) + 12) % 12) + 1;
  return `${ty}/${String(tm).padStart(2, '0')}/${String(Math.min(d, monthLength(ty, tm))).padStart(2, '0')}`;
}

/** Moves process time to `at`; the sandbox registries' clock follows, so their answers are of that day. */
async function skipTo(at: string | number) {
  const target = typeof at === 'number' ? at : Date.parse(at);
  const res = await fetch(`${h.sandboxUrl}/control/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ offsetMs: target - Date.now() }) });
  expect(res.status).toBe(200);
  const now = await h.env.currentTimeMs();
  if (target > now) await h.env.sleep(target - now);
}

const eventsOf = (applicationId: string, kind: string) => h.db.db.select().from(applicationEvents)
  .where(and(eq(applicationEvents.applicationId, applicationId), eq(applicationEvents.kind, kind))).orderBy(asc(applicationEvents.seq));

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
    const [a, b, c] = await Promise.all(['0012345679', '0013579134', '0024681350'].map(activityLicence));
    Object.assign(centre, { a, b, c });
  }, 120_000);

  it('opens a county task when a quarterly staff-insurance filing is missed', async () => {
    const due = Date.parse(`${addDays(quarterEnd(new Date(await h.env.currentTimeMs()).toISOString()), 30)}T00:00:00+03:30`);
    await skipTo(due + 3_600_000);
    const insuranceOf = (number: string) => `licence-${number}.centre-staff-insurance`;
    const missed = await taskInInbox(h, tokens.ahvaz!, insuranceOf(centre.c.number), 'evidence-missing');
    expect(missed.outcomes.map((o) => o.name)).toEqual(['evidence-received', 'report-violation']);
    // The two centres whose staff are insured and paid up get no task: their filing passed the rule.
    for (const paid of [centre.a, centre.b]) {
      await eventually(async () => ((await eventsOf(insuranceOf(paid.number), 'inquiry-answered')).length > 0 ? true : undefined), 'the insurance inquiry');
      const open = await h.db.db.select().from(tasks).where(eq(tasks.applicationId, insuranceOf(paid.number)));
      expect(open).toEqual([]);
    }
    await decide(h, tokens.ahvaz!, missed.id, 'evidence-received');
  });

  it('sends the renewal reminders on the right Jalali dates: 3 months and 1 month before expiry', async () => {
    await skipTo(Date.parse(addMonths(centre.c.validUntil.toISOString(), -3)) + 3_600_000);
    for (const { number, validUntil } of [centre.a, centre.b]) {
      const reminded = await eventually(async () => (await eventsOf(termOf(number), 'portal-notified'))[0], 'the first reminder');
      expect(jalaliOf(reminded.occurredAt)).toBe(jalaliMonths(jalaliOf(validUntil), -3));
      expect((await eventsOf(termOf(number), 'step-started')).some((e) => e.stepId === 'holder-reminder')).toBe(true);
      const due = await h.db.db.select().from(outbox).where(and(eq(outbox.subject, number), eq(outbox.event, 'licence-renewal-due')));
      expect(due).toHaveLength(1);
      await taskInInbox(h, tokens.ahvaz!, termOf(number), 'county-reminder');
    }

    await skipTo(Date.parse(addMonths(centre.c.validUntil.toISOString(), -1)) + 60_000);
    for (const { number, validUntil } of [centre.a, centre.b]) {
      const last = await eventually(async () => (await eventsOf(termOf(number), 'step-started')).find((e) => e.stepId === 'last-reminder'), 'the last reminder');
      expect(jalaliOf(last.occurredAt)).toBe(jalaliMonths(jalaliOf(validUntil), -1));
      const renewal = await renewalBy(number, 'reminder');
      expect(renewal.status).toBe('running');
    }
  });

  it('renews under the same number and extends the validity by 60 months from the old expiry', async () => {
    const renewal = await renewalBy(centre.a.number, 'reminder');
    await decide(h, tokens.ahvaz!, (await taskInInbox(h, tokens.ahvaz!, renewal.id, 'site-visit', 60_000)).id, 'compliant');
    expect(await processEnded(h, renewal.id)).toMatchObject({ outcome: 'approved', reason: 'LICENCE_RENEWED' });
    const renewed = await licenceRow(centre.a.number);
    expect(renewed).toMatchObject({ number: centre.a.number, status: 'active' });
    expect(jalaliOf(renewed.validUntil)).toBe(jalaliMonths(jalaliOf(centre.a.validUntil), 60));
    expect(await h.db.db.select().from(outbox).where(and(eq(outbox.subject, centre.a.number), eq(outbox.event, 'licence-renewed')))).toHaveLength(1);

    const refused = await renewalBy(centre.b.number, 'reminder');
    await decide(h, tokens.ahvaz!, (await taskInInbox(h, tokens.ahvaz!, refused.id, 'site-visit', 60_000)).id, 'non-compliant', 'the premises no longer comply');
    expect(await processEnded(h, refused.id)).toMatchObject({ outcome: 'rejected', reason: 'RENEWAL_REFUSED' });

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
});
