/**
 * Changes to an issued licence (renewal, suspension, revocation, closure notice, a manager's
 * leave…), each run as a lifecycle process named by the licence kind's definition. Who may start
 * it and what the request carries are declared in that process's `change` section, not here.
 */
import { and, eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { applications } from '../db/schema/index.js';
import { refusalOf } from '../dsl/change-rules.js';
import type { ChangeDeclaration, ChangeInputField } from '../dsl/schema.js';
import { tehranDay } from '../platform/dates/time-functions.js';
import { fieldsSchema } from './input-fields.js';
import { newTrackingCode } from './applications.js';
import { openApplication } from './start-process.js';
import type { ServiceContext } from './context.js';
import { conflict, DomainError, firstIssueProblem, forbidden, refused } from './errors.js';
import { licenceInScope } from './licences.js';

/** A change's name, a key of the licence kind's `changes`: `renewal`, `suspension`, `manager-leave`… */
export type LicenceChange = string;

const schemas = new WeakMap<ChangeDeclaration, z.ZodType<Record<string, unknown>>>();

/** The request body a change declares, as a zod schema (built once per definition). */
export function changeInputSchema(declaration: ChangeDeclaration): z.ZodType<Record<string, unknown>> {
  let schema = schemas.get(declaration);
  if (!schema) {
    schema = fieldsSchema(declaration.input);
    schemas.set(declaration, schema);
  }
  return schema;
}

const notOffered = (detail: string) =>
  new DomainError('conflict', 'change-not-offered', { fa: 'این تغییر برای این پروانه تعریف نشده است', en: 'this change is not defined for this licence' }, detail, 'change');

const inProgress = (detail: string) =>
  conflict('change-in-progress', { fa: 'تغییر دیگری روی این پروانه در جریان است', en: 'another change to this licence is in progress' }, detail);

/** The unique index that lets one exclusive change, and one of each other change, run per licence. */
const RUNNING_CHANGE_INDEX = 'applications_running_change_idx';

/** True when `error` (or what it wraps: Drizzle wraps the driver's error) is a violation of that index. */
function isRunningChangeClash(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    // postgres.js names the index `constraint_name`, PGlite (`npm start`) `constraint`.
    const pg = e as { code?: unknown; constraint_name?: unknown; constraint?: unknown; cause?: unknown };
    if (pg.code === '23505' && (pg.constraint_name ?? pg.constraint) === RUNNING_CHANGE_INDEX) return true;
    e = pg.cause;
  }
  return false;
}

