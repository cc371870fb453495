/**
 * The Welfare Services Centre as seed 002 writes it (version 3, issue 12), end to end: the
 * activity licence waits for a licensed manager, the holder's degree must be in a field of the
 * organisation's mission, and the county's site visit records what it found, which Art. 3's rules
 * judge. Real Temporal (time-skipping), real PostgreSQL, the sandbox registries, the gateway over HTTP.
 */
import { and, asc, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationEvents, applications, auditLog, licences, tasks } from '../db/schema/index.js';
import { stateQuery, workflowIdFor } from '../domain/workflow-interfaces/licence-process.js';
import { api, applicationFor, attachDocuments, decide, generatedApplication, processEnded, sandboxInquiries, taskInInbox, type CentreManager } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';
import { passManagerInterviewAndCertificate, throughToActivityLicence } from './support/journeys.js';
import { compliantVisit } from './support/site-visit.js';
import { officeTokens, type OfficeTokens } from './support/tokens.js';

let h: Harness;
let tokens: OfficeTokens;

beforeAll(async () => {
  h = await startHarness();
  tokens = await officeTokens(h);
});
afterAll(async () => h?.close());

type Problem = { type: string; title: string; title_fa: string; field?: string };

/** Submits an application as the portal; it is taken on version 4, which keeps version 3's rules (and counts a legal person's centres). */
async function submit(body: object): Promise<string> {
  const res = await api<{ applicationId: string; definitionVersion: number }>(h, 'POST', '/v1/applications', { token: tokens.portal, body });
  expect(res.status, res.text).toBe(202);
  expect(res.body.definitionVersion).toBe(4);
  return res.body.applicationId;
}

/** Takes an application through the interview and the province's approval to its open site visit. */
async function atSiteVisit(applicationId: string) {
  await decide(h, tokens.ahvaz, (await taskInInbox(h, tokens.ahvaz, applicationId, 'initial-interview')).id, 'accept');
  await attachDocuments(h, applicationId);
  await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, applicationId, 'province-decision')).id, 'approve');
  return taskInInbox(h, tokens.ahvaz, applicationId, 'site-visit');
}

const licencesOf = (applicationId: string) => h.db.db.select().from(licences).where(eq(licences.applicationId, applicationId));
const childrenOf = (applicationId: string) => h.db.db.select().from(applications).where(like(applications.id, `${applicationId}.%-manager.%`));
const ended = (applicationId: string) => processEnded(h, applicationId);

/** Visits the site with the findings given and expects the application refused by the rule's reason at the step, nothing more started. */
async function refusedAtVisit(seed: number, findings: Record<string, unknown>, reason: string, stepId: string) {
  const applicationId = await submit(await generatedApplication(seed));
  const visit = await atSiteVisit(applicationId);
  await decide(h, tokens.ahvaz, visit.id, 'visited', undefined, { ...compliantVisit, ...findings });
  expect(await ended(applicationId)).toMatchObject({ outcome: 'rejected', reason, stepId });
  const failed = await h.db.db.select().from(applicationEvents)
    .where(and(eq(applicationEvents.applicationId, applicationId), eq(applicationEvents.kind, 'rule-failed')));
  expect(failed).toMatchObject([{ stepId, detail: { reason } }]);
  expect((await licencesOf(applicationId)).map((l) => l.kind)).toEqual(['principle-agreement']);
  expect(await childrenOf(applicationId)).toEqual([]);
}

