/** Helpers for competitive-call tests: call files dated around the test server's clock, registrations, tasks. */
import { and, eq, inArray } from 'drizzle-orm';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseDocument } from 'yaml';
import { applications, competitionEntries, competitions, tasks } from '../../db/schema/index.js';
import type { Actor, ServiceContext } from '../../services/context.js';
import { decideTask } from '../../services/tasks.js';
import { eventually, generatedApplication } from './api.js';
import type { Harness } from './harness.js';

/** The shipped call's first version, which calls opened under it keep (72 working hours to review). */
export const CALL_FILE_V1 = 'processes/health-services-office/call-1405.yaml';
/** The second version (72 clock hours to review), which calls opened under it keep: no staff step, the degree alone. */
export const CALL_FILE_V2 = 'processes/health-services-office/call-1405-v2.yaml';
/** The call as new calls take it (version 3: seeds 000 and 001 rule by rule). */
export const CALL_FILE = 'processes/health-services-office/call-1405-v3.yaml';

/** A folder of process files for the harness, holding a copy of every shipped version of the call. */
export function callProcessesDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parvaneh-calls-'));
  for (const file of new Set([CALL_FILE_V1, CALL_FILE_V2, CALL_FILE])) writeFileSync(join(dir, basename(file)), readFileSync(file, 'utf8'));
  return dir;
}

/**
 * Writes the shipped call under another id with some fields changed (`call.registration.opens`
 * → value), as a ministry would publish next year's call: the same rules, new dates. `from` is the
 * version to copy (the call as new calls take it unless said), `file` the name to write (`<id>.yaml`).
 */
export function writeCallVariant(dir: string, id: string, changes: Record<string, unknown>, opts: { from?: string; file?: string } = {}): void {
  const doc = parseDocument(readFileSync(opts.from ?? CALL_FILE, 'utf8'));
  doc.set('id', id);
  for (const [path, value] of Object.entries(changes)) doc.setIn(path.split('.'), value);
  writeFileSync(join(dir, opts.file ?? `${id}.yaml`), doc.toString());
}

export const provinceOffice = (province: string): Actor => ({ subject: `province-office:${province}`, role: 'province-office', province });
export const portal: Actor = { subject: 'portal:test', role: 'portal' };
/** The exam organiser, who alone reports a call's exam scores. */
export const examOrganiser: Actor = { subject: 'exam-organiser:test', role: 'exam-organiser' };

export const ctxAt = (h: Harness, actor: Actor, nowMs?: number): ServiceContext => ({ deps: { ...h.deps, ...(nowMs === undefined ? {} : { now: () => nowMs }) }, actor });

/** The counties the shipped call's universities cover. */
const COUNTIES = ['ahvaz', 'dezful', 'arak'];

/** A registration for a generated (eligible) person, in a county chosen by the seed: every required document, a military card for men. */
export async function registrationFor(seed: number, opts: { employment?: 'none' | 'contract' | 'official'; documents?: string[]; guildSchool?: boolean; county?: string } = {}) {
  const { applicant } = await generatedApplication(seed);
  const county = COUNTIES[seed % COUNTIES.length]!;
  const { religionRecognised: _ignored, ...person } = applicant;
  const documents = opts.documents ?? [
    'national-id-card', 'birth-certificate', 'photo', 'degree',
    ...(person.sex === 'male' ? ['military-service-card'] : []), ...(opts.guildSchool ? ['guild-school-licence'] : []),
  ];
  return { county: opts.county ?? county, applicant: { ...person, employment: opts.employment ?? 'none' }, documents };
}

/** The open task of `stepId` for the application, once its process opened it. */
export function openTask(h: Harness, applicationId: string, stepId: string, timeoutMs = 60_000) {
  return eventually(async () => {
    const [task] = await h.db.db.select().from(tasks)
      .where(and(eq(tasks.applicationId, applicationId), eq(tasks.stepId, stepId), eq(tasks.status, 'open')));
    return task;
  }, `task ${stepId} of ${applicationId}`, timeoutMs);
}

/** Waits until every application in `ids` has an open `stepId` task, and returns them. */
export function openTasks(h: Harness, ids: string[], stepId: string, timeoutMs = 120_000) {
  return eventually(async () => {
    const open = await h.db.db.select().from(tasks).where(and(inArray(tasks.applicationId, ids), eq(tasks.stepId, stepId), eq(tasks.status, 'open')));
    return open.length === ids.length ? open : undefined;
  }, `${ids.length} open ${stepId} tasks`, timeoutMs);
}

/** Decides a task as the province office in charge. */
export function decideAs(h: Harness, task: { id: string; province: string | null }, outcome: string, reason?: string) {
  return decideTask({ ctx: ctxAt(h, provinceOffice(task.province!)), taskId: task.id, outcome, reason });
}

/** The application's status and outcome reason as the database has them. */
export async function statusOf(h: Harness, applicationId: string) {
  const [row] = await h.db.db.select({ status: applications.status, reason: applications.outcomeReason }).from(applications).where(eq(applications.id, applicationId));
  return row!;
}

/** The application's status and reason once it has ended. */
export function ended(h: Harness, applicationId: string, timeoutMs = 60_000) {
  return eventually(async () => {
    const row = await statusOf(h, applicationId);
    return row.status === 'running' ? undefined : row;
  }, `application ${applicationId} to end`, timeoutMs);
}

/** Waits until the call's workflow has moved it to `stage`. */
export function callStage(h: Harness, callId: string, stage: string) {
  return eventually(async () => {
    const [row] = await h.db.db.select({ stage: competitions.stage }).from(competitions).where(eq(competitions.id, callId));
    return row?.stage === stage ? true : undefined;
  }, `call ${callId} at ${stage}`, 120_000);
}

/** The call's entries: one per registration. */
export const entriesOf = (h: Harness, callId: string) => h.db.db.select().from(competitionEntries).where(eq(competitionEntries.callId, callId));

/** Waits until `count` entries of the call have joined its cohort (documents accepted in time). */
export function eligibleCount(h: Harness, callId: string, count: number, timeoutMs = 120_000) {
  return eventually(async () => {
    const eligible = await h.db.db.select({ id: competitionEntries.applicationId }).from(competitionEntries)
      .where(and(eq(competitionEntries.callId, callId), eq(competitionEntries.status, 'eligible')));
    return eligible.length === count ? true : undefined;
  }, `${count} applicants of ${callId} in the cohort`, timeoutMs);
}
