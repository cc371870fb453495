/**
 * The Health Services Office call end to end on the time-skipping Temporal server and PostgreSQL:
 * 200 applicants registered through the call service, each running the call file's steps in the
 * generic licence process against the sandbox registries, ranked together by the call workflow.
 * The tests of the cohort run in order: each picks up the call where the one before left it.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { applicationEvents, applications, competitionEntries, licences, outbox, tasks } from '../db/schema/index.js';
import { smsGateway } from '../domain/messaging/sms.js';
import { formatJalali, isWorkingDay, parseJalali, resolveDeadline } from '../dsl/calendar.js';
import { recordExamResults, registerInCompetition, competitionRanking } from '../services/competitions.js';
import { withdrawApplication } from '../services/applications.js';
import { DomainError } from '../services/errors.js';
import { api, eventually, sandboxInquiries } from './support/api.js';
import * as support from './support/competitions.js';
import { CALL_FILE_V1, CALL_FILE_V2, callProcessesDir, ctxAt, decideAs, examOrganiser, openTask, openTasks, portal, registrationFor, writeCallVariant } from './support/competitions.js';
import { startHarness, type Harness } from './support/harness.js';

const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;
let h: Harness;
let dir: string;

beforeAll(async () => {
  dir = callProcessesDir();
  // A low history limit: the call's workflow (and the applicants') continue as new mid-call.
  h = await startHarness({ processesDir: dir, historyLimit: 400 });
}, 120_000);
afterAll(async () => h?.close());

const jalali = (ms: number) => formatJalali(ms, h.deps.calendar);
const jalaliTime = (ms: number) => formatJalali(ms, h.deps.calendar, true);
const statusOf = (applicationId: string) => support.statusOf(h, applicationId);
const ended = (applicationId: string) => support.ended(h, applicationId);
const callStage = (callId: string, stage: string) => support.callStage(h, callId, stage);
const entriesOf = (callId: string) => support.entriesOf(h, callId);

/** The published rule written out by hand: score + bonus, then exam, degree, registration, tracking code. Best first. */
function byPublishedRule(entries: (typeof competitionEntries.$inferSelect)[]) {
  const level: Record<string, number> = { phd: 30, master: 25, bachelor: 20 };
  const health = ['environmental-health', 'occupational-health', 'public-health', 'food-hygiene', 'nursing'];
  return entries.map((e) => {
    const f = e.facts as { education: { highest: { level: string; field: string } }; application: { documents: string[]; submittedAt: string; trackingCode: string } };
    const total = level[f.education.highest.level]! + (health.includes(f.education.highest.field) ? 20 : 10) + e.examScore! * 0.5
      + (f.application.documents.includes('guild-school-licence') ? 10 : 0);
    return { id: e.applicationId, university: e.university, total, exam: e.examScore!, degree: { phd: 3, master: 2, bachelor: 1 }[f.education.highest.level]!, at: f.application.submittedAt, code: f.application.trackingCode };
  }).sort((a, b) => b.total - a.total || b.exam - a.exam || b.degree - a.degree || (a.at < b.at ? -1 : a.at > b.at ? 1 : 0) || (a.code < b.code ? -1 : 1));
}

/** The call's definition as the catalogue holds it now. */
const callSectionOf = async (callId: string) => h.catalogue.current(callId, await h.env.currentTimeMs())!.definition.call!;

/**
 * Registers `inputs` in the call, accepts every document review, and lets the documents deadline
 * pass: the call is then waiting for the exam results.
 * @returns the application ids, in the order of `inputs`.
 */
async function throughDocuments(callId: string, inputs: Awaited<ReturnType<typeof registrationFor>>[]): Promise<string[]> {
  const call = await callSectionOf(callId);
  const at = await h.env.currentTimeMs();
  const ids: string[] = [];
  for (const input of inputs) ids.push((await registerInCompetition({ ctx: ctxAt(h, portal, at), callId, input })).applicationId);
  for (const task of await openTasks(h, ids, 'document-review')) await decideAs(h, task, 'accept');
  await support.eligibleCount(h, callId, ids.length);
  const documentsDue = resolveDeadline(call.lateDocuments.after, parseJalali(call.registration.closes, h.deps.calendar), h.deps.calendar);
  await h.env.sleep(documentsDue - (await h.env.currentTimeMs()) + HOUR);
  await callStage(callId, 'exam');
  return ids;
}

