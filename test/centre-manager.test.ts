/**
 * The centre manager licence as seed 002 writes it (centre-manager v3): the person a centre's
 * holder introduces (Art. 1), not a direct applicant; the general conditions of a holder and a
 * man's military service (Art. 5(a) → 4(a), 6); a master's in a listed field, a bachelor's only by
 * the working group's decision (Art. 5(b), note 2); the specialist interview, the training
 * certificate, no employment during the centre's shift (Art. 5(b)); and a licence personal to its
 * holder, which does not pass to the centre's successor (Art. 5, 8(4)): the centre's new manager
 * goes through the manager process (successor-nomination v5).
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applicationEvents, applications, auditLog, licences, outbox, tasks } from '../db/schema/index.js';
import { STARTED_BY_ANOTHER_PROCESS } from '../dsl/direct-application.js';
import { addMonths, tehranDay } from '../platform/dates/time-functions.js';
import type { Actor } from '../services/context.js';
import { maskName } from '../services/licences.js';
import { openApplication } from '../services/start-process.js';
import { api, applicationFor, decide, eventually, generatedApplication, processEnded, sandboxInquiries, taskInInbox, verificationPath } from './support/api.js';
import { advance } from './support/clock.js';
import { startHarness, type Harness } from './support/harness.js';
import { passManagerInterviewAndCertificate, throughToActivityLicence } from './support/journeys.js';
import { officeTokens, type OfficeTokens } from './support/tokens.js';

const DAY_MS = 86_400_000;

let h: Harness;
let tokens: OfficeTokens;
/** A centre (its activity licence) whose holder introduces the managers of most cases below. */
let centre: string;
let centreHolder: string;

beforeAll(async () => {
  h = await startHarness();
  tokens = await officeTokens(h);
  centre = (await throughToActivityLicence(h, { tokens, applicant: 23001 })).activityLicence;
  centreHolder = (await generatedApplication(23001)).applicant.nationalCode;
}, 240_000);
afterAll(async () => h?.close());

type Person = Awaited<ReturnType<typeof generatedApplication>>['applicant'];
const fixture = async (nationalCode: string) => (await applicationFor(h, nationalCode)).applicant;
const generated = async (seed: number) => (await generatedApplication(seed)).applicant;
const ended = (applicationId: string) => processEnded(h, applicationId);
const licenceRow = async (number: string) => (await h.db.db.select().from(licences).where(eq(licences.number, number)))[0]!;
const told = (number: string, event: string) => h.db.db.select().from(outbox).where(and(eq(outbox.subject, number), eq(outbox.event, event)));
const changesOf = (number: string) => h.db.db.select().from(applications).where(sql`${applications.facts}->'licence'->>'number' = ${number} and ${applications.facts}->'change' is not null`);
const managersOn = (number: string) => h.db.db.select().from(licences).where(and(eq(licences.dependsOn, number), eq(licences.kind, 'manager-licence')));

/** Starts a change through the gateway, as the portal or an office does. */
async function change(token: string, number: string, name: string, body: unknown): Promise<string> {
  const res = await api<{ applicationId: string }>(h, 'POST', `/v1/licences/${number}/changes/${name}`, { token, body });
  expect(res.status, res.text).toBe(202);
  return res.body.applicationId;
}

/** The holder introduces a manager on the centre's licence; gives the manager's own process. */
async function appoint(manager: Person, employedDuringCentreShift = false, number = centre): Promise<{ appointment: string; managerProcess: string }> {
  const appointment = await change(tokens.portal, number, 'manager-appointment', { manager, managerEmployedDuringCentreShift: employedDuringCentreShift });
  return { appointment, managerProcess: `${appointment}.manager-licence.1` };
}

/**
 * Starts a manager process in Ahvaz as a parent process would, handing it `inputs` (the centre's
 * licence, its holder's nomination): the gateway refuses a direct application.
 */
