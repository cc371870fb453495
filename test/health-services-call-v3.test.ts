/**
 * The Health Services Office call, version 3 (seeds 000 and 001 rule by rule), end to end: the
 * gateway over HTTP as the portal and the universities use it, the sandbox registries, PostgreSQL
 * and the time-skipping Temporal server. Each test names the rule it proves (`§rule-id`).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationEvents, applications, auditLog, competitionEntries, inquiries, licences, tasks } from '../db/schema/index.js';
import { formatJalali, parseJalali, resolveDeadline } from '../dsl/calendar.js';
import { generateNationalCode, personFor } from '../sandbox/persons.js';
import { api, decide, eventually, fixturePerson, processEnded, sandboxInquiries, taskInInbox } from './support/api.js';
import { skipTo } from './support/clock.js';
import { CALL_FILE, CALL_FILE_V2, callProcessesDir, callStage, eligibleCount, ended, entriesOf, registrationFor, writeCallVariant } from './support/competitions.js';
import { startHarness, type Harness } from './support/harness.js';
import { tokensFor } from './support/tokens.js';

const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;
let h: Harness;
let dir: string;
let tokens: Record<'portal' | 'markazi' | 'integrator' | 'examOrganiser', string>;

beforeAll(async () => {
  dir = callProcessesDir();
  h = await startHarness({ processesDir: dir });
  tokens = await tokensFor(h, ['portal', 'markazi', 'integrator', 'examOrganiser']);
}, 120_000);
afterAll(async () => h?.close());

type Registration = Awaited<ReturnType<typeof registrationFor>>;
const jalali = (ms: number) => formatJalali(ms, h.deps.calendar);

/** Publishes the call as `id` (version 3 unless `from` says), its registration open from today for `days`. */
async function openCall(id: string, days: number, changes: Record<string, unknown> = {}, from?: { from: string; file: string }) {
  const now = await h.env.currentTimeMs();
  writeCallVariant(dir, id, { effectiveFrom: jalali(now), 'call.registration.opens': jalali(now), 'call.registration.closes': jalali(now + days * DAY), ...changes }, from);
  h.reloadDefinitions();
}

/** Registers through the gateway, as the national portal does. */
const register = (callId: string, body: unknown) =>
  api<{ applicationId: string; university: string }>(h, 'POST', `/v1/calls/${callId}/registrations`, { token: tokens.portal, body });

async function registered(callId: string, body: Registration): Promise<string> {
  const res = await register(callId, body);
  expect(res.status, res.text).toBe(202);
  return res.body.applicationId;
}

/** A registration in Arak (Markazi's university) for a sandbox fixture person, with every document. */
async function fixtureRegistration(nationalCode: string, opts: { employment?: 'none' | 'contract' | 'official'; documents?: string[] } = {}): Promise<Registration> {
  const p = await fixturePerson(h, nationalCode);
  const applicant = { nationalCode, firstName: p.firstName, lastName: p.lastName, birthDate: p.birthDate, sex: p.sex, employment: opts.employment ?? 'none' };
  const documents = opts.documents ?? ['national-id-card', 'birth-certificate', 'photo', 'degree', ...(p.sex === 'male' ? ['military-service-card'] : [])];
  return { county: 'arak', applicant, documents };
}

/** The step and reason a rejected application ended with. */
async function refusal(applicationId: string) {
  const result = await processEnded(h, applicationId);
  return { outcome: result.outcome, reason: result.reason, stepId: result.stepId };
}

const tasksOf = (applicationId: string) => h.db.db.select().from(tasks).where(eq(tasks.applicationId, applicationId));
const timelineOf = (applicationId: string) => h.db.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, applicationId)).orderBy(applicationEvents.seq);
const versionOf = async (applicationId: string) => (await h.db.db.select({ version: applications.definitionVersion }).from(applications).where(eq(applications.id, applicationId)))[0]!.version;
const reviewOpens = (applicationId: string) => taskInInbox(h, tokens.markazi, applicationId, 'document-review', 60_000);