describe('Welfare Services Centre v3: the activity licence waits for a licensed manager', () => {
  it('§welfare.holder.as-manager: a holder who manages the centre himself gets his own manager licence, standing on the activity licence', async () => {
    const holder = '0012345679';
    const applicationId = await submit(await applicationFor(h, holder, 'welfare-services-centre', 'ahvaz', { kind: 'holder' }));
    const { activityLicence, principleAgreement, result } = await throughToActivityLicence(h, { tokens, applicationId });
    expect(result).toMatchObject({ outcome: 'approved', reason: 'ACTIVITY_LICENCE_ISSUED' });

    const [child] = await childrenOf(applicationId);
    expect(child).toMatchObject({ id: `${applicationId}.holder-as-manager.1`, licenceType: 'centre-manager', applicantNationalCode: holder, status: 'approved' });
    expect(child!.facts).toMatchObject({ centreLicence: principleAgreement, nominatedBy: holder });
    const [manager] = await licencesOf(child!.id);
    expect(manager).toMatchObject({ kind: 'manager-licence', holderNationalCode: holder, dependsOn: activityLicence, status: 'active' });
  });

  it('§welfare.activity-licence.needs-manager: a named manager is licensed first; the activity licence adopts the manager licence from the principle agreement', async () => {
    const body = await generatedApplication(3101);
    const nominee = (body.manager as Extract<CentreManager, { kind: 'nominee' }>).person;
    const applicationId = await submit(body);
    const { activityLicence, principleAgreement } = await throughToActivityLicence(h, { tokens, applicationId });

    const [child] = await childrenOf(applicationId);
    expect(child).toMatchObject({ id: `${applicationId}.nominated-manager.1`, licenceType: 'centre-manager', applicantNationalCode: nominee.nationalCode, status: 'approved' });
    expect(child!.facts).toMatchObject({ centreLicence: principleAgreement, nominatedBy: body.applicant.nationalCode });
    const [manager] = await licencesOf(child!.id);
    expect(manager).toMatchObject({ kind: 'manager-licence', holderNationalCode: nominee.nationalCode, dependsOn: activityLicence, status: 'active' });
    // Issued on the principle agreement, moved onto the activity licence as it was issued: audited and on the timeline.
    const [issued] = await h.db.db.select().from(auditLog).where(and(eq(auditLog.action, 'licence.issued'), eq(auditLog.subjectId, manager!.number)));
    expect(issued!.detail).toMatchObject({ dependsOn: principleAgreement });
    const [adopted] = await h.db.db.select().from(auditLog).where(and(eq(auditLog.action, 'licence.adopted'), eq(auditLog.subjectId, manager!.number)));
    expect(adopted!.detail).toMatchObject({ applicationId, from: principleAgreement, to: activityLicence });
    const timeline = await h.db.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, applicationId)).orderBy(asc(applicationEvents.seq));
    const kinds = timeline.map((e) => e.kind);
    expect(kinds.indexOf('subprocess-ended')).toBeLessThan(kinds.lastIndexOf('licence-issued'));
    expect(timeline.find((e) => e.kind === 'licences-adopted')).toMatchObject({
      stepId: 'activity-licence', detail: { number: activityLicence, adopted: [{ number: manager!.number, from: principleAgreement }], refused: [] },
    });
    // The principle agreement stands alone now: its expiry takes nothing with it.
    expect(await h.db.db.select().from(licences).where(eq(licences.dependsOn, principleAgreement))).toEqual([]);
  });

  it('§welfare.activity-licence.needs-manager: issues no activity licence while the manager\'s process still runs', async () => {
    const applicationId = await submit(await generatedApplication(3102));
    await decide(h, tokens.ahvaz, (await atSiteVisit(applicationId)).id, 'visited', undefined, compliantVisit);
    const childId = `${applicationId}.nominated-manager.1`;
    const interview = await taskInInbox(h, tokens.khuzestan, childId, 'specialist-interview');

    const parent = await h.client.workflow.getHandle(workflowIdFor(applicationId)).query(stateQuery);
    expect(parent).toMatchObject({ status: 'running', currentSteps: ['nominated-manager'], openTasks: [] });
    const child = await h.client.workflow.getHandle(workflowIdFor(childId)).query(stateQuery);
    expect(child).toMatchObject({ status: 'running', definition: { id: 'centre-manager' }, currentSteps: ['specialist-interview'] });
    expect(child.openTasks.map((t) => t.taskId)).toEqual([interview.id]);
    const [row] = await h.db.db.select().from(applications).where(eq(applications.id, applicationId));
    expect(row).toMatchObject({ status: 'running', currentStep: 'nominated-manager' });
    expect((await licencesOf(applicationId)).map((l) => l.kind)).toEqual(['principle-agreement']);

    await passManagerInterviewAndCertificate(h, tokens, childId);
    expect(await ended(applicationId)).toMatchObject({ outcome: 'approved', reason: 'ACTIVITY_LICENCE_ISSUED' });
    expect((await licencesOf(applicationId)).map((l) => l.kind).sort()).toEqual(['activity-licence', 'principle-agreement']);
  });

  it('§welfare.activity-licence.needs-manager: a manager the province does not license leaves the centre without an activity licence', async () => {
    const applicationId = await submit(await generatedApplication(3103));
    await decide(h, tokens.ahvaz, (await atSiteVisit(applicationId)).id, 'visited', undefined, compliantVisit);
    const childId = `${applicationId}.nominated-manager.1`;
    await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, childId, 'specialist-interview')).id, 'fail', 'not ready to run a centre');
    expect(await ended(childId)).toMatchObject({ outcome: 'rejected', reason: 'FAILED_SPECIALIST_INTERVIEW' });
    expect(await ended(applicationId)).toMatchObject({ outcome: 'rejected', reason: 'MANAGER_NOT_LICENSED', stepId: 'manager-not-licensed' });
    expect((await licencesOf(applicationId)).map((l) => l.kind)).toEqual(['principle-agreement']);
    expect(await licencesOf(childId)).toEqual([]);
  });

  it('§welfare.activity-licence.needs-manager: refuses an application that names no manager, before any inquiry', async () => {
    const { manager: _named, ...body } = await generatedApplication(3104);
    const applicationId = await submit(body);
    expect(await ended(applicationId)).toMatchObject({ outcome: 'rejected', reason: 'MANAGER_NOT_NAMED', stepId: 'manager-named' });
    expect(await sandboxInquiries(h, body.applicant.nationalCode)).toEqual([]);
  });

  it('tells an integrator which manager an application names, and refuses a manager of neither kind naming the field', async () => {
    const body = await generatedApplication(3105);
    const wrong = await api<Problem>(h, 'POST', '/v1/applications', { token: tokens.portal, body: { ...body, manager: { kind: 'nominee' } } });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ field: 'manager.person' });
    expect(wrong.body.title_fa.length).toBeGreaterThan(0);
    const neither = await api<Problem>(h, 'POST', '/v1/applications', { token: tokens.portal, body: { ...body, manager: { kind: 'deputy' } } });
    expect(neither.status).toBe(400);
    expect(neither.body.field).toMatch(/^manager/);
    const applicationId = await submit(body);
    const view = await api<{ application: { facts: { application: { manager: unknown } } } }>(h, 'GET', `/v1/applications/${applicationId}`, { token: tokens.ahvaz });
    expect(view.body.application.facts.application.manager).toEqual(body.manager);
    await api(h, 'POST', `/v1/applications/${applicationId}/withdrawal`, { token: tokens.portal, body: { reason: 'done looking' } });
  });
});