async function startManagerProcess(manager: Person, inputs: Record<string, unknown>): Promise<string> {
  const loaded = h.catalogue.current('centre-manager', Date.now())!;
  const ahvaz: Actor = { subject: 'county-office:ahvaz', role: 'county-office', county: 'ahvaz', province: 'khuzestan' };
  const id = randomUUID();
  const application = { id, trackingCode: `PRV-TEST-${id.slice(0, 4).toUpperCase()}`, licenceType: 'centre-manager', county: 'ahvaz', province: 'khuzestan', holderType: 'natural', submittedAt: new Date().toISOString() };
  await openApplication({
    ctx: { deps: h.deps, actor: ahvaz }, loaded,
    application: { id, trackingCode: application.trackingCode, licenceType: 'centre-manager', applicantNationalCode: manager.nationalCode, county: 'ahvaz', province: 'khuzestan', facts: { applicant: manager, application, ...inputs }, submittedBy: ahvaz.subject },
    audit: { action: 'application.submitted', failedAction: 'application.start-failed', subjectType: 'application', subjectId: id },
  });
  return id;
}

const tasksOf = (applicationId: string) => h.db.db.select().from(tasks).where(eq(tasks.applicationId, applicationId));

// One appointment at a time on a licence: a case that left a task open is closed here, so one
// failing case does not fail the next with 409 change-in-progress.
afterEach(async () => {
  for (const c of await changesOf(centre)) {
    if (c.status !== 'running') continue;
    const open = await h.db.db.select().from(tasks).where(and(sql`${tasks.applicationId} like ${`${c.id}%`}`, eq(tasks.status, 'open')));
    for (const t of open) {
      const refusal = t.stepId === 'bachelor-exception' ? 'refuse' : t.stepId === 'specialist-interview' ? 'fail' : t.stepId === 'training-certificate' ? 'missing' : undefined;
      if (refusal) await decide(h, t.role === 'province-office' ? tokens.khuzestan : tokens.ahvaz, t.id, refusal, 'closing what the case left open');
    }
    await ended(c.id);
  }
}, 60_000);