describe('who may register, and reach the document review', () => {
  const callId = 'hso3-registration';
  beforeAll(() => openCall(callId, 20));

  it('§health.documents: a registration without a scan the call requires is refused, naming the field in Persian and English, and nothing is written', async () => {
    let seed = 91_000;
    let male = await registrationFor(seed, { county: 'arak' });
    while (male.applicant.sex !== 'male') male = await registrationFor(++seed, { county: 'arak' });
    for (const missing of ['photo', 'national-id-card', 'birth-certificate', 'military-service-card']) {
      const res = await register(callId, { ...male, documents: male.documents.filter((d) => d !== missing) });
      expect(res.status, missing).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({
        type: 'https://parvaneh.example/problems/missing-documents', field: 'documents', detail: missing,
        title: 'required documents are missing', title_fa: 'مدارک الزامی بارگذاری نشده است',
      });
    }
    const rows = await h.db.db.select().from(applications).where(eq(applications.applicantNationalCode, male.applicant.nationalCode));
    expect(rows).toEqual([]);
    // A woman needs no military-service document; with the rest she reaches the review.
    const woman = await fixtureRegistration('0091234565');
    expect(woman.documents).not.toContain('military-service-card');
    await reviewOpens(await registered(callId, woman));
  });

  it('§health.applicant.military-service: a man the military-service registry records as liable (0078912342) is refused; an exempt man (0241357918) reaches the review', async () => {
    const liable = await registered(callId, await fixtureRegistration('0078912342'));
    expect(await refusal(liable)).toEqual({ outcome: 'rejected', reason: 'MILITARY_SERVICE_UNRESOLVED', stepId: 'military-status' });
    expect((await sandboxInquiries(h, '0078912342')).map((i) => i.registry)).toContain('military-service');
    expect(await tasksOf(liable)).toEqual([]);
    const [failed] = (await timelineOf(liable)).filter((e) => e.kind === 'rule-failed');
    expect(failed!.detail).toMatchObject({ reason: 'MILITARY_SERVICE_UNRESOLVED', message: { en: 'the applicant has neither served nor been exempted' } });

    const exempt = await registered(callId, await fixtureRegistration('0241357918'));
    await reviewOpens(exempt);
  });

  it('§health.applicant.degree: no university degree (0242468020) is refused DEGREE_BELOW_BACHELOR; a bachelor\'s in any field (law 0241357918, psychology 0091234565) is enough', async () => {
    const none = await registered(callId, await fixtureRegistration('0242468020'));
    expect(await refusal(none)).toEqual({ outcome: 'rejected', reason: 'DEGREE_BELOW_BACHELOR', stepId: 'degree' });
    expect(await tasksOf(none)).toEqual([]);
    // The two bachelor's holders of the tests above, neither in a health field, wait for their review.
    const answers = await h.db.db.select({ applicationId: applications.id, nationalCode: applications.applicantNationalCode, status: applications.status, step: applications.currentStep })
      .from(applications).where(eq(applications.licenceType, callId));
    for (const code of ['0241357918', '0091234565']) {
      expect(answers.find((a) => a.nationalCode === code), code).toMatchObject({ status: 'running', step: 'document-review' });
    }
    const degrees = await h.db.db.select({ answer: inquiries.answer }).from(inquiries)
      .where(and(eq(inquiries.subjectNationalCode, '0241357918'), eq(inquiries.registry, 'higher-education')));
    expect(degrees.map((d) => (d.answer as { highest: unknown }).highest)).toEqual([{ level: 'bachelor', field: 'law' }]);
  });

  it('§health.applicant.temporary-degree: a temporary degree certificate is accepted in place of the original; with neither, DEGREE_CERTIFICATE_MISSING before any inquiry', async () => {
    const graduate = await registrationFor(92_001, { county: 'arak' });
    const temporary = await registered(callId, { ...graduate, documents: [...graduate.documents.filter((d) => d !== 'degree'), 'temporary-degree-certificate'] });
    const review = await reviewOpens(temporary);
    await decide(h, tokens.markazi, review.id, 'accept');
    await eventually(async () => ((await timelineOf(temporary)).some((e) => e.kind === 'sms-sent' && e.stepId === 'documents-accepted-sms') ? true : undefined), 'the documents-accepted SMS');

    const without = await registrationFor(92_002, { county: 'arak' });
    const neither = await registered(callId, { ...without, documents: without.documents.filter((d) => d !== 'degree') });
    expect(await refusal(neither)).toEqual({ outcome: 'rejected', reason: 'DEGREE_CERTIFICATE_MISSING', stepId: 'documents' });
    expect(await sandboxInquiries(h, without.applicant.nationalCode)).toEqual([]);
    expect(await tasksOf(neither)).toEqual([]);
  });

  it('§health.applicant.not-public-employee: an official government employee is refused OFFICIAL_GOVERNMENT_EMPLOYEE before any inquiry', async () => {
    const official = await registrationFor(93_001, { county: 'arak', employment: 'official' });
    const applicationId = await registered(callId, official);
    expect(await refusal(applicationId)).toEqual({ outcome: 'rejected', reason: 'OFFICIAL_GOVERNMENT_EMPLOYEE', stepId: 'exclusions' });
    expect(await sandboxInquiries(h, official.applicant.nationalCode)).toEqual([]);
  });

  it('§health.score.no-experience §health.score.guild-school-bonus: a registration carries no work experience to score (FAQ 7) and no licence but the guild-training school\'s (FAQ 8)', async () => {
    const applicant = await registrationFor(94_001, { county: 'arak' });
    const experienced = await register(callId, { ...applicant, applicant: { ...applicant.applicant, workExperienceYears: 12 } });
    expect(experienced.status).toBe(400);
    expect(experienced.body).toMatchObject({ type: 'https://parvaneh.example/problems/unknown-field', field: 'applicant.workExperienceYears' });
    const sprayer = await register(callId, { ...applicant, documents: [...applicant.documents, 'pest-control-licence'] });
    expect(sprayer.status).toBe(400);
    expect(sprayer.body).toMatchObject({ type: 'https://parvaneh.example/problems/unknown-document', field: 'documents', detail: 'pest-control-licence' });
  });
});

