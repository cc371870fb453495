/**
 * The operations the officers' console reads (issue 14), through the real gateway over HTTP: the
 * inbox's filters and counts, one task by id and its scope, a document's download, an office's
 * figures, licence search with a licence's parent and dependents, and the calls an office runs.
 */
import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, licences, tasks } from '../db/schema/index.js';
import { resolveDeadline } from '../dsl/calendar.js';
import { dueBounds } from '../services/tasks.js';
import { api, eventually, generatedApplication, taskInInbox } from './support/api.js';
import { registrationFor } from './support/competitions.js';
import { startHarness, type Harness } from './support/harness.js';
import { throughToActivityLicence, type Licensed } from './support/journeys.js';
import { tokensFor, type Caller } from './support/tokens.js';

let h: Harness;
let tokens: Record<Caller, string>;

beforeAll(async () => {
  h = await startHarness();
  tokens = await tokensFor(h, ['portal', 'integrator', 'examOrganiser', 'national', 'ahvaz', 'dezful', 'arak', 'khuzestan', 'markazi']);
}, 120_000);
afterAll(async () => h?.close());

type Task = { id: string; applicationId: string; stepId: string; licenceType: string; applicant: { firstName: string; lastName: string } | null; status: string; dueAt: string; priority: unknown };
type Inbox = { items: Task[]; counts: { open: number; overdue: number; escalated: number; prioritised: number } };
type Figures = {
  scope: { role: string; county: string | null; province: string | null };
  tasks: { open: number; overdue: number; escalated: number };
  steps: { licenceType: string; stepId: string; open: number; overdue: number; decided: number; medianHours: number | null; p90Hours: number | null }[];
  inquiries: { registry: string; waiting: number; late: number; oldestSince: string }[];
};

const get = <T = Record<string, unknown>>(caller: Caller, path: string) => api<T>(h, 'GET', path, { token: tokens[caller] });

async function submit(body: unknown): Promise<string> {
  const res = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: tokens.portal, body });
  expect(res.status, res.text).toBe(202);
  return res.body.applicationId;
}