describe('Welfare Services Centre v3: the holder\'s degree (Art. 4(b))', () => {
  it('§welfare.holder.degree-field: refuses a holder whose bachelor\'s is in a field unrelated to the organisation\'s mission (0221000011)', async () => {
    const applicationId = await submit(await applicationFor(h, '0221000011'));
    expect(await ended(applicationId)).toMatchObject({ outcome: 'rejected', reason: 'DEGREE_FIELD_NOT_RELATED', stepId: 'degree' });
    expect(await h.db.db.select().from(tasks).where(eq(tasks.applicationId, applicationId))).toEqual([]);
    const education = (await sandboxInquiries(h, '0221000011')).filter((i) => i.registry === 'higher-education');
    expect(education).toHaveLength(1);
  });

  it('§welfare.holder.degree: refuses a holder with no university degree at all, the registry answering none (0242468020)', async () => {
    const applicationId = await submit(await applicationFor(h, '0242468020'));
    expect(await ended(applicationId)).toMatchObject({ outcome: 'rejected', reason: 'DEGREE_BELOW_BACHELOR', stepId: 'degree' });
    expect(await h.db.db.select().from(tasks).where(eq(tasks.applicationId, applicationId))).toEqual([]);
  });
});

describe('Welfare Services Centre v3: the documents of Art. 6', () => {
  /** Decides a task as an office over HTTP and returns the answer, whatever it is. */
  const decision = (token: string, taskId: string, outcome: string, recorded?: Record<string, unknown>) =>
    api<Problem & { reason?: string }>(h, 'POST', `/v1/tasks/${encodeURIComponent(taskId)}/decision`, { token, body: { outcome, recorded } });

  it('§welfare.documents: the province cannot grant the agreement, nor the county take the visit, until the portal has attached the documents they check; a man\'s military card too', async () => {
    // A generated man (the fixtures' clean man holds a centre already in this file).
    let man = await generatedApplication(7400);
    for (let seed = 7401; man.applicant.sex !== 'male'; seed += 1) man = await generatedApplication(seed);
    const applicationId = await submit(man);
    await decide(h, tokens.ahvaz, (await taskInInbox(h, tokens.ahvaz, applicationId, 'initial-interview')).id, 'accept');
    const province = await taskInInbox(h, tokens.khuzestan, applicationId, 'province-decision');

    const none = await decision(tokens.khuzestan, province.id, 'approve');
    expect(none.status, none.text).toBe(422);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect(none.body).toMatchObject({ type: 'https://parvaneh.example/problems/documents-missing', reason: 'DOCUMENTS_MISSING', field: 'documents' });
    expect(none.body.title).toContain('birth-certificate, national-id-card, photo, degree, military-service-card, no-criminal-record, no-addiction, icdl');
    expect(none.body.title_fa).toContain('مدارک لازم');
    expect(await h.db.db.select().from(tasks).where(eq(tasks.id, province.id))).toMatchObject([{ status: 'open', outcome: null }]);

    await attachDocuments(h, applicationId, ['birth-certificate', 'national-id-card', 'degree', 'military-service-card', 'no-criminal-record', 'no-addiction', 'icdl']);
    const noPhoto = await decision(tokens.khuzestan, province.id, 'approve');
    expect(noPhoto.status, noPhoto.text).toBe(422);
    expect(noPhoto.body.title).toBe('the documents this decision needs are not attached: photo');
    expect(noPhoto.body.title_fa).toBe('مدارک لازم برای این تصمیم پیوست نشده است: عکس');
    await attachDocuments(h, applicationId, ['photo']);
    expect((await decision(tokens.khuzestan, province.id, 'approve')).status).toBe(202);

    const visit = await taskInInbox(h, tokens.ahvaz, applicationId, 'site-visit');
    const noUndertaking = await decision(tokens.ahvaz, visit.id, 'visited', compliantVisit);
    expect(noUndertaking.status, noUndertaking.text).toBe(422);
    expect(noUndertaking.body.title).toBe('the documents this decision needs are not attached: non-disclosure-form');
    await attachDocuments(h, applicationId, ['non-disclosure-form']);
    expect((await decision(tokens.ahvaz, visit.id, 'visited', compliantVisit)).status).toBe(202);
  });

  it('§welfare.documents: a woman\'s file needs no military-service card, and a rejection needs no documents', async () => {
    const woman = await submit(await applicationFor(h, '0091234565'));
    await decide(h, tokens.ahvaz, (await taskInInbox(h, tokens.ahvaz, woman, 'initial-interview')).id, 'accept');
    await attachDocuments(h, woman, ['birth-certificate', 'national-id-card', 'photo', 'degree', 'no-criminal-record', 'no-addiction', 'icdl']);
    expect((await decision(tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, woman, 'province-decision')).id, 'approve')).status).toBe(202);

    const refused = await submit(await generatedApplication(7301));
    await decide(h, tokens.ahvaz, (await taskInInbox(h, tokens.ahvaz, refused, 'initial-interview')).id, 'accept');
    const task = await taskInInbox(h, tokens.khuzestan, refused, 'province-decision');
    const rejected = await api(h, 'POST', `/v1/tasks/${encodeURIComponent(task.id)}/decision`, { token: tokens.khuzestan, body: { outcome: 'reject', reason: 'no need in the district' } });
    expect(rejected.status, rejected.text).toBe(202);
    expect(await ended(refused)).toMatchObject({ outcome: 'rejected', reason: 'REJECTED_BY_PROVINCE' });
  });
});