describe('the calls API', () => {
  it('registers through the portal and shows the ranking to integrators, signed, without national codes', async () => {
    const now = await h.env.currentTimeMs();
    const callId = 'hso-call-http';
    writeCallVariant(dir, callId, { effectiveFrom: jalali(now - DAY), 'call.registration.opens': jalali(now - DAY), 'call.registration.closes': jalali(now + 3 * DAY) });
    h.reloadDefinitions();
    const portalToken = await h.issuer.mint({ role: 'portal' });
    const input = await registrationFor(55_001);
    const registered = await api<{ applicationId: string; university: string }>(h, 'POST', `/v1/calls/${callId}/registrations`, { token: portalToken, body: input });
    expect(registered.status, registered.text).toBe(202);
    expect(registered.body.university).toBe('arak');
    const refused = await api(h, 'POST', `/v1/calls/${callId}/registrations`, { token: portalToken, body: { ...input, documents: ['photo'] } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ field: 'documents' });
    const integrator = await h.issuer.mint({ role: 'integrator' });
    const ranking = await api<{ items: { applicationId: string; status: string }[] }>(h, 'GET', `/v1/calls/${callId}/ranking`, { token: integrator });
    expect(ranking.status).toBe(200);
    expect(ranking.body.items).toMatchObject([{ applicationId: registered.body.applicationId, status: 'registered' }]);
    expect(ranking.text).not.toContain(input.applicant.nationalCode);
  });
});