const inbox = async (caller: Caller, query = '') => {
  const res = await get<Inbox>(caller, `/v1/tasks${query}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
};
const ids = (list: Inbox) => list.items.map((t) => t.id);
const figures = async (caller: Caller) => {
  const res = await get<Figures>(caller, '/v1/office/figures');
  expect(res.status, res.text).toBe(200);
  return res.body;
};
const step = (f: Figures, stepId: string, licenceType = 'welfare-services-centre') => f.steps.find((s) => s.stepId === stepId && s.licenceType === licenceType);

/** Three applications in Ahvaz and one in Dezful, each at its county's initial interview. */
const interviews: { a1: Task; a2: Task; a3: Task; d1: Task } = {} as never;
const names: Record<string, { firstName: string; lastName: string }> = {};

describe('the inbox, a task, a document', () => {
  beforeAll(async () => {
    const bodies = await Promise.all([generatedApplication(7101), generatedApplication(7102), generatedApplication(7103), generatedApplication(7104, 'welfare-services-centre', 'dezful')]);
    const [a1, a2, a3, d1] = await Promise.all(bodies.map((body) => submit(body)));
    bodies.forEach((body, i) => { names[[a1, a2, a3, d1][i]!] = { firstName: body.applicant.firstName, lastName: body.applicant.lastName }; });
    const opened = await Promise.all([
      taskInInbox(h, tokens.ahvaz, a1!, 'initial-interview', 60_000), taskInInbox(h, tokens.ahvaz, a2!, 'initial-interview', 60_000),
      taskInInbox(h, tokens.ahvaz, a3!, 'initial-interview', 60_000), taskInInbox(h, tokens.dezful, d1!, 'initial-interview', 60_000),
    ]);
    Object.assign(interviews, { a1: opened[0], a2: opened[1], a3: opened[2], d1: opened[3] });
    // Where the due dates fall, set by hand (the process's own timers are untouched): A1 overdue and
    // escalated, A2 due later today with grounds of priority, A3 due ten working days from now.
    // "Later today" needs a day with time left in it: within ten minutes of Tehran's midnight the
    // day is let turn first, so A2 cannot fall due (or into tomorrow) while the tests read it.
    const untilMidnight = dueBounds(Date.now(), h.deps.calendar).endOfToday.getTime() - Date.now();
    if (untilMidnight < 600_000) await new Promise((r) => setTimeout(r, untilMidnight + 1_000));
    const now = Date.now();
    const { endOfToday } = dueBounds(now, h.deps.calendar);
    await h.db.db.update(tasks).set({ dueAt: new Date(now - 3_600_000), escalatedAt: new Date(now - 60_000) }).where(eq(tasks.id, interviews.a1.id));
    await h.db.db.update(tasks).set({ dueAt: new Date(endOfToday.getTime() - 60_000), priority: [{ fa: 'دارای مدرک دکتری', en: 'holds a doctorate' }] }).where(eq(tasks.id, interviews.a2.id));
    await h.db.db.update(tasks).set({ dueAt: new Date(resolveDeadline({ workingDays: 10 }, now, h.deps.calendar)) }).where(eq(tasks.id, interviews.a3.id));
  }, 900_000);

  it('lists the office\'s open tasks with their licence type and applicant, and counts the whole inbox whatever the filters', async () => {
    const all = await inbox('ahvaz');
    expect(ids(all)).toEqual(expect.arrayContaining([interviews.a1.id, interviews.a2.id, interviews.a3.id]));
    expect(ids(all)).not.toContain(interviews.d1.id);
    // Grounds of priority first.
    expect(all.items[0]!.id).toBe(interviews.a2.id);
    const a1 = all.items.find((t) => t.id === interviews.a1.id)!;
    expect(a1).toMatchObject({ licenceType: 'welfare-services-centre', applicant: names[interviews.a1.applicationId], status: 'open' });
    expect(all.counts).toEqual({
      open: all.items.length, overdue: all.items.filter((t) => Date.parse(t.dueAt) < Date.now()).length, escalated: 1,
      prioritised: all.items.filter((t) => t.priority !== null).length,
    });
    expect(all.counts).toMatchObject({ overdue: 1, escalated: 1, prioritised: 1 });

    expect(ids(await inbox('ahvaz', '?due=overdue'))).toEqual([interviews.a1.id]);
    expect(ids(await inbox('ahvaz', '?due=escalated'))).toEqual([interviews.a1.id]);
    const today = await inbox('ahvaz', '?due=today');
    expect(ids(today)).toContain(interviews.a2.id);
    expect(ids(today)).not.toContain(interviews.a1.id);
    const week = await inbox('ahvaz', '?due=week');
    expect(ids(week)).toContain(interviews.a2.id);
    expect(ids(week)).not.toEqual(expect.arrayContaining([interviews.a1.id]));
    expect(ids(week)).not.toContain(interviews.a3.id);
    expect(ids(await inbox('ahvaz', '?stepId=initial-interview&licenceType=welfare-services-centre'))).toEqual(expect.arrayContaining([interviews.a1.id, interviews.a2.id, interviews.a3.id]));
    const none = await inbox('ahvaz', '?stepId=province-decision');
    expect(none.items).toEqual([]);
    expect(none.counts).toEqual(all.counts);
    expect((await inbox('ahvaz', '?licenceType=centre-manager')).items.every((t) => t.licenceType === 'centre-manager')).toBe(true);
    // Dezful's inbox is its own: its counts do not see Ahvaz's overdue task.
    const dezful = await inbox('dezful');
    expect(ids(dezful)).toEqual([interviews.d1.id]);
    expect(dezful.counts).toEqual({ open: 1, overdue: 0, escalated: 0, prioritised: 0 });
  });

  it('refuses a filter it does not know, naming it in Persian and English', async () => {
    const res = await get('ahvaz', '/v1/tasks?due=soon');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ field: 'due', title: expect.any(String), title_fa: expect.any(String) });
    expect((await get('ahvaz', '/v1/tasks?stepId=Not%20A%20Step')).body).toMatchObject({ field: 'stepId' });
  });

  it('reads one task in scope; out of scope it answers 404, as an unknown task does', async () => {
    const path = `/v1/tasks/${encodeURIComponent(interviews.a1.id)}`;
    for (const caller of ['ahvaz', 'khuzestan', 'national', 'portal'] as const) {
      const res = await get<Task>(caller, path);
      expect(res.status, `${caller}: ${res.text}`).toBe(200);
      expect(res.body).toMatchObject({ id: interviews.a1.id, stepId: 'initial-interview', licenceType: 'welfare-services-centre', applicant: names[interviews.a1.applicationId] });
    }
    const unknown = await get('ahvaz', `/v1/tasks/${encodeURIComponent(`${interviews.a1.applicationId}.no-such-step.1`)}`);
    expect(unknown.status).toBe(404);
    for (const caller of ['dezful', 'markazi', 'arak'] as const) {
      const res = await get(caller, path);
      expect(res.status, caller).toBe(404);
      const { requestId: _a, ...problem } = res.body;
      const { requestId: _b, ...unknownProblem } = unknown.body;
      expect(problem).toEqual(unknownProblem);
    }
    expect((await get('integrator', path)).status).toBe(403);
  });

  it('downloads an attached document: the exact bytes, its media type, an RFC 6266 attachment and nosniff; out of scope refused', async () => {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from([0, 1, 2, 0xfe, 0xff]), Buffer.from('\n%%EOF\n')]);
    const attached = await api<{ id: string }>(h, 'POST', `/v1/applications/${interviews.a1.applicationId}/documents`, {
      token: tokens.portal, body: { type: 'degree', fileName: 'مدرک "تحصیلی" 1.pdf', mediaType: 'application/pdf', contentBase64: bytes.toString('base64') },
    });
    expect(attached.status, attached.text).toBe(201);
    const path = `/v1/applications/${interviews.a1.applicationId}/documents/${attached.body.id}`;
    for (const caller of ['ahvaz', 'khuzestan', 'portal'] as const) {
      const res = await fetch(`${h.gatewayUrl}${path}`, { headers: { authorization: `Bearer ${tokens[caller]}` } });
      expect(res.status, caller).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="____ ________ 1.pdf"; filename*=UTF-8''${encodeURIComponent('مدرک "تحصیلی" 1.pdf')}`,
      );
      expect(res.headers.get('x-jws-signature')).toBeTruthy();
    }
    // Through `api`, which verifies the signature over the bytes.
    expect((await get('ahvaz', path)).status).toBe(200);
    expect((await get('dezful', path)).status).toBe(403);
    expect((await get('markazi', path)).status).toBe(403);
    expect((await get('integrator', path)).status).toBe(403);
    expect((await get('ahvaz', `/v1/applications/${interviews.a1.applicationId}/documents/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await get('ahvaz', `/v1/applications/${interviews.a2.applicationId}/documents/${attached.body.id}`)).status).toBe(404);
    expect((await get('ahvaz', `/v1/applications/${interviews.a1.applicationId}/documents/not-a-uuid`)).body).toMatchObject({ field: 'documentId' });
  });

  it('counts a county\'s and its province\'s figures, before and after a decision', async () => {
    const [ahvaz0, dezful0] = [await figures('ahvaz'), await figures('dezful')];
    expect(ahvaz0.scope).toEqual({ role: 'county-office', county: 'ahvaz', province: 'khuzestan' });
    expect(step(ahvaz0, 'initial-interview')).toMatchObject({ overdue: 1, decided: 0, medianHours: null, p90Hours: null });
    expect(step(dezful0, 'initial-interview')).toMatchObject({ open: 1, overdue: 0, decided: 0 });
    expect(ahvaz0.tasks).toMatchObject({ overdue: 1, escalated: 1 });

    const decided = await api(h, 'POST', `/v1/tasks/${encodeURIComponent(interviews.a1.id)}/decision`, { token: tokens.ahvaz, body: { outcome: 'accept' } });
    expect(decided.status, decided.text).toBe(202);
    await taskInInbox(h, tokens.khuzestan, interviews.a1.applicationId, 'province-decision', 60_000);
    const [row] = await h.db.db.select().from(tasks).where(eq(tasks.id, interviews.a1.id));
    const hours = (row!.decidedAt!.getTime() - row!.createdAt.getTime()) / 3_600_000;

    const [ahvaz, dezful, khuzestan, markazi, national] = [await figures('ahvaz'), await figures('dezful'), await figures('khuzestan'), await figures('markazi'), await figures('national')];
    const interview = step(ahvaz, 'initial-interview')!;
    expect(interview).toMatchObject({ open: step(ahvaz0, 'initial-interview')!.open - 1, overdue: 0, decided: 1 });
    expect(interview.medianHours).toBeCloseTo(hours, 2);
    expect(interview.p90Hours).toBeCloseTo(hours, 2);
    // The province's decision of an Ahvaz application is in Ahvaz's figures, whoever decides it.
    expect(step(ahvaz, 'province-decision')).toMatchObject({ open: 1, decided: 0 });
    expect(ahvaz.tasks).toEqual({ open: ahvaz0.tasks.open, overdue: 0, escalated: 0 });
    // The province: its two counties together.
    expect(khuzestan.scope).toEqual({ role: 'province-office', county: null, province: 'khuzestan' });
    expect(khuzestan.tasks.open).toBe(ahvaz.tasks.open + dezful.tasks.open);
    expect(step(khuzestan, 'initial-interview')).toMatchObject({ open: interview.open + step(dezful, 'initial-interview')!.open, decided: 1 });
    expect(step(khuzestan, 'initial-interview')!.medianHours).toBeCloseTo(hours, 2);
    expect(step(markazi, 'initial-interview')).toBeUndefined();
    expect(national.tasks.open).toBeGreaterThanOrEqual(khuzestan.tasks.open);
    for (const f of [ahvaz, khuzestan, national]) {
      for (const waiting of f.inquiries) expect(waiting.late).toBeLessThanOrEqual(waiting.waiting);
    }
    expect((await get('portal', '/v1/office/figures')).status).toBe(403);
  });
});

describe('licences: search, parent and dependents, any application a task names', () => {
  let licensed: Licensed;
  let manager: typeof licences.$inferSelect;

  beforeAll(async () => {
    licensed = await throughToActivityLicence(h, { tokens: { portal: tokens.portal, ahvaz: tokens.ahvaz, khuzestan: tokens.khuzestan }, applicant: 7201 });
    manager = (await h.db.db.select().from(licences).where(eq(licences.dependsOn, licensed.activityLicence)))[0]!;
  }, 300_000);

  const search = async (caller: Caller, query: string) => {
    const res = await get<{ items: { number: string }[] }>(caller, `/v1/licences?${query}`);
    expect(res.status, res.text).toBe(200);
    return res.body.items.map((l) => l.number);
  };

  it('finds a licence by number, holder, holder\'s name, county, status, licence type, and limits the list', async () => {
    const number = licensed.activityLicence;
    const [row] = await h.db.db.select().from(licences).where(eq(licences.number, number));
    const holder = (await h.db.db.select({ facts: applications.facts }).from(applications).where(eq(applications.id, licensed.applicationId)))[0]!.facts as { applicant: { lastName: string; firstName: string } };
    expect(await search('ahvaz', `number=${number}`)).toEqual([number]);
    expect(await search('ahvaz', `number=${number.toLowerCase()}`)).toEqual([number]);
    expect(await search('ahvaz', `number=${number.slice(0, 7)}`)).toContain(number);
    expect(await search('ahvaz', 'number=XYZ')).toEqual([]);
    expect(await search('portal', `holderNationalCode=${row!.holderNationalCode}`)).toContain(number);
    expect((await get('integrator', `/v1/licences?holderNationalCode=${row!.holderNationalCode}`)).status).toBe(403);
    const part = holder.applicant.lastName.slice(1, 4);
    expect(await search('ahvaz', `holderName=${encodeURIComponent(part)}`)).toContain(number);
    expect(await search('national', `holderName=${encodeURIComponent(`${holder.applicant.firstName} ${holder.applicant.lastName}`)}`)).toContain(number);
    expect(await search('ahvaz', `holderName=${encodeURIComponent('ناموجود_%')}`)).toEqual([]);
    for (const caller of ['portal', 'integrator'] as const) expect((await get(caller, `/v1/licences?holderName=${encodeURIComponent(part)}`)).status).toBe(403);
    expect(await search('khuzestan', 'county=ahvaz')).toContain(number);
    expect(await search('khuzestan', 'county=dezful')).not.toContain(number);
    expect(await search('dezful', `number=${number}`)).toEqual([]);
    expect(await search('ahvaz', 'status=active')).toContain(number);
    expect(await search('ahvaz', 'status=revoked')).not.toContain(number);
    expect(await search('ahvaz', 'licenceType=welfare-services-centre')).toContain(number);
    const managers = await search('ahvaz', 'licenceType=centre-manager');
    expect(managers).toContain(manager.number);
    expect(managers).not.toContain(number);
    expect(await search('ahvaz', 'limit=1')).toHaveLength(1);
    const bad = await get('ahvaz', '/v1/licences?number=WSC%25');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ field: 'number', title_fa: expect.any(String) });
  });

  it('names a licence\'s parent and its dependents: the centre\'s activity licence and its manager\'s licence', async () => {
    const centre = await get<{ parent: unknown; dependents: { number: string; kind: string }[]; validFromJalali: string; validUntilJalali: string; holderName: string }>('ahvaz', `/v1/licences/${licensed.activityLicence}`);
    expect(centre.status, centre.text).toBe(200);
    expect(centre.body.parent).toBeNull();
    expect(centre.body.dependents).toEqual([expect.objectContaining({ number: manager.number, kind: 'manager-licence', status: 'active', valid: true })]);
    expect(centre.body.validUntilJalali).toMatch(/^14\d\d\/\d\d\/\d\d$/);
    const managerPage = await get<{ parent: { number: string } | null; dependents: unknown[] }>('khuzestan', `/v1/licences/${manager.number}`);
    expect(managerPage.body.parent).toMatchObject({ number: licensed.activityLicence, kind: 'activity-licence' });
    expect(managerPage.body.dependents).toEqual([]);
    expect((await get('dezful', `/v1/licences/${licensed.activityLicence}`)).status).toBe(403);
  });

  it('reads every application a task can name: a subprocess `<parent>.<step>.<n>` and a licence\'s standing process `licence-<number>.<process>`', async () => {
    const subprocess = manager.applicationId;
    expect(subprocess).toMatch(/^[0-9a-f-]{36}\.[a-z-]+\.\d+$/);
    const standing = await eventually(async () => (await h.db.db.select({ id: applications.id }).from(applications)
      .where(like(applications.id, `licence-${licensed.activityLicence}.%`)))[0]?.id, 'the activity licence\'s standing process');
    for (const id of [subprocess, standing]) {
      const res = await get<{ application: { id: string }; tasks: Task[] }>('ahvaz', `/v1/applications/${encodeURIComponent(id)}`);
      expect(res.status, `${id}: ${res.text}`).toBe(200);
      expect(res.body.application.id).toBe(id);
      expect((await get('dezful', `/v1/applications/${encodeURIComponent(id)}`)).status).toBe(403);
    }
    // The manager's subprocess had tasks: each names its own licence type.
    const sub = await get<{ tasks: Task[] }>('khuzestan', `/v1/applications/${encodeURIComponent(subprocess)}`);
    expect(sub.body.tasks.length).toBeGreaterThan(0);
    for (const task of sub.body.tasks) {
      expect(task.licenceType).toBe('centre-manager');
      expect((await get<Task>('ahvaz', `/v1/tasks/${encodeURIComponent(task.id)}`)).body).toMatchObject({ id: task.id, status: 'decided', licenceType: 'centre-manager' });
    }
    expect((await get('dezful', `/v1/applications/${encodeURIComponent(subprocess)}/documents/00000000-0000-4000-8000-000000000000`)).status).toBe(403);
    expect((await get('ahvaz', `/v1/applications/${encodeURIComponent(standing)}/documents/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });
});