describe('Welfare Services Centre v3: the site visit records what it found, and Art. 3 judges it', () => {
  it('§welfare.premises.area §welfare.staff.social-worker: records a compliant visit on the task, checked field by field, and goes on to the manager', async () => {
    const applicationId = await submit(await generatedApplication(3201));
    const visit = await atSiteVisit(applicationId);
    const [inbox] = (await api<{ items: { id: string; allowedOutcomes: { name: string; fields?: Record<string, { type: string }> }[] }[] }>(h, 'GET', '/v1/tasks', { token: tokens.ahvaz }))
      .body.items.filter((t) => t.id === visit.id);
    const visited = inbox!.allowedOutcomes.find((o) => o.name === 'visited')!;
    expect(Object.keys(visited.fields!).sort()).toEqual(Object.keys(compliantVisit).sort());
    expect(visited.fields!.socialWorkers!.type).toBe('list');

    const post = (body: unknown) => api<Problem>(h, 'POST', `/v1/tasks/${visit.id}/decision`, { token: tokens.ahvaz, body });
    const unrecorded = await post({ outcome: 'visited' });
    expect(unrecorded.status).toBe(400);
    expect(unrecorded.body).toMatchObject({ field: 'recorded' });
    const negative = await post({ outcome: 'visited', recorded: { ...compliantVisit, area: -80 } });
    expect(negative.status).toBe(400);
    expect(negative.body).toMatchObject({ field: 'recorded.area' });
    expect(negative.body.title_fa.length).toBeGreaterThan(0);
    const badWorker = await post({ outcome: 'visited', recorded: { ...compliantVisit, socialWorkers: [{ field: 'astrology', level: 'master' }] } });
    expect(badWorker.body).toMatchObject({ field: 'recorded.socialWorkers.0.field' });
    const stray = await post({ outcome: 'non-compliant', reason: 'fire exits blocked', recorded: compliantVisit });
    expect(stray.body).toMatchObject({ field: 'recorded' });
    expect((await h.db.db.select().from(tasks).where(eq(tasks.id, visit.id)))[0]).toMatchObject({ status: 'open', decisionDelivery: null, recorded: null });

    await decide(h, tokens.ahvaz, visit.id, 'visited', undefined, { ...compliantVisit, socialWorkers: [{ field: 'social-work', level: 'bachelor' }, { field: 'social-work', level: 'bachelor' }] });
    await taskInInbox(h, tokens.khuzestan, `${applicationId}.nominated-manager.1`, 'specialist-interview');
    const [decided] = await h.db.db.select().from(tasks).where(eq(tasks.id, visit.id));
    expect(decided).toMatchObject({ status: 'decided', outcome: 'visited', recorded: { ...compliantVisit, socialWorkers: [{ field: 'social-work', level: 'bachelor' }, { field: 'social-work', level: 'bachelor' }] } });
    const [audited] = await h.db.db.select().from(auditLog).where(and(eq(auditLog.action, 'task.decided'), eq(auditLog.subjectId, visit.id)));
    expect(audited!.detail).toMatchObject({ outcome: 'visited', recorded: Object.keys(compliantVisit).sort() });
    const events = await h.db.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, applicationId));
    expect(events.find((e) => e.kind === 'task-decided' && e.stepId === 'site-visit')!.detail).toMatchObject({ outcome: 'visited', recorded: { area: 80, householdFiles: 300 } });
    expect(events.filter((e) => e.kind === 'rule-failed')).toEqual([]);
    await api(h, 'POST', `/v1/applications/${applicationId}/withdrawal`, { token: tokens.portal, body: { reason: 'enough seen' } });
  });

  it('§welfare.premises.area: refuses 60 m² for 300 household files', async () => {
    await refusedAtVisit(3202, { area: 60, householdFiles: 300 }, 'PREMISES_AREA_TOO_SMALL', 'premises');
  });

  it('§welfare.staff.social-worker: refuses one social worker for 300 household files', async () => {
    await refusedAtVisit(3203, { householdFiles: 300, socialWorkers: [{ field: 'social-work', level: 'master' }] }, 'TOO_FEW_SOCIAL_WORKERS', 'staff');
  });

  it('§welfare.premises.training-space: refuses premises without a training space', async () => {
    await refusedAtVisit(3204, { trainingSpace: 'none', trainingSpaceArea: 0 }, 'TRAINING_SPACE_MISSING', 'premises');
  });
});
