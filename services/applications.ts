/**
 * Application verbs: submit, read, list, withdraw. Each checks the caller's scope, writes what
 * it changes, and talks to the application's workflow.
 */
import { asc, eq } from 'drizzle-orm';
import { randomBytes, randomUUID } from 'node:crypto';
import { applicationEvents, applications, inquiries, licences, tasks } from '../db/schema/index.js';
import { withdrawSignal, type LicenceProcessInput } from '../domain/workflow-interfaces/licence-process.js';
import { inScope, type ServiceContext } from './context.js';
import { directApplicationRefusal } from '../dsl/direct-application.js';
import { conflict, DomainError, firstIssueProblem, forbidden, invalid, notFound } from './errors.js';
import { provinceOf } from './geography.js';
import { ApplicationInput, NATIONAL_CODE_PROBLEM } from './application-input.js';
import { appendAudit } from '../domain/audit.js';
import { openApplication, processUnavailable, startProcess } from './start-process.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A tracking code (کد پیگیری) a person can read over the phone: `PRV-XXXX-XXXX`. */
export function newTrackingCode(): string {
  const chars = [...randomBytes(8)].map((b) => CROCKFORD[b % 32]).join('');
  return `PRV-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

export interface SubmittedApplication {
  applicationId: string;
  trackingCode: string;
  licenceType: string;
  definitionVersion: number;
  definitionHash: string;
}

/**
 * Validates an application, records it and starts its licence process on the current definition.
 * With an idempotency key, a repeat of a submission (say, after the gateway died mid-request and
 * the key's lease ran out) finds the application the first attempt recorded and makes sure its
 * process runs, instead of recording a second one.
 */
export async function submitApplication({ ctx, input, idempotencyKey }: { ctx: ServiceContext; input: unknown; idempotencyKey?: string }): Promise<SubmittedApplication> {
  const { deps, actor } = ctx;
  if (actor.role !== 'portal' && actor.role !== 'county-office') throw forbidden('only the national portal and county offices submit applications');
  const parsed = ApplicationInput.safeParse(input);
  if (!parsed.success) throw firstIssueProblem(parsed.error, input, { problems: NATIONAL_CODE_PROBLEM });
  const application = parsed.data;
  if (application.legalPerson && application.holderType !== 'legal') {
    throw invalid('invalid-field', 'legalPerson', { fa: 'شخص حقوقی فقط وقتی نام برده می‌شود که نوع دارنده حقوقی باشد', en: 'a legal person is named only when holderType is legal' },
      'legalPerson was given with holderType natural');
  }
  if (actor.role === 'county-office' && actor.county !== application.county) throw forbidden('a county office submits applications of its own county');
  const nowMs = (deps.now ?? Date.now)();
  const loaded = deps.catalogue.current(application.licenceType, nowMs);
  if (!loaded || loaded.definition.kind !== 'application') {
    throw invalid('unknown-licence-type', 'licenceType', { fa: 'نوع پروانه ناشناخته است', en: 'unknown licence type' }, `no licence type ${application.licenceType} is in effect`);
  }
  // A process another starts (a centre's manager licence, which the centre's holder asks for): refused, nothing written.
  const direct = directApplicationRefusal(loaded.definition, { applicant: application.applicant, application: { licenceType: application.licenceType, county: application.county, province: provinceOf(application.county), holderType: application.holderType } }, nowMs);
  if (direct) {
    throw new DomainError('refused', 'application-refused', direct.message,
      `${application.licenceType} is started by another process, which hands it ${loaded.definition.inputs.join(', ')}: ${direct.reason}`, 'licenceType', direct.reason);
  }
  // A repeat of a recorded submission is found by its key when its row is inserted (`twin` below):
  // nothing is written for it, and its process is made sure to run.
  const applicationId = randomUUID();
  const trackingCode = newTrackingCode();
  const province = provinceOf(application.county)!;
  const facts = {
    applicant: application.applicant,
    application: {
      id: applicationId, trackingCode, licenceType: application.licenceType, county: application.county, province, holderType: application.holderType,
      submittedAt: new Date(nowMs).toISOString(), ...(application.manager ? { manager: application.manager } : {}),
      ...(application.legalPerson ? { legalPerson: application.legalPerson } : {}),
    },
  };
  const opened = await openApplication({
    ctx, loaded,
    application: {
      id: applicationId, trackingCode, licenceType: application.licenceType, applicantNationalCode: application.applicant.nationalCode,
      county: application.county, province, facts, submittedBy: actor.subject, idempotencyKey: idempotencyKey ?? null,
    },
    audit: {
      action: 'application.submitted', failedAction: 'application.start-failed', subjectType: 'application', subjectId: applicationId,
      detail: { licenceType: application.licenceType, definitionVersion: loaded.definition.version, definitionHash: loaded.hash, county: application.county },
    },
  });
  // A twin request with the same key got there first (its key was taken over while it still ran).
  if (opened.twin) return resumeSubmission(ctx, opened.twin);
  return { applicationId, trackingCode, licenceType: application.licenceType, definitionVersion: loaded.definition.version, definitionHash: loaded.hash };
}

/** A repeated submission: the recorded application, its process started if the first attempt died before. */
async function resumeSubmission(ctx: ServiceContext, row: typeof applications.$inferSelect): Promise<SubmittedApplication> {
  const { deps } = ctx;
  const submitted = { applicationId: row.id, trackingCode: row.trackingCode, licenceType: row.licenceType, definitionVersion: row.definitionVersion, definitionHash: row.definitionHash };
  try {
    await deps.temporal.workflow.getHandle(row.workflowId).describe();
    return submitted;
  } catch {
    // Recorded but never started: start it now on the definition it was pinned to.
  }
  const loaded = deps.catalogue.pinned(row.definitionHash);
  if (!loaded) throw processUnavailable(new Error(`definition ${row.definitionHash} is no longer loaded`));
  const input: LicenceProcessInput = {
    applicationId: row.id, definition: loaded.definition, definitionHash: row.definitionHash, calendar: deps.calendar,
    facts: row.facts as LicenceProcessInput['facts'], historyLimit: deps.historyLimit,
  };
  const start = await startProcess(deps, row.workflowId, input);
  if (!start.started) throw processUnavailable(start.error);
  await appendAudit(deps.db, { actor: ctx.actor.subject, action: 'application.start-resumed', subjectType: 'application', subjectId: row.id });
  return submitted;
}

/** An application if it is in the caller's scope: not found, then out of scope (what `getApplication` checks). */
export async function loadInScope(ctx: ServiceContext, applicationId: string) {
  const [row] = await ctx.deps.db.select().from(applications).where(eq(applications.id, applicationId));
  if (!row) throw notFound({ fa: 'درخواست یافت نشد', en: 'application not found' });
  if (!inScope(ctx.actor, row)) throw forbidden(`application ${applicationId} is outside your scope`);
  return row;
}

/** The application as its office sees it: status, current step, timeline, tasks, inquiries, licences. */
export async function getApplication({ ctx, applicationId }: { ctx: ServiceContext; applicationId: string }) {
  const row = await loadInScope(ctx, applicationId);
  const { db } = ctx.deps;
  const [timeline, openTasks, sentInquiries, issued] = await Promise.all([
    db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, applicationId)).orderBy(asc(applicationEvents.seq)),
    db.select().from(tasks).where(eq(tasks.applicationId, applicationId)).orderBy(asc(tasks.createdAt)),
    db.select().from(inquiries).where(eq(inquiries.applicationId, applicationId)).orderBy(asc(inquiries.sentAt)),
    db.select().from(licences).where(eq(licences.applicationId, applicationId)).orderBy(asc(licences.issuedAt)),
  ]);
  return { application: row, timeline, tasks: openTasks, inquiries: sentInquiries, licences: issued };
}

/** Withdraws a running application at the applicant's request (through the portal). */
export async function withdrawApplication({ ctx, applicationId, reason }: { ctx: ServiceContext; applicationId: string; reason: string }) {
  if (ctx.actor.role !== 'portal') throw forbidden('applications are withdrawn through the national portal');
  const row = await loadInScope(ctx, applicationId);
  if (row.status !== 'running') throw conflict('application-ended', { fa: 'درخواست پایان یافته است', en: 'the application has ended' }, `status is ${row.status}`);
  // A licence's standing process (its renewal reminders, its quarterly filings) is nobody's to withdraw.
  if (ctx.deps.catalogue.pinned(row.definitionHash)?.definition.kind === 'standing') {
    throw conflict('not-withdrawable', { fa: 'این فرایند قابل انصراف نیست', en: 'this process cannot be withdrawn' }, `${row.licenceType} runs as long as its licence stands`);
  }
  await ctx.deps.temporal.workflow.getHandle(row.workflowId).signal(withdrawSignal, { reason, requestedBy: ctx.actor.subject });
  // The reason is free text from the applicant: it stays with the application's events, not in the trail.
  await appendAudit(ctx.deps.db, { actor: ctx.actor.subject, action: 'application.withdrawal-requested', subjectType: 'application', subjectId: applicationId });
  return { applicationId, status: 'withdrawal-requested' as const };
}
