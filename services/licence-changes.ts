/**
 * Changes to an issued licence (renewal, suspension, revocation, closure notice), each run as a
 * lifecycle process named by the licence kind's definition, on the same interpreter.
 */
import { and, eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { applications, definitions, licences } from '../db/schema/index.js';
import { workflowIdFor, type LicenceProcessInput } from '../workflows/contract.js';
import { newTrackingCode } from './applications.js';
import { appendAudit } from './audit.js';
import { processUnavailable, startProcess } from './start-process.js';
import { inScope, type Role, type ServiceContext } from './context.js';
import { conflict, DomainError, forbidden, invalid, notFound } from './errors.js';
import { normaliseText } from './identifiers.js';

export type LicenceChange = 'renewal' | 'suspension' | 'revocation' | 'closure-notice';

const isoDate = z.string().transform(normaliseText).pipe(z.iso.date());
const due = z.object({
  grounds: z.string().transform(normaliseText).pipe(z.string().min(3).max(2000)),
  legalBasis: z.string().transform(normaliseText).pipe(z.string().min(3).max(500)),
  responseDays: z.number().int().min(1).max(60).optional(),
}).strict();

/** What each change needs in its body, and who may start it. */
const CHANGES: Record<LicenceChange, { roles: Role[]; input: z.ZodType<Record<string, unknown>> }> = {
  renewal: { roles: ['county-office', 'portal'], input: z.object({ requestedBy: z.enum(['holder', 'county-office']).optional() }).strict() },
  suspension: { roles: ['province-office'], input: due },
  revocation: { roles: ['province-office'], input: due },
  'closure-notice': {
    roles: ['county-office', 'portal'],
    input: z.object({ kind: z.enum(['temporary', 'permanent']), effectiveDate: isoDate }).strict(),
  },
};

export async function startLicenceChange({ ctx, licenceNumber, change, input }: {
  ctx: ServiceContext; licenceNumber: string; change: LicenceChange; input: Record<string, unknown>;
}): Promise<{ applicationId: string; trackingCode: string; licenceNumber: string; change: string; definitionVersion: number }> {
  const { deps, actor } = ctx;
  const rule = CHANGES[change];
  if (!rule.roles.includes(actor.role)) throw forbidden(`a ${change} is started by ${rule.roles.join(' or ')}`);
  const parsed = rule.input.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid('invalid-field', issue.path.join('.'), { fa: 'مقدار نامعتبر', en: 'invalid value' }, `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  }
  const [licence] = await deps.db.select().from(licences).where(eq(licences.number, licenceNumber));
  if (!licence) throw notFound({ fa: 'پروانه یافت نشد', en: 'licence not found' });
  if (!inScope(actor, licence)) throw forbidden(`licence ${licenceNumber} is outside your scope`);
  const [origin] = await deps.db.select().from(applications).where(eq(applications.id, licence.applicationId));
  const pinned = deps.catalogue.pinned(licence.definitionHash);
  const processId = pinned?.definition.licences[licence.kind]?.changes[change];
  if (!origin || !processId) {
    throw conflict('change-not-offered', { fa: 'این تغییر برای این پروانه تعریف نشده است', en: 'this change is not defined for this licence' }, `${licence.kind} has no ${change} process`);
  }
  // One change at a time per licence: a renewal must not race a revocation.
  const [pending] = await deps.db.select({ id: applications.id, type: applications.licenceType }).from(applications)
    .where(and(eq(applications.status, 'running'), eq(applications.parentApplicationId, origin.id), sql`${applications.facts}->'licence'->>'number' = ${licence.number}`));
  if (pending) {
    throw conflict('change-in-progress', { fa: 'تغییر دیگری روی این پروانه در جریان است', en: 'another change to this licence is in progress' }, `${pending.type} ${pending.id}`);
  }
  const nowMs = (deps.now ?? Date.now)();
  const loaded = deps.catalogue.current(processId, nowMs);
  if (!loaded) throw new DomainError('unavailable', 'process-missing', { fa: 'فرایند در دسترس نیست', en: 'process not available' }, processId);

  const applicationId = randomUUID();
  const trackingCode = newTrackingCode();
  const originFacts = origin.facts as { applicant: unknown; application: Record<string, unknown> };
  const today = new Date(nowMs).toISOString().slice(0, 10);
  const facts = {
    applicant: originFacts.applicant,
    application: { ...originFacts.application, id: applicationId, trackingCode, licenceType: processId, submittedAt: new Date(nowMs).toISOString() },
    licence: { number: licence.number, kind: licence.kind, status: licence.status, validUntil: licence.validUntil.toISOString(), licenceType: licence.licenceType },
    // The notice is dated by the server, the day it is received: a caller cannot backdate it.
    change: { type: change, ...parsed.data, ...(change === 'closure-notice' ? { noticeDate: today } : {}), requestedBy: actor.subject },
  };
  await deps.db.insert(definitions).values({
    hash: loaded.hash, id: loaded.definition.id, version: loaded.definition.version, effectiveFrom: loaded.definition.effectiveFrom, source: loaded.source,
  }).onConflictDoNothing();
  await deps.db.insert(applications).values({
    id: applicationId, trackingCode, workflowId: workflowIdFor(applicationId), licenceType: processId,
    definitionVersion: loaded.definition.version, definitionHash: loaded.hash, applicantNationalCode: licence.holderNationalCode,
    county: licence.county, province: licence.province, facts, submittedBy: actor.subject, parentApplicationId: origin.id,
  });
  const workflowInput: LicenceProcessInput = { applicationId, definition: loaded.definition, definitionHash: loaded.hash, calendar: deps.calendar, facts, historyLimit: deps.historyLimit };
  // Audited before the start, as for applications: nothing may fail after the process runs.
  await appendAudit(deps.db, { actor: actor.subject, action: `licence.${change}-started`, subjectType: 'licence', subjectId: licence.number, detail: { applicationId, process: processId } });
  const start = await startProcess(deps, workflowIdFor(applicationId), workflowInput);
  if (!start.started) {
    await deps.db.delete(applications).where(eq(applications.id, applicationId));
    await appendAudit(deps.db, { actor: actor.subject, action: `licence.${change}-start-failed`, subjectType: 'licence', subjectId: licence.number, detail: { applicationId } });
    throw processUnavailable(start.error);
  }
  return { applicationId, trackingCode, licenceNumber: licence.number, change, definitionVersion: loaded.definition.version };
}