describe('the competitive call, for the office that runs it', () => {
  const CALL = 'health-services-office-call-1405';
  const registered: Record<string, { applicationId: string; firstName: string; lastName: string }> = {};

  beforeAll(async () => {
    for (const [county, seed] of [['ahvaz', 7301], ['arak', 7302], ['ahvaz', 7303]] as const) {
      const body = await registrationFor(seed, { county });
      const res = await api<{ applicationId: string }>(h, 'POST', `/v1/calls/${CALL}/registrations`, { token: tokens.portal, body });
      expect(res.status, res.text).toBe(202);
      registered[seed] = { applicationId: res.body.applicationId, firstName: body.applicant.firstName, lastName: body.applicant.lastName };
    }
  }, 120_000);

  type Summary = { id: string; stage: string; registrations: number; byStatus: Record<string, number>; universities: { id: string; registrations: number; capacity: number }[] };

  it('lists the calls an office runs with its registrations counted per state and university', async () => {
    const khuzestan = (await get<{ items: Summary[] }>('khuzestan', '/v1/calls')).body.items;
    expect(khuzestan).toHaveLength(1);
    expect(khuzestan[0]).toMatchObject({ id: CALL, stage: 'registration', registrations: 2 });
    expect(Object.values(khuzestan[0]!.byStatus).reduce((a, b) => a + b, 0)).toBe(2);
    expect(khuzestan[0]!.universities).toEqual([
      expect.objectContaining({ id: 'ahvaz-jundishapur', capacity: 3, registrations: 2 }),
      expect.objectContaining({ id: 'dezful', capacity: 1, registrations: 0 }),
    ]);
    const markazi = (await get<{ items: Summary[] }>('markazi', '/v1/calls')).body.items;
    expect(markazi[0]).toMatchObject({ id: CALL, registrations: 1, universities: [expect.objectContaining({ id: 'arak', registrations: 1 })] });
    const national = (await get<{ items: Summary[] }>('national', '/v1/calls')).body.items;
    expect(national[0]).toMatchObject({ id: CALL, registrations: 3 });
    expect(national[0]!.universities).toHaveLength(3);
    for (const caller of ['ahvaz', 'portal', 'integrator'] as const) expect((await get(caller, '/v1/calls')).status).toBe(403);
  });

  it('lists a call\'s registrations with the applicant, university, documents, exam result and state; a call it does not run is unknown', async () => {
    const res = await get<{ callId: string; items: { applicationId: string; university: string; county: string; applicant: unknown; examScore: number | null; status: string; documents: string[] }[] }>('khuzestan', `/v1/calls/${CALL}/registrations`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.items.map((i) => i.applicationId).sort()).toEqual([registered[7301]!.applicationId, registered[7303]!.applicationId].sort());
    const line = res.body.items.find((i) => i.applicationId === registered[7301]!.applicationId)!;
    expect(line).toMatchObject({
      university: 'ahvaz-jundishapur', county: 'ahvaz', examScore: null,
      applicant: { firstName: registered[7301]!.firstName, lastName: registered[7301]!.lastName },
    });
    expect(line.documents).toEqual(expect.arrayContaining(['national-id-card', 'photo']));
    expect(['registered', 'eligible', 'refused']).toContain(line.status);
    const markazi = await get<{ items: { applicationId: string; university: string }[] }>('markazi', `/v1/calls/${CALL}/registrations`);
    expect(markazi.body.items).toEqual([expect.objectContaining({ applicationId: registered[7302]!.applicationId, university: 'arak' })]);
    expect((await get('national', `/v1/calls/${CALL}/registrations`)).body).toMatchObject({ items: expect.any(Array) });
    expect(((await get<{ items: unknown[] }>('national', `/v1/calls/${CALL}/registrations`)).body.items)).toHaveLength(3);
    expect((await get('khuzestan', '/v1/calls/no-such-call/registrations')).status).toBe(404);
    expect((await get('ahvaz', `/v1/calls/${CALL}/registrations`)).status).toBe(403);
    expect((await get('khuzestan', '/v1/calls/Not_A_Call/registrations')).body).toMatchObject({ field: 'callId' });
  });
});