describe('the cities that declared a need', () => {
  const callId = 'hso3-no-need-in-dezful';
  // The call as a university might publish it: Dezful's university declares its need in Andimeshk only.
  beforeAll(() => openCall(callId, 20, { 'call.universities.dezful.counties': ['andimeshk'] }));

  it('§health.cities.declared-need: a registration in a county no university of the call declared a need in is refused, naming the county', async () => {
    const applicant = await registrationFor(97_001, { county: 'dezful' });
    const res = await register(callId, applicant);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      type: 'https://parvaneh.example/problems/county-without-need', field: 'county', detail: 'dezful',
      title: 'no university of the call declared a need in this county', title_fa: 'این شهرستان در فراخوان اعلام نیاز نکرده است',
    });
    expect((await register(callId, { ...applicant, county: 'arak' })).body).toMatchObject({ university: 'arak' });
  });
});

describe('a call opened under version 2 keeps it', () => {
  const pinned = 'hso3-opened-under-v2';
  const fresh = 'hso3-opened-under-v3';

  it('a call opened under version 2 registers its later applicants under version 2 (the original degree required), while a call opening now takes version 3', async () => {
    await openCall(pinned, 20, {}, { from: CALL_FILE_V2, file: `${pinned}-v2.yaml` });
    const first = await registered(pinned, await registrationFor(95_001, { county: 'arak' }));
    // Version 3 is published for the same call; the call has opened, so it stays on version 2.
    await openCall(pinned, 20, {}, { from: CALL_FILE, file: `${pinned}-v3.yaml` });
    await openCall(fresh, 20);
    expect(h.catalogue.current(pinned, await h.env.currentTimeMs())!.definition.version).toBe(3);

    const graduate = await registrationFor(95_002, { county: 'arak' });
    const withTemporary = { ...graduate, documents: [...graduate.documents.filter((d) => d !== 'degree'), 'temporary-degree-certificate'] };
    // Version 2 knows no temporary certificate and requires the original.
    const refused = await register(pinned, withTemporary);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ field: 'documents', type: 'https://parvaneh.example/problems/unknown-document', detail: 'temporary-degree-certificate' });
    const second = await registered(pinned, graduate);
    const third = await registered(fresh, withTemporary);

    expect([await versionOf(first), await versionOf(second), await versionOf(third)]).toEqual([2, 2, 3]);
    await reviewOpens(third);
    const [audit] = await h.db.db.select().from(auditLog).where(and(eq(auditLog.action, 'call.opened'), eq(auditLog.subjectId, pinned)));
    expect(audit!.detail).toMatchObject({ version: 2 });
  });
});

