/**
 * Competitive-call verbs: register an applicant, record the exam results, read the ranking.
 * The call's rules come from its definition file (`kind: call`); the cohort runs in the call's
 * workflow, each applicant in the generic licence process.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { inTransaction } from '../db/client.js';
import { competitionEntriesWithStatus } from './competition-views.js';
import { applications, competitionEntries, competitions } from '../db/schema/index.js';
import { formatJalali, parseJalali, resolveDeadline } from '../dsl/calendar.js';
import type { Text } from '../dsl/schema.js';
import { holds } from '../dsl/expressions.js';
import type { LoadedDefinition } from '../dsl/load.js';
import { callWorkflowIdFor, examResultsSignal, type CallProcessInput } from '../domain/workflow-interfaces/competition-process.js';
import { TASK_QUEUE } from '../domain/workflow-interfaces/licence-process.js';
import { NATIONAL_CODE_PROBLEM } from './application-input.js';
import { newTrackingCode } from './applications.js';
import { appendAudit } from '../domain/audit.js';
import { CompetitionRegistrationInput, ExamResultsInput } from './competition-input.js';
import { inScope, type ServiceContext, type ServiceDeps } from './context.js';
import { conflict, firstIssueProblem, forbidden, invalid, notFound } from './errors.js';
import { provinceOf } from './geography.js';
import { openApplication, processUnavailable } from './start-process.js';
import { applicantOf } from './task-views.js';

export interface CompetitionRegistration {
  applicationId: string;
  trackingCode: string;
  callId: string;
  university: string;
}

const callNotFound = (callId: string) => notFound({ fa: 'فراخوان یافت نشد', en: 'call not found' }, `no call ${callId}`);

/** The call's definition: the one it opened with, or (before it opened) the one in effect now. */
async function callDefinition(deps: ServiceDeps, callId: string, nowMs: number): Promise<LoadedDefinition> {
  const [row] = await deps.db.select().from(competitions).where(eq(competitions.id, callId));
  const loaded = row ? deps.catalogue.pinned(row.definitionHash) : deps.catalogue.current(callId, nowMs);
  if (!loaded || loaded.definition.kind !== 'call' || !loaded.definition.call) {
    if (row) throw processUnavailable(new Error(`definition ${row.definitionHash} of call ${callId} is no longer loaded`));
    throw callNotFound(callId);
  }
  return loaded;
}

/** Records the call and starts its workflow, once. */
async function ensureCall(deps: ServiceDeps, loaded: LoadedDefinition): Promise<void> {
  const { definition, hash } = loaded;
  const call = definition.call!;
  const closes = parseJalali(call.registration.closes, deps.calendar);
  // Recorded and audited together: a retry finds the call recorded and would not audit it again.
  await inTransaction(deps.db, async (tx) => {
    const inserted = await tx.insert(competitions).values({
      id: definition.id, definitionVersion: definition.version, definitionHash: hash, workflowId: callWorkflowIdFor(definition.id),
      registrationClosesAt: new Date(closes), documentsDueAt: new Date(resolveDeadline(call.lateDocuments.after, closes, deps.calendar)),
    }).onConflictDoNothing().returning({ id: competitions.id });
    if (inserted.length > 0) await appendAudit(tx, { actor: 'gateway', action: 'call.opened', subjectType: 'call', subjectId: definition.id, detail: { version: definition.version, hash } });
  });
  const input: CallProcessInput = { callId: definition.id, definition, definitionHash: hash, calendar: deps.calendar, historyLimit: deps.historyLimit };
  try {
    await deps.temporal.workflow.start('callProcess', { taskQueue: deps.taskQueue ?? TASK_QUEUE, workflowId: callWorkflowIdFor(definition.id), args: [input] });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw processUnavailable(error as Error);
  }
}

/**
 * Registers an applicant in a call (through the national portal) and starts their process.
 * Refused before anything is written: outside the registration window, a county no university
 * of the call covers, a required document missing (no military-service card, no registration),
 * or a second registration of the same person.
 */