describe('a competitive call of 200 applicants', () => {
  const callId = 'hso-call-ranking';
  let opensAt: number;
  let closesAt: number;
  const registered: { applicationId: string; trackingCode: string; university: string; seed: number; employment: string }[] = [];
  let lateApplicant: string;
  let officialEmployee: string;
  const examPercent = (seed: number) => [40, 55, 60, 70, 80][seed % 5]!;

  beforeAll(async () => {
    const now = await h.env.currentTimeMs();
    opensAt = parseJalali(jalali(now), h.deps.calendar);
    closesAt = parseJalali(jalali(now + 3 * DAY), h.deps.calendar);
    // The cohort's machinery on version 2, whose selected applicants are licensed on a resignation
    // alone; version 3's staff step before the licence is in health-services-call-v3.test.ts.
    writeCallVariant(dir, callId, { effectiveFrom: jalali(now), 'call.registration.opens': jalali(now), 'call.registration.closes': jalali(closesAt) }, { from: CALL_FILE_V2 });
    h.reloadDefinitions();
  });

  it('refuses a registration without a military-service card, and one outside the window', async () => {
    const now = await h.env.currentTimeMs();
    let man = await registrationFor(9_001);
    for (let seed = 9_002; man.applicant.sex !== 'male'; seed++) man = await registrationFor(seed);
    const withoutCard = { ...man, documents: man.documents.filter((d) => d !== 'military-service-card') };
    await expect(registerInCompetition({ ctx: ctxAt(h, portal, now), callId, input: withoutCard })).rejects.toMatchObject({ code: 'missing-documents', detail: 'military-service-card' });
    await expect(registerInCompetition({ ctx: ctxAt(h, portal, closesAt), callId, input: man })).rejects.toMatchObject({ code: 'registration-closed' });
    await expect(registerInCompetition({ ctx: ctxAt(h, portal, opensAt - 1), callId, input: man })).rejects.toBeInstanceOf(DomainError);
  });

  it('§health.interview.shortlist §health.score: a call with 200 applicants ranks them by the published rule, breaks ties by it and invites 3 × each university\'s need', async () => {
    const start = await h.env.currentTimeMs();
    for (let i = 0; i < 200; i++) {
      // Ten at a time share one registration moment, so the tracking code must settle some ties.
      const at = start + Math.floor(i / 10) * 60_000;
      const input = await registrationFor(10_000 + i, { guildSchool: i % 4 === 0 });
      const employment = input.county === 'dezful' ? 'contract' : i === 7 ? 'official' : 'none';
      input.applicant.employment = employment;
      const r = await registerInCompetition({ ctx: ctxAt(h, portal, at), callId, input });
      registered.push({ ...r, seed: 10_000 + i, employment });
    }
    officialEmployee = registered[7]!.applicationId;
    expect(await ended(officialEmployee)).toEqual({ status: 'rejected', reason: 'OFFICIAL_GOVERNMENT_EMPLOYEE' });
    await expect(registerInCompetition({ ctx: ctxAt(h, portal, start), callId, input: await registrationFor(10_001) })).rejects.toMatchObject({ code: 'already-registered' });

    // Every document review answered within its 72 hours, with an SMS; one left incomplete.
    const reviewed = registered.filter((r) => r.applicationId !== officialEmployee);
    lateApplicant = reviewed[0]!.applicationId;
    const reviews = await openTasks(h, reviewed.map((r) => r.applicationId), 'document-review', 240_000);
    for (const task of reviews) await decideAs(h, task, task.applicationId === lateApplicant ? 'incomplete' : 'accept', task.applicationId === lateApplicant ? 'the degree scan is unreadable' : undefined);
    await support.eligibleCount(h, callId, reviewed.length - 1, 240_000);
    const sms = await h.db.db.select().from(applicationEvents).where(and(eq(applicationEvents.kind, 'sms-sent'), eq(applicationEvents.stepId, 'documents-accepted-sms')));
    expect(sms.length).toBe(reviewed.length - 1);

    // The documents deadline: 72 working hours after registration closes.
    const documentsDue = resolveDeadline({ workingHours: 72 }, closesAt, h.deps.calendar);
    await h.env.sleep(documentsDue - (await h.env.currentTimeMs()) + HOUR);
    await callStage(callId, 'exam');

    const results = registered.filter((r) => r.applicationId !== officialEmployee).map((r) => ({ applicationId: r.applicationId, score: examPercent(r.seed) }));
    await recordExamResults({ ctx: ctxAt(h, examOrganiser), callId, input: { results } });
    await callStage(callId, 'interviews');

    const entries = await entriesOf(callId);
    const cohort = entries.filter((e) => e.facts !== null);
    const expected = byPublishedRule(cohort.filter((e) => e.examScore! >= 50));

    for (const university of ['ahvaz-jundishapur', 'dezful', 'arak']) {
      const mine = expected.filter((x) => x.university === university).map((x) => x.id);
      const ranked = cohort.filter((e) => e.university === university && e.shortlistRank !== null).sort((a, b) => a.shortlistRank! - b.shortlistRank!).map((e) => e.applicationId);
      expect(ranked, university).toEqual(mine);
      const capacity = { 'ahvaz-jundishapur': 3, dezful: 1, arak: 2 }[university]!;
      const invited = cohort.filter((e) => e.university === university && e.status === 'shortlisted').map((e) => e.applicationId);
      expect(invited.sort(), `${university} invites 3 × its need`).toEqual(mine.slice(0, capacity * 3).sort());
    }
    // Ties did happen, and each tie-breaker settled some: the exam, the registration moment, the tracking code.
    const decidedBy = new Set(cohort.map((e) => (e.standing as { decidedBy: number | null } | null)?.decidedBy));
    expect([...decidedBy]).toEqual(expect.arrayContaining([-1, 0, 2, 3]));
    for (const e of cohort.filter((x) => x.examScore! < 50)) expect(e).toMatchObject({ status: 'refused', reason: 'EXAM_BELOW_PASS_MARK' });
    expect(await ended(cohort.find((x) => x.examScore! < 50)!.applicationId)).toEqual({ status: 'rejected', reason: 'EXAM_BELOW_PASS_MARK' });

    const view = await competitionRanking({ ctx: ctxAt(h, { subject: 'integrator:test', role: 'integrator' }), callId });
    expect(view.items.length).toBe(200);
    expect(JSON.stringify(view)).not.toMatch(/"\d{10}"/);
  }, 600_000);

  it('refuses LATE_DOCUMENTS to an applicant whose documents were not accepted by the review deadline', async () => {
    expect(await ended(lateApplicant)).toEqual({ status: 'rejected', reason: 'LATE_DOCUMENTS' });
    const [entry] = await h.db.db.select().from(competitionEntries).where(eq(competitionEntries.applicationId, lateApplicant));
    expect(entry).toMatchObject({ status: 'refused', reason: 'LATE_DOCUMENTS' });
    const [review] = await h.db.db.select().from(tasks).where(and(eq(tasks.applicationId, lateApplicant), eq(tasks.status, 'cancelled')));
    expect(review?.stepId).toBe('document-review');
  });

  it('gives the interview place of an invited applicant who withdraws to the next in rank', async () => {
    const arak = (await entriesOf(callId)).filter((e) => e.university === 'arak' && e.shortlistRank !== null).sort((a, b) => a.shortlistRank! - b.shortlistRank!);
    const leaving = arak[0]!;
    const next = arak.find((e) => e.status === 'waitlisted')!;
    expect(next.shortlistRank).toBe(7);
    await openTask(h, leaving.applicationId, 'interview');
    await withdrawApplication({ ctx: ctxAt(h, portal), applicationId: leaving.applicationId, reason: 'moved abroad' });
    expect(await ended(leaving.applicationId)).toEqual({ status: 'withdrawn', reason: 'WITHDRAWN_BY_APPLICANT' });
    await openTask(h, next.applicationId, 'interview');
    const [moved] = await h.db.db.select().from(competitionEntries).where(eq(competitionEntries.applicationId, next.applicationId));
    expect(moved).toMatchObject({ status: 'shortlisted', invited: true });
  }, 120_000);

  it('§health.selection.by-score: licenses each university\'s need by the final ranking, and a place given up moves to the next reserve', async () => {
    const invited = (await entriesOf(callId)).filter((e) => e.status === 'shortlisted');
    expect(invited.length).toBe(18);
    const interviews = await openTasks(h, invited.map((e) => e.applicationId), 'interview');
    const failing = interviews.find((t) => invited.find((e) => e.applicationId === t.applicationId)!.university === 'ahvaz-jundishapur')!;
    for (const task of interviews) await decideAs(h, task, task === failing ? 'failed' : 'passed', task === failing ? 'not ready to run an office' : undefined);
    expect(await ended(failing.applicationId)).toEqual({ status: 'rejected', reason: 'REJECTED_AT_INTERVIEW' });
    await callStage(callId, 'reserves');

    const final = (await entriesOf(callId)).filter((e) => e.finalRank !== null);
    for (const [university, capacity] of [['ahvaz-jundishapur', 3], ['dezful', 1], ['arak', 2]] as const) {
      const mine = final.filter((e) => e.university === university).sort((a, b) => a.finalRank! - b.finalRank!);
      expect(mine.filter((e) => e.status === 'selected').map((e) => e.finalRank)).toEqual(Array.from({ length: capacity }, (_, i) => i + 1));
    }
    // Dezful's one place: its first is a contract employee who records no resignation; the next moves up.
    const dezful = final.filter((e) => e.university === 'dezful').sort((a, b) => a.finalRank! - b.finalRank!);
    const first = await openTask(h, dezful[0]!.applicationId, 'resignation');
    await decideAs(h, first, 'not-recorded', 'stays in the contract post');
    expect(await ended(dezful[0]!.applicationId)).toEqual({ status: 'rejected', reason: 'RESIGNATION_NOT_RECORDED' });
    const second = await openTask(h, dezful[1]!.applicationId, 'resignation');
    await decideAs(h, second, 'recorded');
    expect(await ended(dezful[1]!.applicationId)).toEqual({ status: 'approved', reason: 'OFFICE_LICENSED' });

    await callStage(callId, 'closed');
    const summary = await h.client.workflow.getHandle(`call-${callId}`).result() as { runs: number };
    expect(summary.runs, 'the call continued as new').toBeGreaterThan(1);
    const issued = await h.db.db.select().from(licences).where(inArray(licences.applicationId, registered.map((r) => r.applicationId)));
    expect(issued.length).toBe(6);
    for (const l of issued) expect(l.number).toMatch(/^HSO-14\d\d-\d{6}$/);
    const reserve = final.find((e) => e.status === 'reserve' && e.university === 'arak')!;
    expect(await ended(reserve.applicationId)).toEqual({ status: 'rejected', reason: 'NOT_SELECTED' });
    // The closing verdicts reach the last applications a moment after the call records them.
    await eventually(async () => {
      const open = await h.db.db.select({ id: applications.id }).from(applications)
        .where(and(inArray(applications.id, registered.map((r) => r.applicationId)), eq(applications.status, 'running')));
      return open.length === 0 ? true : undefined;
    }, 'every application of the call to end');
    const outcomes = await h.db.db.select({ reason: applications.outcomeReason }).from(applications).where(inArray(applications.id, registered.map((r) => r.applicationId)));
    const count = (reason: string) => outcomes.filter((o) => o.reason === reason).length;
    expect(count('OFFICE_LICENSED')).toBe(6);
    expect(count('NOT_SELECTED') + count('NOT_SHORTLISTED') + count('EXAM_BELOW_PASS_MARK')).toBeGreaterThan(150);
  }, 300_000);
});