describe('the centre manager licence (seed 002, Art. 1 and 5)', () => {
  it('§manager.needs-centre: refuses a direct application at once, 422 MANAGER_NEEDS_CENTRE naming licenceType; nothing is written', async () => {
    const res = await api<{ reason: string; title: string; title_fa: string }>(h, 'POST', '/v1/applications', { token: tokens.portal, body: await applicationFor(h, '0013579134', 'centre-manager') });
    expect(res.status, res.text).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({
      type: 'https://parvaneh.example/problems/application-refused', status: 422, reason: 'MANAGER_NEEDS_CENTRE', field: 'licenceType',
      title: 'a manager licence is issued only for a centre with a principle agreement or activity licence, whose holder introduces the manager',
      title_fa: 'پروانه مسئول مرکز فقط برای مرکزی صادر می‌شود که موافقت اصولی یا پروانه فعالیت دارد و صاحب امتیاز آن مسئول را معرفی کرده است',
      requestId: res.headers.get('x-request-id'),
    });
    expect(await h.db.db.select().from(applications).where(and(eq(applications.licenceType, 'centre-manager'), eq(applications.applicantNationalCode, '0013579134')))).toEqual([]);
    expect(await h.db.db.select().from(auditLog).where(sql`${auditLog.action} = 'application.submitted' and ${auditLog.detail}->>'licenceType' = 'centre-manager'`)).toEqual([]);

    // The API documents the reasons a direct application is refused with: the first check of each definition in effect another process starts.
    const spec = await api<{ paths: Record<string, { post: { responses: Record<string, { content: Record<string, { schema: { allOf: [unknown, { properties: { reason: { enum: string[] } } }] } }> }> } }> }>(h, 'GET', '/openapi.json');
    const documented = spec.body.paths['/v1/applications']!.post.responses['422']!.content['application/problem+json']!.schema.allOf[1].properties.reason.enum;
    const started = h.catalogue.ids().flatMap((id) => h.catalogue.current(id, Date.now())?.definition ?? []).filter((d) => d.inputs.length > 0);
    const firstReasons = started.map((d) => { const first = d.steps[d.start]!; return first.type === 'check' && 'expr' in first.rules[0]! ? first.rules[0].reason : STARTED_BY_ANOTHER_PROCESS.reason; });
    expect(documented).toEqual(expect.arrayContaining([...new Set(firstReasons)]));
  });

  it('§manager.needs-centre: a manager process started without a centre, or without its holder\'s nomination, ends at its first step', async () => {
    expect(h.catalogue.current('centre-manager', Date.now())!.definition.version).toBe(4);
    const manager = await fixture('0013579134');
    // As a parent that hands no inputs would start it (no parent in processes/ does: the gateway refuses a direct one).
    const start = (inputs: Record<string, unknown>) => startManagerProcess(manager, inputs);
    expect(await ended(await start({}))).toMatchObject({ outcome: 'rejected', reason: 'MANAGER_NEEDS_CENTRE', stepId: 'centre' });
    expect(await ended(await start({ centreLicence: 'not a licence', nominatedBy: centreHolder }))).toMatchObject({ outcome: 'rejected', reason: 'MANAGER_NEEDS_CENTRE', stepId: 'centre' });
    expect(await ended(await start({ centreLicence: centre }))).toMatchObject({ outcome: 'rejected', reason: 'MANAGER_NOT_NOMINATED', stepId: 'centre' });
    expect(await sandboxInquiries(h, manager.nationalCode)).toEqual([]);
  });

  it('§manager.needs-centre: licenses the manager the centre\'s holder introduces, standing on the centre\'s licence', async () => {
    const manager = await fixture('0013579134');
    const { appointment, managerProcess } = await appoint(manager);
    await passManagerInterviewAndCertificate(h, tokens, managerProcess);
    expect(await ended(appointment)).toMatchObject({ outcome: 'approved', reason: 'MANAGER_APPOINTED' });
    const result = await ended(managerProcess);
    expect(result).toMatchObject({ outcome: 'approved', reason: 'MANAGER_LICENCE_ISSUED' });
    const number = result.licences['manager-licence']!.number;
    expect(number).toMatch(/^WSC-MG-\d{4}-\d{6}$/);
    expect(await licenceRow(number)).toMatchObject({ kind: 'manager-licence', status: 'active', dependsOn: centre, holderNationalCode: manager.nationalCode });
    const [row] = await h.db.db.select().from(applications).where(eq(applications.id, managerProcess));
    expect(row!.facts).toMatchObject({ centreLicence: centre, nominatedBy: centreHolder, employedDuringCentreShift: false });
    expect(await told(number, 'manager-licence-issued')).toHaveLength(1);
  });

  it('§manager.degree: refuses a master\'s in a field Art. 5(b) does not list (law, 0231000014) with DEGREE_FIELD_NOT_LISTED, before any vetting or interview', async () => {
    const manager = await fixture('0231000014');
    const { appointment, managerProcess } = await appoint(manager);
    expect(await ended(managerProcess)).toMatchObject({ outcome: 'rejected', reason: 'DEGREE_FIELD_NOT_LISTED', stepId: 'rejected-field' });
    expect(await ended(appointment)).toMatchObject({ outcome: 'rejected', reason: 'MANAGER_NOT_LICENSED' });
    expect(await tasksOf(managerProcess)).toEqual([]);
    expect((await sandboxInquiries(h, manager.nationalCode)).map((i) => i.registry).sort()).toEqual(['civil-registry', 'higher-education']);
  });

  it('§manager.degree: a bachelor\'s in a listed field goes on only by the provincial working group\'s decision (note 2)', async () => {
    const manager = await fixture('0091234565');
    const refused = await appoint(manager);
    const exception = await taskInInbox(h, tokens.khuzestan, refused.managerProcess, 'bachelor-exception');
    expect(exception.outcomes.map((o) => o.name)).toEqual(['allow', 'refuse']);
    await decide(h, tokens.khuzestan, exception.id, 'refuse');
    expect(await ended(refused.managerProcess)).toMatchObject({ outcome: 'rejected', reason: 'DEGREE_NOT_ELIGIBLE' });
    await ended(refused.appointment);

    const allowed = await appoint(manager);
    await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, allowed.managerProcess, 'bachelor-exception')).id, 'allow', 'no master\'s holder applied in Ahvaz');
    await passManagerInterviewAndCertificate(h, tokens, allowed.managerProcess);
    expect(await ended(allowed.managerProcess)).toMatchObject({ outcome: 'approved', reason: 'MANAGER_LICENCE_ISSUED' });
    await ended(allowed.appointment);
  });

  it('§manager.interview: refuses a candidate the working group fails at the specialist interview (FAILED_SPECIALIST_INTERVIEW)', async () => {
    const { appointment, managerProcess } = await appoint(await fixture('0012345679'));
    await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, managerProcess, 'specialist-interview')).id, 'fail', 'not enough experience with the centre\'s services');
    expect(await ended(managerProcess)).toMatchObject({ outcome: 'rejected', reason: 'FAILED_SPECIALIST_INTERVIEW' });
    await ended(appointment);
  });

  it('§manager.priority: a candidate with a doctorate, or born in the centre\'s province, is interviewed first: the interview goes before earlier ones in the working group\'s inbox, with its grounds; none is refused for want of it', async () => {
    const { generateNationalCode, personFor } = await import('../sandbox/persons.js');
    // Generated candidates (a master's each) born in Arak (Markazi) and in Khuzestan; the civil registry records the place.
    const bornIn = (counties: string[]) => { for (let seed = 23100; ; seed++) if (counties.includes(personFor(generateNationalCode(seed), Date.now())!.county)) return seed; };
    const outsider = await generated(bornIn(['arak']));
    const local = await generated(bornIn(['ahvaz', 'dezful']));
    const doctor = await fixture('0013579134'); // a PhD in rehabilitation, born in Ahvaz
    const nominated = { centreLicence: centre, nominatedBy: centreHolder, employedDuringCentreShift: false };
    const processes: string[] = [];
    for (const candidate of [outsider, local, doctor]) {
      const id = await startManagerProcess(candidate, nominated);
      await taskInInbox(h, tokens.khuzestan, id, 'specialist-interview');
      processes.push(id);
    }
    const [outsiderProcess, localProcess, doctorProcess] = processes as [string, string, string];
    const inbox = await api<{ items: { id: string; applicationId: string; stepId: string; priority: { fa: string; en: string }[] | null }[] }>(h, 'GET', '/v1/tasks', { token: tokens.khuzestan });
    expect(inbox.status, inbox.text).toBe(200);
    const interviews = inbox.body.items.filter((t) => processes.includes(t.applicationId) && t.stepId === 'specialist-interview');
    expect(interviews).toHaveLength(3);
    // Opened last, the doctor's and the local candidate's interviews still go before the outsider's.
    expect(interviews.map((t) => t.applicationId).slice(0, 2).sort()).toEqual([localProcess, doctorProcess].sort());
    expect(interviews[2]!.applicationId).toBe(outsiderProcess);
    const grounds = (id: string) => interviews.find((t) => t.applicationId === id)!.priority?.map((g) => g.en) ?? null;
    expect(grounds(doctorProcess)).toEqual(['a doctorate in one of the listed fields', 'local: born in the centre\'s province']);
    expect(grounds(localProcess)).toEqual(['local: born in the centre\'s province']);
    expect(grounds(outsiderProcess)).toBeNull();
    // The grounds are on the timeline too, as the task opened.
    const [opened] = await h.db.db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, localProcess), eq(applicationEvents.kind, 'task-opened')));
    expect(opened!.detail).toMatchObject({ priority: [{ en: 'local: born in the centre\'s province' }] });
    // Priority orders the interviews; it decides none: the outsider passes like anyone.
    const outsiderInterview = interviews[2]!;
    await decide(h, tokens.khuzestan, outsiderInterview.id, 'pass');
    await taskInInbox(h, tokens.ahvaz, outsiderProcess, 'training-certificate');
    for (const id of processes) {
      const open = (await tasksOf(id)).find((t) => t.status === 'open');
      if (open) await decide(h, open.role === 'province-office' ? tokens.khuzestan : tokens.ahvaz, open.id, open.stepId === 'training-certificate' ? 'missing' : 'fail', 'closing the case');
      await ended(id);
    }
  });

  it('§manager.training-certificate: refuses a manager without the training-course certificate (TRAINING_CERTIFICATE_MISSING)', async () => {
    const { appointment, managerProcess } = await appoint(await generated(23002));
    await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, managerProcess, 'specialist-interview')).id, 'pass');
    const certificate = await taskInInbox(h, tokens.ahvaz, managerProcess, 'training-certificate');
    expect(certificate.outcomes.map((o) => o.name)).toEqual(['verified', 'missing', 'employed-elsewhere']);
    await decide(h, tokens.ahvaz, certificate.id, 'missing');
    expect(await ended(managerProcess)).toMatchObject({ outcome: 'rejected', reason: 'TRAINING_CERTIFICATE_MISSING', stepId: 'rejected-training' });
    await ended(appointment);
  });

  it('§manager.not-employed-elsewhere: a nomination must declare employment during the centre\'s shift; declared, it is refused at once (EMPLOYED_DURING_CENTRE_SHIFT)', async () => {
    const manager = await generated(23005);
    const undeclared = await api(h, 'POST', `/v1/licences/${centre}/changes/manager-appointment`, { token: tokens.portal, body: { manager } });
    expect(undeclared.status, undeclared.text).toBe(400);
    expect(undeclared.body).toMatchObject({ type: 'https://parvaneh.example/problems/missing-field', field: 'managerEmployedDuringCentreShift' });

    const { appointment, managerProcess } = await appoint(manager, true);
    expect(await ended(managerProcess)).toMatchObject({ outcome: 'rejected', reason: 'EMPLOYED_DURING_CENTRE_SHIFT', stepId: 'rejected-employed' });
    expect(await ended(appointment)).toMatchObject({ outcome: 'rejected', reason: 'MANAGER_NOT_LICENSED' });
    expect(await tasksOf(managerProcess)).toEqual([]);
    expect(await sandboxInquiries(h, manager.nationalCode)).toEqual([]);
  });

  it('§manager.not-employed-elsewhere: employment during the centre\'s shift the county finds with the certificate is refused too', async () => {
    const { appointment, managerProcess } = await appoint(await generated(23006));
    await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, managerProcess, 'specialist-interview')).id, 'pass');
    await decide(h, tokens.ahvaz, (await taskInInbox(h, tokens.ahvaz, managerProcess, 'training-certificate')).id, 'employed-elsewhere', 'a school counsellor in the mornings, the centre\'s shift');
    expect(await ended(managerProcess)).toMatchObject({ outcome: 'rejected', reason: 'EMPLOYED_DURING_CENTRE_SHIFT', stepId: 'rejected-employed' });
    expect((await tasksOf(managerProcess)).find((t) => t.stepId === 'training-certificate')).toMatchObject({ status: 'decided', outcome: 'employed-elsewhere' });
    await ended(appointment);
  });

  it('§manager.military-service: refuses a man who has neither served nor been exempted (0078912342) with MILITARY_SERVICE_UNRESOLVED, before the degree and any interview', async () => {
    const manager = await fixture('0078912342');
    const { appointment, managerProcess } = await appoint(manager);
    expect(await ended(managerProcess)).toMatchObject({ outcome: 'rejected', reason: 'MILITARY_SERVICE_UNRESOLVED', stepId: 'military-status' });
    await ended(appointment);
    expect(await tasksOf(managerProcess)).toEqual([]);
    expect((await sandboxInquiries(h, manager.nationalCode)).map((i) => i.registry).sort()).toEqual(['civil-registry', 'military-service']);
  });

  it('§manager.general-conditions: refuses a candidate the security office does not clear (0056789122) with SECURITY_CLEARANCE_DENIED, before the interview', async () => {
    const { appointment, managerProcess } = await appoint(await fixture('0056789122'));
    expect(await ended(managerProcess)).toMatchObject({ outcome: 'rejected', reason: 'SECURITY_CLEARANCE_DENIED', stepId: 'vetting-result' });
    await ended(appointment);
    expect(await tasksOf(managerProcess)).toEqual([]);
  });
});