export async function registerInCompetition({ ctx, callId, input, idempotencyKey }: { ctx: ServiceContext; callId: string; input: unknown; idempotencyKey?: string }): Promise<CompetitionRegistration> {
  const { deps, actor } = ctx;
  if (actor.role !== 'portal') throw forbidden('registrations in a call come through the national portal');
  const parsed = CompetitionRegistrationInput.safeParse(input);
  if (!parsed.success) throw firstIssueProblem(parsed.error, input, { problems: NATIONAL_CODE_PROBLEM });
  const registration = parsed.data;
  const nowMs = (deps.now ?? Date.now)();
  const loaded = await callDefinition(deps, callId, nowMs);
  const call = loaded.definition.call!;
  if (nowMs < parseJalali(call.registration.opens, deps.calendar)) {
    throw conflict('registration-not-open', { fa: 'ثبت‌نام فراخوان هنوز آغاز نشده است', en: 'registration has not opened' }, `opens ${call.registration.opens}`);
  }
  if (nowMs >= parseJalali(call.registration.closes, deps.calendar)) {
    throw conflict('registration-closed', { fa: 'مهلت ثبت‌نام فراخوان گذشته است', en: 'registration has closed' }, `closed ${call.registration.closes}`);
  }
  const university = Object.entries(call.universities).find(([, u]) => u.counties.includes(registration.county))?.[0];
  if (!university) {
    throw invalid('county-without-need', 'county', { fa: 'این شهرستان در فراخوان اعلام نیاز نکرده است', en: 'no university of the call declared a need in this county' }, registration.county);
  }
  const unknown = registration.documents.filter((d) => !call.documents.some((c) => c.id === d));
  if (unknown.length > 0) throw invalid('unknown-document', 'documents', { fa: 'مدرک ناشناخته', en: 'unknown document' }, unknown.join(', '));
  const missing = call.documents.filter((d) => d.required && (!d.requiredWhen || holds(d.requiredWhen, { applicant: registration.applicant })) && !registration.documents.includes(d.id));
  if (missing.length > 0) {
    throw invalid('missing-documents', 'documents', { fa: 'مدارک الزامی بارگذاری نشده است', en: 'required documents are missing' }, missing.map((d) => d.id).join(', '));
  }
  if (idempotencyKey) {
    const [earlier] = await deps.db.select({ id: applications.id, trackingCode: applications.trackingCode }).from(applications)
      .where(and(eq(applications.submittedBy, actor.subject), eq(applications.idempotencyKey, idempotencyKey)));
    if (earlier) return { applicationId: earlier.id, trackingCode: earlier.trackingCode, callId, university };
  }
  const [already] = await deps.db.select({ id: competitionEntries.applicationId }).from(competitionEntries)
    .where(and(eq(competitionEntries.callId, callId), eq(competitionEntries.applicantNationalCode, registration.applicant.nationalCode)));
  if (already) throw conflict('already-registered', { fa: 'متقاضی پیش‌تر در این فراخوان ثبت‌نام کرده است', en: 'already registered in this call' });

  await ensureCall(deps, loaded);
  const applicationId = randomUUID();
  const trackingCode = newTrackingCode();
  const province = provinceOf(registration.county)!;
  const submittedAt = new Date(nowMs).toISOString();
  const facts = {
    applicant: registration.applicant,
    application: {
      id: applicationId, trackingCode, licenceType: callId, county: registration.county, province, holderType: 'natural',
      submittedAt, callId, university, documents: [...registration.documents].sort(),
    },
  };
  const opened = await openApplication({
    ctx, loaded,
    application: {
      id: applicationId, trackingCode, licenceType: callId, applicantNationalCode: registration.applicant.nationalCode,
      county: registration.county, province, facts, submittedBy: actor.subject, idempotencyKey: idempotencyKey ?? null,
    },
    alongside: {
      write: (tx) => tx.insert(competitionEntries).values({
        applicationId, callId, university, applicantNationalCode: registration.applicant.nationalCode, trackingCode,
        registeredAt: new Date(nowMs), documents: facts.application.documents,
      }),
      undo: (tx) => tx.delete(competitionEntries).where(eq(competitionEntries.applicationId, applicationId)),
    },
    audit: {
      action: 'call.registered', failedAction: 'call.registration-start-failed', subjectType: 'application', subjectId: applicationId,
      detail: { callId, university, definitionHash: loaded.hash },
    },
  });
  // A twin request with the same key got there first: its registration is the answer.
  if (opened.twin) return { applicationId: opened.twin.id, trackingCode: opened.twin.trackingCode, callId, university };
  return { applicationId, trackingCode, callId, university };
}