/**
 * Seed 000, FAQ 14 (شماره ۱۴ پرسش‌های متداول): «نتیجه بررسی مدارک 72 ساعت پس از ثبت در سامانه به
 * متقاضی اطلاع داده خواهد شد. در صورت عدم دریافت پیامک تایید، با واحد پشتیبانی به شماره اعلام شده
 * در فراخوان تماس بگیرید.» 72 clock hours from registration, told by SMS; the support contact when
 * it is not. Shown across a holiday, where 72 working hours would be a day or more later.
 */
describe('document review (seed 000, FAQ 14)', () => {
  const SUPPORT = 'با واحد پشتیبانی به شماره اعلام شده در فراخوان تماس بگیرید';
  const callId = 'hso-call-review';
  const pinnedCallId = 'hso-call-opened-under-v1';
  let eve: number;
  let off: number;
  let reviewed: { applicationId: string; nationalCode: string; registeredAt: number };
  let pinnedApplicant: string;

  /** The days off (weekend, holidays) among the three days after `ms`'s day, counted as working hours skip them. */
  const daysOffWithin72WorkingHours = (ms: number) => {
    let day = ms;
    let working = 0;
    let skipped = 0;
    while (working < 3) {
      day += DAY;
      if (isWorkingDay(day, h.deps.calendar)) working++;
      else skipped++;
    }
    return skipped;
  };
  const openedAtOf = async (applicationId: string) => {
    const [opened] = await h.db.db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, applicationId), eq(applicationEvents.kind, 'task-opened')));
    return opened!.occurredAt.getTime();
  };
  const eventsAt = (applicationId: string, stepId: string, kind: string) => h.db.db.select().from(applicationEvents)
    .where(and(eq(applicationEvents.applicationId, applicationId), eq(applicationEvents.stepId, stepId), eq(applicationEvents.kind, kind)));

  beforeAll(async () => {
    const cal = h.deps.calendar;
    const now = await h.env.currentTimeMs();
    // The next listed holiday whose eve is a working day, at least two days away.
    const holiday = cal.holidays.map((d) => parseJalali(d.date, cal)).find((ms) => ms - DAY > now + 2 * DAY && isWorkingDay(ms - DAY, cal));
    expect(holiday, 'processes/calendar/iran.yaml lists a holiday ahead').toBeDefined();
    eve = holiday! - DAY + 10 * HOUR;
    const window = { effectiveFrom: jalali(now), 'call.registration.opens': jalali(now), 'call.registration.closes': jalali(holiday! + 20 * DAY) };
    // A call that opened under version 1 (its first registration pins it), before version 2 was published.
    writeCallVariant(dir, pinnedCallId, window, { from: CALL_FILE_V1, file: `${pinnedCallId}-v1.yaml` });
    h.reloadDefinitions();
    await registerInCompetition({ ctx: ctxAt(h, portal, now), callId: pinnedCallId, input: await registrationFor(77_101) });
    writeCallVariant(dir, pinnedCallId, window, { from: CALL_FILE_V2, file: `${pinnedCallId}-v2.yaml` });
    // The call as new calls take it (version 3), which keeps version 2's review.
    writeCallVariant(dir, callId, window);
    h.reloadDefinitions();
    await h.env.sleep(eve - now);
    off = daysOffWithin72WorkingHours(eve);
    expect(off, 'a day off falls within the 72 hours, so working and clock hours differ').toBeGreaterThanOrEqual(1);
    ({ applicationId: pinnedApplicant } = await registerInCompetition({ ctx: ctxAt(h, portal, eve), callId: pinnedCallId, input: await registrationFor(77_102) }));
  }, 120_000);

  it('§health.review.result-in-72-hours: the document review result is due 72 clock hours after registration, across a holiday, not 72 working hours (seed 000, FAQ 14)', async () => {
    const registeredAt = await h.env.currentTimeMs();
    const input = await registrationFor(77_001);
    const { applicationId } = await registerInCompetition({ ctx: ctxAt(h, portal, registeredAt), callId, input });
    reviewed = { applicationId, nationalCode: input.applicant.nationalCode, registeredAt };
    const [pinnedTo] = await h.db.db.select({ version: applications.definitionVersion }).from(applications).where(eq(applications.id, applicationId));
    expect(pinnedTo!.version, 'the call as new calls take it, which keeps version 2\'s review').toBe(3);
    const review = await openTask(h, applicationId, 'document-review');
    const openedAt = await openedAtOf(applicationId);
    expect(review.dueAt.getTime() - openedAt).toBe(72 * HOUR);
    // The review opens as the registration's inquiries are answered: moments after it.
    expect(review.dueAt.getTime() - registeredAt).toBeGreaterThanOrEqual(72 * HOUR);
    expect(review.dueAt.getTime() - registeredAt).toBeLessThan(72 * HOUR + 10 * 60_000);
    expect(jalaliTime(review.dueAt.getTime())).toBe(jalaliTime(openedAt + 3 * DAY));
  }, 120_000);

  it('§health.review.result-in-72-hours: a late document review texts the applicant the support contact, and tells the portal as before (seed 000, FAQ 14)', async () => {
    const { applicationId, nationalCode } = reviewed;
    const review = await openTask(h, applicationId, 'document-review');
    // Not overdue a minute before; overdue just after: an SMS to the applicant, the portal told, the review reopened.
    await h.env.sleep(review.dueAt.getTime() - (await h.env.currentTimeMs()) - 60_000);
    const overdue = () => h.db.db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, applicationId), eq(applicationEvents.kind, 'task-overdue')));
    expect(await overdue()).toEqual([]);
    await h.env.sleep(2 * 60_000);
    await eventually(async () => ((await overdue()).length > 0 ? true : undefined), 'the review to be overdue');
    const [texted] = await eventually(async () => {
      const rows = await eventsAt(applicationId, 'review-overdue-sms', 'sms-sent');
      return rows.length > 0 ? rows : undefined;
    }, 'the late-review SMS');
    expect(texted!.detail).toMatchObject({ event: 'documents-review-late' });
    await eventually(async () => ((await eventsAt(applicationId, 'review-overdue', 'portal-notified')).length > 0 ? true : undefined), 'the portal told');
    const [notice] = await h.db.db.select().from(outbox).where(and(eq(outbox.event, 'decision-overdue'), eq(outbox.subject, applicationId)));
    expect(notice, 'the portal notice of the late review').toBeDefined();

    // The message the call sends carries the seed's support contact, and it is what the operator got:
    // the sandbox keeps no SMS text, but replays an SMS id only for the very same body (else 422).
    const message = h.catalogue.pinned((await h.db.db.select().from(applications).where(eq(applications.id, applicationId)))[0]!.definitionHash)!
      .definition.steps['review-overdue-sms'] as { message: { fa: string } };
    expect(message.message.fa).toContain(SUPPORT);
    // The first SMS the applicant gets: the result is not out yet.
    const sent = (await sandboxInquiries(h, nationalCode)).filter((i) => i.registry === 'sms');
    expect(sent).toHaveLength(1);
    const resend = (text: string) => fetch(`${h.sandboxUrl}/registries/sms/inquiries`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': sent[0]!.inquiryId },
      body: JSON.stringify(smsGateway.body({ inquiryId: sent[0]!.inquiryId, nationalCode, message: text, requester: 'parvaneh-licence-process' })),
    });
    expect((await resend(message.message.fa)).status).toBe(200);
    expect((await resend('مدارک شما در حال بررسی است.')).status).toBe(422);

    const again = await openTask(h, applicationId, 'document-review');
    await decideAs(h, again, 'accept');
    await eventually(async () => ((await eventsAt(applicationId, 'documents-accepted-sms', 'sms-sent')).length > 0 ? true : undefined), 'the documents-accepted SMS');
  }, 180_000);

  it('a call opened under version 1 keeps it: its review stays due in 72 working hours though version 2 is in effect', async () => {
    expect(h.catalogue.current(pinnedCallId, await h.env.currentTimeMs())!.definition.version).toBe(2);
    const applicationId = pinnedApplicant;
    const [row] = await h.db.db.select({ version: applications.definitionVersion }).from(applications).where(eq(applications.id, applicationId));
    expect(row!.version).toBe(1);
    const review = await openTask(h, applicationId, 'document-review');
    const openedAt = await openedAtOf(applicationId);
    expect(openedAt - eve).toBeLessThan(10 * 60_000);
    expect(review.dueAt.getTime() - openedAt).toBe((72 + 24 * off) * HOUR);
  }, 120_000);
});