export async function startLicenceChange({ ctx, licenceNumber, change, input }: {
  ctx: ServiceContext; licenceNumber: string; change: LicenceChange; input: Record<string, unknown>;
}): Promise<{ applicationId: string; trackingCode: string; licenceNumber: string; change: string; definitionVersion: number }> {
  const { deps, actor } = ctx;
  const { licence } = await licenceInScope(ctx, licenceNumber);
  const [origin] = await deps.db.select().from(applications).where(eq(applications.id, licence.applicationId));
  const nowMs = (deps.now ?? Date.now)();
  // Own keys only: `constructor` or `__proto__` is no change, whatever Object.prototype holds.
  const offered = deps.catalogue.changesOf(licence.definitionHash, licence.kind, nowMs);
  const processId = Object.hasOwn(offered, change) ? offered[change] : undefined;
  if (!origin || !processId) throw notOffered(`${licence.kind} has no ${change} process`);
  const loaded = deps.catalogue.current(processId, nowMs);
  if (!loaded) throw new DomainError('unavailable', 'process-missing', { fa: 'فرایند در دسترس نیست', en: 'process not available' }, processId);
  const declaration = loaded.definition.change;
  if (!declaration) throw notOffered(`${processId} is started only by other processes`);
  if (!(declaration.startedBy as readonly string[]).includes(actor.role)) throw forbidden(`a ${change} is started by ${declaration.startedBy.join(' or ')}`);
  const parsed = changeInputSchema(declaration).safeParse(input ?? {});
  if (!parsed.success) throw firstIssueProblem(parsed.error, input ?? {});
  // One exclusive change at a time per licence (a renewal must not race a revocation), and never two of one change.
  const pending = await deps.db.select({ id: applications.id, type: sql<string>`${applications.facts}->'change'->>'type'`, exclusive: sql<boolean | null>`(${applications.facts}->'change'->>'exclusive')::boolean` })
    .from(applications)
    .where(and(eq(applications.status, 'running'), sql`${applications.facts}->'licence'->>'number' = ${licence.number}`, sql`${applications.facts}->'change'->>'type' is not null`));
  const clash = pending.find((p) => p.type === change || (declaration.exclusive && p.exclusive !== false));
  if (clash) throw inProgress(`${clash.type} ${clash.id}`);

  const applicationId = randomUUID();
  const trackingCode = newTrackingCode();
  const originFacts = origin.facts as { applicant: unknown; application: Record<string, unknown> };
  const facts = {
    // The holder now (a successor after a transfer), whom the change vets and notifies.
    applicant: licence.holder ?? originFacts.applicant,
    application: { ...originFacts.application, id: applicationId, trackingCode, licenceType: processId, submittedAt: new Date(nowMs).toISOString() },
    licence: {
      number: licence.number, kind: licence.kind, status: licence.status, validUntil: licence.validUntil.toISOString(),
      licenceType: licence.licenceType, dependsOn: licence.dependsOn,
    },
    // The request is dated by the server, the Tehran day it is received: a caller cannot backdate a notice.
    change: {
      type: change, ...parsed.data, requestedBy: parsed.data.requestedBy ?? actor.subject, startedBy: actor.subject,
      receivedOn: tehranDay(nowMs), exclusive: declaration.exclusive,
    },
  };
  // What the change's rules can judge now is judged now: refused, nothing is started or written.
  const refusal = refusalOf(declaration, facts, nowMs);
  if (refusal) throw refused(refusal.reason, refusal.message, refusal.field, `${change} refused: ${refusal.reason}`);
  // The select above gives the clear answer; this lock is what holds when two changes race past it.
  const changeLock = `${licence.number}:${declaration.exclusive ? 'exclusive' : change}`;
  await openApplication({
    ctx, loaded,
    application: {
      id: applicationId, trackingCode, licenceType: processId, applicantNationalCode: licence.holderNationalCode,
      county: licence.county, province: licence.province, facts, submittedBy: actor.subject, parentApplicationId: origin.id, changeLock,
    },
    audit: {
      action: `licence.${change}-started`, failedAction: `licence.${change}-start-failed`, subjectType: 'licence', subjectId: licence.number,
      detail: { applicationId, process: processId }, failedDetail: { applicationId },
    },
  }).catch((error: unknown) => {
    if (isRunningChangeClash(error)) throw inProgress(`a ${declaration.exclusive ? 'change' : change} started on this licence at the same moment`);
    throw error;
  });
  return { applicationId, trackingCode, licenceNumber: licence.number, change, definitionVersion: loaded.definition.version };
}

export interface OfferedChange {
  change: string;
  process: string;
  title: { fa: string; en: string };
  startedBy: string[];
  exclusive: boolean;
  input: Record<string, ChangeInputField>;
}

/**
 * The changes a licence offers (its definition's, and those a later version extends to it), who
 * may start each and what its request carries.
 */
export async function offeredChanges({ ctx, licenceNumber }: { ctx: ServiceContext; licenceNumber: string }): Promise<OfferedChange[]> {
  const { deps } = ctx;
  const { licence } = await licenceInScope(ctx, licenceNumber);
  const nowMs = (deps.now ?? Date.now)();
  const changes = deps.catalogue.changesOf(licence.definitionHash, licence.kind, nowMs);
  return Object.entries(changes).flatMap(([change, processId]) => {
    const definition = deps.catalogue.current(processId, nowMs)?.definition;
    if (!definition?.change) return [];
    return [{
      change, process: processId, title: definition.title, startedBy: [...definition.change.startedBy],
      exclusive: definition.change.exclusive, input: definition.change.input,
    }];
  });
}