/** Records exam scores (from the exam organiser, under its own role) and wakes the call. */
export async function recordExamResults({ ctx, callId, input }: { ctx: ServiceContext; callId: string; input: unknown }) {
  const { deps, actor } = ctx;
  if (actor.role !== 'exam-organiser') throw forbidden('exam results come from the exam organiser');
  const parsed = ExamResultsInput.safeParse(input);
  if (!parsed.success) throw firstIssueProblem(parsed.error, input);
  const [call] = await deps.db.select().from(competitions).where(eq(competitions.id, callId));
  if (!call) throw callNotFound(callId);
  const loaded = deps.catalogue.pinned(call.definitionHash);
  const maxScore = loaded?.definition.call?.exam.maxScore ?? Number.POSITIVE_INFINITY;
  if (call.stage !== 'registration' && call.stage !== 'exam') {
    throw conflict('exam-closed', { fa: 'نتایج آزمون پیش‌تر اعمال شده است', en: 'the exam results are already applied' }, `stage ${call.stage}`);
  }
  const { results } = parsed.data;
  const over = results.find((r) => r.score > maxScore);
  if (over) throw invalid('score-out-of-range', 'results', { fa: 'نمره بیش از حداکثر است', en: 'score above the maximum' }, `${over.applicationId}: ${over.score} > ${maxScore}`);
  const known = await deps.db.select({ id: competitionEntries.applicationId }).from(competitionEntries)
    .where(and(eq(competitionEntries.callId, callId), inArray(competitionEntries.applicationId, results.map((r) => r.applicationId))));
  const strangers = results.filter((r) => !known.some((k) => k.id === r.applicationId));
  if (strangers.length > 0) throw invalid('unknown-applicant', 'results', { fa: 'متقاضی در فراخوان نیست', en: 'not an applicant of this call' }, strangers.map((s) => s.applicationId).slice(0, 5).join(', '));
  await inTransaction(deps.db, async (tx) => {
    for (const r of results) await tx.update(competitionEntries).set({ examScore: r.score }).where(eq(competitionEntries.applicationId, r.applicationId));
    await tx.update(competitions).set({ examRecordedAt: new Date() }).where(eq(competitions.id, callId));
    await appendAudit(tx, { actor: actor.subject, action: 'call.exam-recorded', subjectType: 'call', subjectId: callId, detail: { results: results.length } });
  });
  await deps.temporal.workflow.getHandle(call.workflowId).signal(examResultsSignal);
  return { callId, recorded: results.length };
}

/** One line of a call's published ranking: no national codes, the tracking code names the applicant. */
export interface RankingLine {
  applicationId: string;
  trackingCode: string;
  university: string;
  status: (typeof competitionEntries.$inferSelect)['status'];
  reason: string | null;
  applicationStatus: (typeof applications.$inferSelect)['status'];
  outcomeReason: string | null;
  examScore: number | null;
  score: number | null;
  bonus: number | null;
  total: number | null;
  shortlistRank: number | null;
  finalRank: number | null;
  /** The index of the tie-breaker that placed the applicant below the one above (-1: the total). */
  decidedBy: number | null;
}

/**
 * A call's ranking, per university in rank order (final rank, then shortlist rank, then the rest).
 * Offices see their province's universities; the portal and integrators all of them.
 */
export async function competitionRanking({ ctx, callId }: { ctx: ServiceContext; callId: string }) {
  const { deps, actor } = ctx;
  if (!['portal', 'integrator', 'province-office', 'county-office'].includes(actor.role)) throw forbidden('rankings are for the portal, integrators and offices');
  const [call] = await deps.db.select().from(competitions).where(eq(competitions.id, callId));
  if (!call) throw callNotFound(callId);
  const rows = await competitionEntriesWithStatus(deps.db, callId);
  const lines = rows.filter((row) => inScope(actor, row)).map(rankingLine).sort(inRankOrder);
  return { callId, stage: call.stage, definitionVersion: call.definitionVersion, items: lines };
}

type EntryRow = Awaited<ReturnType<typeof competitionEntriesWithStatus>>[number];

/** An entry as the ranking shows it. */
function rankingLine({ entry, applicationStatus, outcomeReason }: EntryRow): RankingLine {
  const standing = (entry.standing ?? {}) as { score?: number | null; bonus?: number; total?: number | null; decidedBy?: number | null };
  return {
    applicationId: entry.applicationId, trackingCode: entry.trackingCode, university: entry.university, status: entry.status, reason: entry.reason,
    applicationStatus, outcomeReason, examScore: entry.examScore, score: standing.score ?? null, bonus: standing.bonus ?? null, total: standing.total ?? null,
    shortlistRank: entry.shortlistRank, finalRank: entry.finalRank, decidedBy: standing.decidedBy ?? null,
  };
}

/** Per university, in rank order: final rank, then shortlist rank, then the rest by tracking code. */
function inRankOrder(a: RankingLine, b: RankingLine): number {
  return (a.university < b.university ? -1 : a.university > b.university ? 1 : 0)
    || (a.finalRank ?? Infinity) - (b.finalRank ?? Infinity) || (a.shortlistRank ?? Infinity) - (b.shortlistRank ?? Infinity)
    || (a.trackingCode < b.trackingCode ? -1 : 1);
}