describe('applicants absent from the exam or the interview', () => {
  const callId = 'hso-call-absences';
  let ids: string[];
  let examRecordedAt: number;

  beforeAll(async () => {
    const now = await h.env.currentTimeMs();
    // Version 2: the one licensed there needs no staff recorded (version 3's step, tested elsewhere).
    writeCallVariant(dir, callId, { effectiveFrom: jalali(now), 'call.registration.opens': jalali(now), 'call.registration.closes': jalali(now + 2 * DAY) }, { from: CALL_FILE_V2 });
    h.reloadDefinitions();
  });

  it('refuses EXAM_ABSENT to an applicant with no exam result, and ranks only those who sat it', async () => {
    // Six applicants for Dezful's one office (three invitations); the first does not sit the exam.
    ids = await throughDocuments(callId, await Promise.all(Array.from({ length: 6 }, (_, i) => registrationFor(61_000 + i, { county: 'dezful' }))));
    const [absent, ...sat] = ids;
    examRecordedAt = await h.env.currentTimeMs();
    await recordExamResults({ ctx: ctxAt(h, examOrganiser), callId, input: { results: sat.map((applicationId, i) => ({ applicationId, score: 95 - 7 * i })) } });
    await callStage(callId, 'interviews');

    expect(await ended(absent!)).toEqual({ status: 'rejected', reason: 'EXAM_ABSENT' });
    const entries = await entriesOf(callId);
    expect(entries.find((e) => e.applicationId === absent)).toMatchObject({ status: 'refused', reason: 'EXAM_ABSENT', examScore: null, shortlistRank: null, invited: false });
    const [refused] = await h.db.db.select().from(applicationEvents)
      .where(and(eq(applicationEvents.applicationId, absent!), eq(applicationEvents.kind, 'cohort-refused')));
    expect(refused).toMatchObject({ stepId: 'shortlist', detail: { stage: 'shortlist', reason: 'EXAM_ABSENT' } });

    const ranked = entries.filter((e) => e.shortlistRank !== null).sort((a, b) => a.shortlistRank! - b.shortlistRank!);
    expect(ranked.map((e) => e.applicationId)).toEqual(byPublishedRule(entries.filter((e) => sat.includes(e.applicationId))).map((x) => x.id));
    const { interview, universities } = await callSectionOf(callId);
    const places = universities.dezful!.capacity * interview!.multiple;
    expect(ranked.map((e) => e.status)).toEqual(ranked.map((_, i) => (i < places ? 'shortlisted' : 'waitlisted')));
  }, 120_000);

  it('refuses INTERVIEW_NOT_HELD to an invited applicant not interviewed within the interview window; the office goes to the best interviewed, nobody moves up', async () => {
    const shortlist = (await entriesOf(callId)).filter((e) => e.shortlistRank !== null).sort((a, b) => a.shortlistRank! - b.shortlistRank!);
    const invited = shortlist.filter((e) => e.status === 'shortlisted');
    const waitlisted = shortlist.filter((e) => e.status === 'waitlisted');
    // The best-ranked invited applicant's interview is never held; the other two pass theirs.
    const [notHeld, ...interviewed] = invited.map((e) => e.applicationId);
    const tasksOpen = await openTasks(h, invited.map((e) => e.applicationId), 'interview');
    for (const task of tasksOpen.filter((t) => t.applicationId !== notHeld)) await decideAs(h, task, 'passed');
    await eventually(async () => {
      const rows = await h.db.db.select().from(competitionEntries).where(inArray(competitionEntries.applicationId, interviewed));
      return rows.every((e) => e.status === 'interviewed') ? true : undefined;
    }, 'the interviewed to wait for the final ranking');

    // Still invited a minute before the window closes (its interview meanwhile overdue and reported), refused after.
    const { interview } = await callSectionOf(callId);
    const windowCloses = resolveDeadline(interview!.within, examRecordedAt, h.deps.calendar);
    await h.env.sleep(windowCloses - (await h.env.currentTimeMs()) - 60_000);
    expect(await statusOf(notHeld!)).toEqual({ status: 'running', reason: null });
    const overdue = await h.db.db.select().from(applicationEvents)
      .where(and(eq(applicationEvents.applicationId, notHeld!), eq(applicationEvents.kind, 'task-overdue'), eq(applicationEvents.stepId, 'interview')));
    expect(overdue.length).toBeGreaterThan(0);
    await h.env.sleep(HOUR);
    expect(await ended(notHeld!)).toEqual({ status: 'rejected', reason: 'INTERVIEW_NOT_HELD' });
    await callStage(callId, 'closed');

    const entries = await entriesOf(callId);
    const entry = (id: string) => entries.find((e) => e.applicationId === id)!;
    expect(entry(notHeld!)).toMatchObject({ status: 'refused', reason: 'INTERVIEW_NOT_HELD', finalRank: null });
    const interviewTasks = await h.db.db.select().from(tasks).where(and(eq(tasks.applicationId, notHeld!), eq(tasks.stepId, 'interview')));
    expect(interviewTasks.filter((t) => t.status === 'open')).toEqual([]);
    expect(interviewTasks.some((t) => t.status === 'cancelled')).toBe(true);
    // The place is not passed down the waitlist: the interview window is over.
    for (const w of waitlisted) {
      expect(entry(w.applicationId)).toMatchObject({ status: 'refused', reason: 'NOT_SHORTLISTED', invited: false });
      expect(await ended(w.applicationId)).toEqual({ status: 'rejected', reason: 'NOT_SHORTLISTED' });
    }
    // The final ranking holds only the interviewed, by the same rule; Dezful's one office goes to the first.
    const final = entries.filter((e) => e.finalRank !== null).sort((a, b) => a.finalRank! - b.finalRank!);
    expect(final.map((e) => e.applicationId)).toEqual(byPublishedRule(entries.filter((e) => interviewed.includes(e.applicationId))).map((x) => x.id));
    const [licensed, reserve] = final;
    expect(await ended(licensed!.applicationId)).toEqual({ status: 'approved', reason: 'OFFICE_LICENSED' });
    expect(await ended(reserve!.applicationId)).toEqual({ status: 'rejected', reason: 'NOT_SELECTED' });
    const issued = await h.db.db.select().from(licences).where(inArray(licences.applicationId, ids));
    expect(issued.map((l) => l.applicationId)).toEqual([licensed!.applicationId]);
    expect(issued[0]!.number).toMatch(/^HSO-14\d\d-\d{6}$/);
  }, 120_000);
});