/**
 * One cohort of Arak (six offices) from the exam to the licences: the pass mark's boundary, the
 * score, the resignation of contract staff and the office's staff before its licence.
 */
describe('from the exam to the office licence', () => {
  const callId = 'hso3-licensing';
  /** Each applicant's exam score, employment and bonus. */
  const cast = {
    passMark: { score: 50, employment: 'none', guildSchool: true },
    // Just under: 49.996 % would round to 50.00; the pass mark is judged on the score itself.
    belowPassMark: { score: 49.996, employment: 'none', guildSchool: false },
    noAuditor: { score: 80, employment: 'none', guildSchool: false },
    noTechnicalManager: { score: 70, employment: 'none', guildSchool: false },
    contractNoResignation: { score: 60, employment: 'contract', guildSchool: false },
    contractResigned: { score: 90, employment: 'contract', guildSchool: false },
    staffNeverRecorded: { score: 75, employment: 'none', guildSchool: false },
  } as const;
  type Who = keyof typeof cast;
  const id = {} as Record<Who, string>;
  let selectedAt: number;

  beforeAll(async () => {
    await openCall(callId, 2, { 'call.universities.arak.capacity': 6 });
    const now = await h.env.currentTimeMs();
    let seed = 96_000;
    for (const [who, { employment, guildSchool }] of Object.entries(cast) as [Who, (typeof cast)[Who]][]) {
      // The contract employee who resigns studied nursing, one of the call's health fields (an assumption).
      if (who === 'contractResigned') while (personFor(generateNationalCode(seed), now)!.highestDegree!.field !== 'nursing') seed++;
      id[who] = await registered(callId, await registrationFor(seed++, { county: 'arak', employment, guildSchool }));
    }
    for (const applicationId of Object.values(id)) await decide(h, tokens.markazi, (await reviewOpens(applicationId)).id, 'accept');
    await eligibleCount(h, callId, 7);
    const call = h.catalogue.current(callId, now)!.definition.call!;
    await skipTo(h, resolveDeadline(call.lateDocuments.after, parseJalali(call.registration.closes, h.deps.calendar), h.deps.calendar) + HOUR);
    await callStage(h, callId, 'exam');
    const results = (Object.keys(cast) as Who[]).map((who) => ({ applicationId: id[who], score: cast[who].score }));
    // Only the exam organiser reports scores: the portal, which once carried them, is refused and nothing is recorded.
    const fromPortal = await api(h, 'POST', `/v1/calls/${callId}/exam-results`, { token: tokens.portal, body: { results } });
    expect(fromPortal.status, fromPortal.text).toBe(403);
    expect(fromPortal.body).toMatchObject({ type: expect.stringMatching(/role-not-allowed$/) });
    await callStage(h, callId, 'exam');
    const recorded = await api(h, 'POST', `/v1/calls/${callId}/exam-results`, { token: tokens.examOrganiser, body: { results } });
    expect(recorded.status, recorded.text).toBe(202);
    await callStage(h, callId, 'interviews');
  }, 300_000);

  it('§health.exam.pass-mark: exactly 50 % of the exam passes, 49.996 % (50.00 when rounded) is EXAM_BELOW_PASS_MARK', async () => {
    expect(await ended(h, id.belowPassMark)).toEqual({ status: 'rejected', reason: 'EXAM_BELOW_PASS_MARK' });
    const entries = await entriesOf(h, callId);
    const entry = (who: Who) => entries.find((e) => e.applicationId === id[who])!;
    expect(entry('belowPassMark')).toMatchObject({ examScore: 49.996, status: 'refused', reason: 'EXAM_BELOW_PASS_MARK', shortlistRank: null });
    expect(entry('passMark')).toMatchObject({ examScore: 50, status: 'shortlisted', invited: true });
    expect(h.catalogue.current(callId, await h.env.currentTimeMs())!.definition.call!.exam).toMatchObject({ maxScore: 100, passMark: 50 });
  });

  it('§health.score §health.score.guild-school-bonus: each total is the degree level, the field and half the exam, plus 10 for the guild-training-school licence alone', async () => {
    const ranking = await api<{ items: { applicationId: string; examScore: number; score: number | null; bonus: number | null; total: number | null; shortlistRank: number | null }[] }>(
      h, 'GET', `/v1/calls/${callId}/ranking`, { token: tokens.integrator });
    expect(ranking.status).toBe(200);
    const entries = await entriesOf(h, callId);
    const level: Record<string, number> = { phd: 30, master: 25, bachelor: 20 };
    const healthFields = ['environmental-health', 'occupational-health', 'public-health', 'food-hygiene', 'nursing'];
    const ranked = ranking.body.items.filter((i) => i.shortlistRank !== null);
    expect(ranked).toHaveLength(6);
    for (const line of ranked) {
      const facts = entries.find((e) => e.applicationId === line.applicationId)!.facts as { education: { highest: { level: string; field: string } } };
      const { level: degree, field } = facts.education.highest;
      const score = level[degree]! + (healthFields.includes(field) ? 20 : 10) + line.examScore * 0.5;
      const bonus = line.applicationId === id.passMark ? 10 : 0;
      expect(line, line.applicationId).toMatchObject({ score, bonus, total: score + bonus });
    }
    // The nursing graduate with a master's and 90 in the exam: 25 + 20 + 45, no bonus.
    expect(ranked.find((l) => l.applicationId === id.contractResigned)).toMatchObject({ score: 90, bonus: 0, total: 90 });
  });

  it('§health.applicant.not-public-employee: a contract employee is licensed only on a formal resignation recorded after the final ranking; none recorded is RESIGNATION_NOT_RECORDED', async () => {
    for (const who of Object.keys(cast) as Who[]) {
      if (who !== 'belowPassMark') await decide(h, tokens.markazi, (await taskInInbox(h, tokens.markazi, id[who], 'interview')).id, 'passed');
    }
    await callStage(h, callId, 'reserves');
    selectedAt = await h.env.currentTimeMs();
    const entries = await entriesOf(h, callId);
    expect(entries.filter((e) => e.status === 'selected').map((e) => e.applicationId).sort()).toEqual(Object.entries(id).filter(([who]) => who !== 'belowPassMark').map(([, a]) => a).sort());

    const refusing = await taskInInbox(h, tokens.markazi, id.contractNoResignation, 'resignation');
    await decide(h, tokens.markazi, refusing.id, 'not-recorded', 'keeps the contract post at the health network');
    expect(await refusal(id.contractNoResignation)).toEqual({ outcome: 'rejected', reason: 'RESIGNATION_NOT_RECORDED', stepId: 'no-resignation' });
    expect((await tasksOf(id.contractNoResignation)).map((t) => t.stepId)).not.toContain('office-staff');

    const resigning = await taskInInbox(h, tokens.markazi, id.contractResigned, 'resignation');
    expect((await tasksOf(id.contractResigned)).filter((t) => t.stepId === 'office-staff')).toEqual([]);
    await decide(h, tokens.markazi, resigning.id, 'recorded');
    const staff = await taskInInbox(h, tokens.markazi, id.contractResigned, 'office-staff');
    await decide(h, tokens.markazi, staff.id, 'technical-manager-named', 'مسئول فنی: ندا رحمانی (کارشناس بهداشت محیط)؛ ممیز: سعید کاظمی؛ حضور مدیر: یکشنبه و سه‌شنبه ۸ تا ۱۲');
    expect(await refusal(id.contractResigned)).toEqual({ outcome: 'approved', reason: 'OFFICE_LICENSED', stepId: 'licensed' });
    const timeline = await timelineOf(id.contractResigned);
    const at = (kind: string, stepId?: string) => timeline.findIndex((e) => e.kind === kind && (stepId === undefined || e.stepId === stepId));
    expect(at('task-decided', 'resignation')).toBeGreaterThan(at('cohort-advanced', 'final-ranking'));
    expect(at('licence-issued')).toBeGreaterThan(at('task-decided', 'resignation'));
    // Applicants who are no one's employees are never asked for a resignation.
    expect((await tasksOf(id.passMark)).map((t) => t.stepId)).not.toContain('resignation');
  });

  it('§health.office.staff: the office is licensed only with a technical manager (or a manager who qualifies, there part time on set days) and an environmental-health auditor recorded', async () => {
    // The record is required: a decision that names nobody is refused.
    const first = await taskInInbox(h, tokens.markazi, id.passMark, 'office-staff');
    const unnamed = await api(h, 'POST', `/v1/tasks/${encodeURIComponent(first.id)}/decision`, { token: tokens.markazi, body: { outcome: 'manager-is-technical-manager' } });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body).toMatchObject({ type: 'https://parvaneh.example/problems/reason-required', field: 'reason', title: 'a reason is required', title_fa: 'ذکر دلیل الزامی است' });
    // FAQ 27: the manager, who qualifies as technical manager, is there part time on set days.
    await decide(h, tokens.markazi, first.id, 'manager-is-technical-manager', 'مدیر دفتر مسئول فنی است (کارشناسی ارشد بهداشت محیط)؛ ممیز بهداشت محیط: مهسا نادری؛ حضور مدیر: شنبه و دوشنبه ۸ تا ۱۳');
    expect(await refusal(id.passMark)).toEqual({ outcome: 'approved', reason: 'OFFICE_LICENSED', stepId: 'licensed' });
    const [licence] = await h.db.db.select().from(licences).where(eq(licences.applicationId, id.passMark));
    expect(licence).toMatchObject({ kind: 'office-licence', number: expect.stringMatching(/^HSO-14\d\d-\d{6}$/) });
    const [decided] = await h.db.db.select().from(auditLog).where(and(eq(auditLog.action, 'task.decided'), eq(auditLog.subjectId, first.id)));
    expect(decided!.detail).toMatchObject({ stepId: 'office-staff', outcome: 'manager-is-technical-manager', reasonGiven: true });

    const noAuditor = await taskInInbox(h, tokens.markazi, id.noAuditor, 'office-staff');
    await decide(h, tokens.markazi, noAuditor.id, 'no-auditor', 'مسئول فنی: رضا امینی؛ ممیز بهداشت محیط هنوز استخدام نشده است');
    expect(await refusal(id.noAuditor)).toEqual({ outcome: 'rejected', reason: 'OFFICE_WITHOUT_AUDITOR', stepId: 'staff-complete' });

    const noManager = await taskInInbox(h, tokens.markazi, id.noTechnicalManager, 'office-staff');
    await decide(h, tokens.markazi, noManager.id, 'no-technical-manager', 'مدیر دفتر کارشناس حقوق است و مسئول فنی معرفی نکرد؛ ممیز: لیلا صدری');
    expect(await refusal(id.noTechnicalManager)).toEqual({ outcome: 'rejected', reason: 'OFFICE_WITHOUT_TECHNICAL_MANAGER', stepId: 'staff-complete' });
    for (const who of ['noAuditor', 'noTechnicalManager'] as const) {
      expect(await h.db.db.select().from(licences).where(eq(licences.applicationId, id[who])), who).toEqual([]);
      const [failed] = (await timelineOf(id[who])).filter((e) => e.kind === 'rule-failed');
      expect(failed!.stepId).toBe('staff-complete');
    }
  });

  it('§health.office.staff: an office whose staff are not recorded within the 30 days (an assumption) is not licensed: OFFICE_STAFF_NOT_RECORDED', async () => {
    const open = await taskInInbox(h, tokens.markazi, id.staffNeverRecorded, 'office-staff');
    expect(open.status).toBe('open');
    await skipTo(h, selectedAt + 30 * DAY + HOUR);
    expect(await refusal(id.staffNeverRecorded)).toEqual({ outcome: 'rejected', reason: 'OFFICE_STAFF_NOT_RECORDED', stepId: 'staff-not-recorded' });
    expect(await h.db.db.select().from(licences).where(eq(licences.applicationId, id.staffNeverRecorded))).toEqual([]);
    const issued = await h.db.db.select({ applicationId: licences.applicationId }).from(licences)
      .innerJoin(competitionEntries, eq(competitionEntries.applicationId, licences.applicationId)).where(eq(competitionEntries.callId, callId));
    expect(issued.map((l) => l.applicationId).sort()).toEqual([id.passMark, id.contractResigned].sort());
  }, 120_000);
});