/** The offices that run a call (the province offices whose universities it covers) and the national office. */
function requireCallOffice(actor: ServiceContext['actor']): void {
  if (actor.role !== 'province-office' && actor.role !== 'national-office') throw forbidden('a call\'s registrations are for the province office that runs it and the national office');
}

/** The universities of a call the caller's office runs: those covering a county of its province (all, for the national office). */
function universitiesInScope(actor: ServiceContext['actor'], loaded: LoadedDefinition) {
  return Object.entries(loaded.definition.call!.universities)
    .filter(([, u]) => actor.role === 'national-office' || u.counties.some((county) => provinceOf(county) === actor.province));
}

/** A call as the office running it lists it: where it stands and how many registered, per university and per state. */
export interface CallSummary {
  id: string;
  title: Text;
  definitionVersion: number;
  stage: (typeof competitions.$inferSelect)['stage'];
  registrationOpensAt: Date;
  registrationClosesAt: Date;
  registrationClosesAtJalali: string;
  documentsDueAt: Date;
  examRecordedAt: Date | null;
  registrations: number;
  byStatus: Partial<Record<RankingLine['status'], number>>;
  universities: { id: string; title: Text; capacity: number; registrations: number }[];
}

/**
 * The opened calls the caller's office runs (a province office: those with a university covering
 * one of its counties; the national office: all), with their registrations in its scope counted.
 */
export async function listCalls({ ctx }: { ctx: ServiceContext }): Promise<CallSummary[]> {
  const { actor, deps } = ctx;
  requireCallOffice(actor);
  const calls = await deps.db.select().from(competitions).orderBy(desc(competitions.createdAt), asc(competitions.id));
  const summaries: CallSummary[] = [];
  for (const call of calls) {
    const loaded = deps.catalogue.pinned(call.definitionHash);
    if (!loaded?.definition.call) continue;
    const universities = universitiesInScope(actor, loaded);
    if (universities.length === 0) continue;
    const entries = (await competitionEntriesWithStatus(deps.db, call.id)).filter((row) => inScope(actor, row));
    const byStatus: CallSummary['byStatus'] = {};
    for (const { entry } of entries) byStatus[entry.status] = (byStatus[entry.status] ?? 0) + 1;
    summaries.push({
      id: call.id, title: loaded.definition.title, definitionVersion: call.definitionVersion, stage: call.stage,
      registrationOpensAt: new Date(parseJalali(loaded.definition.call.registration.opens, deps.calendar)),
      registrationClosesAt: call.registrationClosesAt, registrationClosesAtJalali: formatJalali(call.registrationClosesAt.getTime(), deps.calendar, true),
      documentsDueAt: call.documentsDueAt, examRecordedAt: call.examRecordedAt, registrations: entries.length, byStatus,
      universities: universities.map(([id, u]) => ({ id, title: u.title, capacity: u.capacity, registrations: entries.filter((row) => row.entry.university === id).length })),
    });
  }
  return summaries;
}

/** A registration as the office running the call reads it: its ranking line, with who, where and when. */
export interface CallRegistrationLine extends RankingLine {
  county: string;
  applicant: { firstName: string; lastName: string } | null;
  registeredAt: Date;
  documents: string[];
  invited: boolean;
}

/**
 * Every registration of a call in the caller's scope, per university in rank order: its university
 * (the applicant's choice, by county), exam result if recorded, standing and state. A call the
 * office does not run answers as an unknown one.
 */
export async function callRegistrations({ ctx, callId }: { ctx: ServiceContext; callId: string }) {
  const { actor, deps } = ctx;
  requireCallOffice(actor);
  const [call] = await deps.db.select().from(competitions).where(eq(competitions.id, callId));
  const loaded = call && deps.catalogue.pinned(call.definitionHash);
  if (!call || !loaded?.definition.call || universitiesInScope(actor, loaded).length === 0) throw callNotFound(callId);
  const rows = (await competitionEntriesWithStatus(deps.db, callId)).filter((row) => inScope(actor, row));
  const items: CallRegistrationLine[] = rows.map((row) => ({
    ...rankingLine(row), county: row.county, applicant: applicantOf(row.facts), registeredAt: row.entry.registeredAt,
    documents: row.entry.documents as string[], invited: row.entry.invited,
  }));
  return { callId, stage: call.stage, definitionVersion: call.definitionVersion, items: items.sort(inRankOrder) };
}