describe('a centre passed to a successor (seed 002, Art. 5 and 8(4); successor-nomination v5)', () => {
  const absentFourMonths = () => addMonths(tehranDay(Date.now()), -4);

  /** A centre whose holder is also its manager (Art. 5(b) note 3), with that manager licence. */
  async function holderManagedCentre(seed: number) {
    const { activityLicence: number } = await throughToActivityLicence(h, { tokens, applicant: seed });
    const holder = await generated(seed);
    const own = await appoint(holder, false, number);
    await passManagerInterviewAndCertificate(h, tokens, own.managerProcess);
    expect(await ended(own.appointment)).toMatchObject({ outcome: 'approved', reason: 'MANAGER_APPOINTED' });
    // The manager the centre's application named first stands on it too, closed by the holder's appointment.
    const holderManager = (await managersOn(number)).find((m) => m.holderNationalCode === holder.nationalCode);
    expect(holderManager).toMatchObject({ holderNationalCode: holder.nationalCode, status: 'active' });
    return { number, holder, holderManager: holderManager! };
  }

  /** Nominates a successor for an absent holder; the province approves; the county records (or not) a substitute. */
  async function succeeded(number: string, body: Record<string, unknown>, substitute: 'recorded' | 'not-named'): Promise<string> {
    const nominated = await change(tokens.ahvaz, number, 'successor-nomination', { cause: 'absence', absentSince: absentFourMonths(), ...body });
    await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, nominated, 'province-decision')).id, 'approve');
    await decide(h, tokens.ahvaz, (await taskInInbox(h, tokens.ahvaz, nominated, 'record-substitute')).id, substitute, substitute === 'not-named' ? 'the family named nobody yet' : undefined);
    return nominated;
  }

  const stepReached = (applicationId: string, step: string) => eventually(async () => {
    const [row] = await h.db.db.select().from(applications).where(eq(applications.id, applicationId));
    return row?.currentStep === step ? true : undefined;
  }, `${applicationId} at ${step}`);

  it('§manager.licence-personal §manager.replaced-after-transfer §manager.leave.substitute: the former holder\'s manager licence is not the successor\'s; the successor\'s nominee goes through the manager process', async () => {
    const { activityLicence: number } = await throughToActivityLicence(h, { tokens, applicant: 23008 });
    const holder = await generated(23008);
    // The holder managed the centre (Art. 5(b) note 3).
    const own = await appoint(holder, false, number);
    await passManagerInterviewAndCertificate(h, tokens, own.managerProcess);
    expect(await ended(own.appointment)).toMatchObject({ outcome: 'approved', reason: 'MANAGER_APPOINTED' });
    // The manager the centre's application named first stands on it too, closed by the holder's appointment.
    const holderManager = (await managersOn(number)).find((m) => m.holderNationalCode === holder.nationalCode);
    expect(holderManager).toMatchObject({ holderNationalCode: holder.nationalCode, status: 'active' });

    const successor = await generated(23010);
    const nominee = await generated(23012);
    const substitute = await generated(23013);
    const nominated = await change(tokens.ahvaz, number, 'successor-nomination', {
      cause: 'absence', absentSince: absentFourMonths(), successor, manager: nominee, managerEmployedDuringCentreShift: false, substitute,
    });
    await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, nominated, 'province-decision')).id, 'approve');

    // The centre passes; the manager licence stays with its person and is closed, the portal told why.
    const substituteTask = await taskInInbox(h, tokens.ahvaz, nominated, 'record-substitute');
    expect(await licenceRow(number)).toMatchObject({ holderNationalCode: successor.nationalCode, status: 'active' });
    expect(await licenceRow(holderManager!.number)).toMatchObject({ holderNationalCode: holder.nationalCode, status: 'closed' });
    expect(await told(number, 'licence-holder-transferred')).toHaveLength(1);
    expect(await told(holderManager!.number, 'licence-holder-transferred')).toHaveLength(0);
    const closed = await told(holderManager!.number, 'licence-closed');
    expect(closed).toHaveLength(1);
    expect(closed[0]!.payload).toMatchObject({ licenceNumber: holderManager!.number, status: 'closed', because: number });
    expect(await h.db.db.select().from(auditLog).where(and(eq(auditLog.action, 'licence.closed'), eq(auditLog.subjectId, holderManager!.number)))).toHaveLength(1);
    expect(await h.db.db.select().from(licences).where(eq(licences.holderNationalCode, successor.nationalCode)).then((held) => held.map((l) => l.number)))
      .toEqual([number]);

    // Meanwhile the substitute named in writing is recorded (Art. 5(c) note 1), and the nominee goes through the manager process.
    await decide(h, tokens.ahvaz, substituteTask.id, 'recorded');
    const newManagerProcess = `${nominated}.new-manager.1`;
    const child = await eventually(async () => (await h.db.db.select().from(applications).where(eq(applications.id, newManagerProcess)))[0], 'the new manager\'s process');
    expect(child).toMatchObject({ licenceType: 'centre-manager', applicantNationalCode: nominee.nationalCode });
    expect(child.facts).toMatchObject({ centreLicence: number, nominatedBy: successor.nationalCode });
    await passManagerInterviewAndCertificate(h, tokens, newManagerProcess);
    expect(await ended(nominated)).toMatchObject({ outcome: 'approved', reason: 'SUCCESSOR_APPROVED_MANAGER_REPLACED' });
    const inForce = (await managersOn(number)).filter((m) => m.status === 'active');
    expect(inForce.map((m) => m.holderNationalCode)).toEqual([nominee.nationalCode]);
    expect(await told(number, 'manager-replaced')).toHaveLength(1);

    // The register shows the successor's name on the centre, to the office and (masked) to the public.
    const seen = await api<{ holderNationalCode: string; holderName: string }>(h, 'GET', `/v1/licences/${number}`, { token: tokens.ahvaz });
    expect(seen.body).toMatchObject({ holderNationalCode: successor.nationalCode, holderName: `${successor.firstName} ${successor.lastName}` });
    const publicView = await api<{ holderName: string }>(h, 'GET', await verificationPath(h, number));
    expect(publicView.body.holderName).toBe(maskName(`${successor.firstName} ${successor.lastName}`));
  });

  it('§manager.replaced-after-transfer: without a nominee the successor has 3 months (an assumption); a manager the successor introduces meanwhile ends it', async () => {
    const { number, holderManager } = await holderManagedCentre(23009);
    const successor = await generated(23011);
    const nominated = await succeeded(number, { successor }, 'not-named');
    await stepReached(nominated, 'until-manager-due');
    expect((await licenceRow(holderManager.number)).status).toBe('closed');
    // The successor, now the holder, introduces the manager on the centre's licence.
    const manager = await generated(23016);
    const { appointment, managerProcess } = await appoint(manager, false, number);
    const [row] = await eventually(async () => { const r = await h.db.db.select().from(applications).where(eq(applications.id, managerProcess)); return r.length ? r : undefined; }, 'the manager process');
    expect(row!.facts).toMatchObject({ centreLicence: number, nominatedBy: successor.nationalCode });
    await passManagerInterviewAndCertificate(h, tokens, managerProcess);
    expect(await ended(appointment)).toMatchObject({ outcome: 'approved', reason: 'MANAGER_APPOINTED' });
    await advance(h, 95 * DAY_MS);
    expect(await ended(nominated)).toMatchObject({ outcome: 'approved', reason: 'SUCCESSOR_APPROVED_MANAGER_REPLACED' });
    expect(await tasksOf(nominated).then((all) => all.map((t) => t.stepId).sort())).toEqual(['province-decision', 'record-substitute']);
  });

  it('§manager.replaced-after-transfer: a centre still without a licensed manager at the deadline goes to the county, which reports the violation to the province', async () => {
    const { number } = await holderManagedCentre(23004);
    const successor = await generated(23015);
    // The successor's nominee does not qualify (a master's in law): the deadline stands.
    const nominated = await succeeded(number, { successor, manager: await fixture('0231000014'), managerEmployedDuringCentreShift: false }, 'recorded');
    expect(await ended(`${nominated}.new-manager.1`)).toMatchObject({ outcome: 'rejected', reason: 'DEGREE_FIELD_NOT_LISTED' });
    await stepReached(nominated, 'until-manager-due');
    await advance(h, 95 * DAY_MS);
    const overdue = await taskInInbox(h, tokens.ahvaz, nominated, 'manager-overdue');
    expect(overdue.outcomes.map((o) => o.name)).toEqual(['report-violation', 'extend']);
    await decide(h, tokens.ahvaz, overdue.id, 'report-violation', 'no manager nominated since the transfer');
    expect(await ended(nominated)).toMatchObject({ outcome: 'approved', reason: 'SUCCESSOR_APPROVED_MANAGER_MISSING' });
    const report = await taskInInbox(h, tokens.khuzestan, `${nominated}.report-violation.1`, 'province-review');
    await decide(h, tokens.khuzestan, report.id, 'dismiss', 'a manager was nominated the next day');
  });

  it('§manager.licence-personal: a manager who is not the former holder keeps their licence, and the centre its manager', async () => {
    const before = (await managersOn(centre)).filter((m) => m.status === 'active');
    expect(before).toHaveLength(1);
    expect(before[0]!.holderNationalCode).not.toBe(centreHolder);
    const successor = await generated(23014);
    const nominated = await change(tokens.ahvaz, centre, 'successor-nomination', { cause: 'absence', absentSince: absentFourMonths(), successor });
    await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, nominated, 'province-decision')).id, 'approve');
    expect(await ended(nominated)).toMatchObject({ outcome: 'approved', reason: 'SUCCESSOR_APPROVED' });
    expect(await licenceRow(centre)).toMatchObject({ holderNationalCode: successor.nationalCode });
    expect(await licenceRow(before[0]!.number)).toMatchObject({ status: 'active', holderNationalCode: before[0]!.holderNationalCode });
    expect(await told(before[0]!.number, 'licence-closed')).toHaveLength(0);
    expect(await tasksOf(nominated).then((all) => all.map((t) => t.stepId))).toEqual(['province-decision']);
  });
});