describe('a call without interviews', () => {
  const callId = 'hso-call-no-interviews';

  beforeAll(async () => {
    const now = await h.env.currentTimeMs();
    // The fixture: the shipped call without `call.interview`, its shortlist step and the interview task.
    const doc = parseDocument(readFileSync('test/fixtures/calls/call-without-interviews.yaml', 'utf8'));
    doc.set('id', callId);
    doc.set('effectiveFrom', jalali(now));
    doc.setIn(['call', 'registration', 'opens'], jalali(now));
    doc.setIn(['call', 'registration', 'closes'], jalali(now + 2 * DAY));
    writeFileSync(join(dir, `${callId}.yaml`), doc.toString());
    h.reloadDefinitions();
  });

  it('a call without interviews licenses each university\'s need straight from the exam ranking', async () => {
    const call = await callSectionOf(callId);
    expect(call.interview).toBeUndefined();
    // Five for Arak, three for Dezful; the last of Dezful does not sit the exam.
    const inputs = await Promise.all(Array.from({ length: 8 }, (_, i) => registrationFor(62_000 + i, { county: i < 5 ? 'arak' : 'dezful' })));
    const ids = await throughDocuments(callId, inputs);
    const absent = ids[7]!;
    const sat = ids.slice(0, 7);
    await recordExamResults({ ctx: ctxAt(h, examOrganiser), callId, input: { results: sat.map((applicationId, i) => ({ applicationId, score: 60 + 5 * i })) } });
    // Every selected applicant is licensed at once, so the reserves window closes early.
    await callStage(callId, 'closed');

    const entries = await entriesOf(callId);
    expect(entries.find((e) => e.applicationId === absent)).toMatchObject({ status: 'refused', reason: 'EXAM_ABSENT', finalRank: null });
    expect(await ended(absent)).toEqual({ status: 'rejected', reason: 'EXAM_ABSENT' });
    expect(entries.filter((e) => e.invited)).toEqual([]);
    const licensed: string[] = [];
    for (const university of ['arak', 'dezful']) {
      const mine = entries.filter((e) => e.university === university && e.finalRank !== null).sort((a, b) => a.finalRank! - b.finalRank!);
      expect(mine.map((e) => e.applicationId), university).toEqual(byPublishedRule(entries.filter((e) => e.university === university && sat.includes(e.applicationId))).map((x) => x.id));
      const capacity = call.universities[university]!.capacity;
      for (const [i, e] of mine.entries()) {
        expect(await ended(e.applicationId)).toEqual(i < capacity ? { status: 'approved', reason: 'OFFICE_LICENSED' } : { status: 'rejected', reason: 'NOT_SELECTED' });
        expect(e.status).toBe(i < capacity ? 'selected' : 'refused');
      }
      licensed.push(...mine.slice(0, capacity).map((e) => e.applicationId));
    }
    const issued = await h.db.db.select().from(licences).where(inArray(licences.applicationId, ids));
    expect(issued.map((l) => l.applicationId).sort()).toEqual(licensed.sort());
    for (const l of issued) expect(l).toMatchObject({ kind: 'office-licence', number: expect.stringMatching(/^HSO-14\d\d-\d{6}$/) });
    // Nobody was invited to, or waited for, an interview: each applicant's cohort step was the final ranking.
    expect(await h.db.db.select().from(tasks).where(and(inArray(tasks.applicationId, ids), eq(tasks.stepId, 'interview')))).toEqual([]);
    const joined = await h.db.db.select().from(applicationEvents).where(and(inArray(applicationEvents.applicationId, ids), eq(applicationEvents.kind, 'cohort-joined')));
    expect(new Set(joined.map((e) => e.stepId))).toEqual(new Set(['final-ranking']));
    // The exam ranking is the final one: no shortlist is recorded, and the portal hears of a final ranking.
    expect(entries.filter((e) => e.shortlistRank !== null)).toEqual([]);
    const published = await h.db.db.select().from(outbox).where(eq(outbox.subject, callId));
    expect(published.map((n) => [n.event, (n.payload as { stage: string }).stage])).toEqual([['call-final-ranking-published', 'final']]);
  }, 120_000);
});
