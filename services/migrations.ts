/**
 * Migrating a running application to a newer version of its definition, where the authority
 * orders it. The rules are the workflow's own: its update's validator judges the order by
 * `dsl/migration.ts` against the steps the application really is at, so a refused order changes
 * nothing. This verb checks who asks, finds the target version, and turns the workflow's answer
 * into domain errors. The audit entry is written by the workflow with the migration itself (in
 * one transaction with the application's new pin), so a migration is never left unaudited.
 */
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { and, desc, eq, sql } from 'drizzle-orm';
import { applications, auditLog } from '../db/schema/index.js';
import type { MigrationRefusal } from '../dsl/migration.js';
import type { Text } from '../dsl/schema.js';
import {
  MIGRATION_FAILURES, migrateUpdate, type MigrationOrder, type MigrationResult,
} from '../domain/workflow-interfaces/licence-process.js';
import { inScope, type ServiceContext } from './context.js';
import { conflict, DomainError, forbidden, invalid, notFound } from './errors.js';
import { processUnavailable } from './start-process.js';

export interface MigrationInput {
  toVersion: number;
  /** Current step → target step, where the ids differ. */
  mapping?: Record<string, string>;
  reason: string;
}

const applicationEnded = (detail?: string) => conflict('application-ended', { fa: 'درخواست پایان یافته است', en: 'the application has ended' }, detail);

/** A migration the rules refuse: `message` names the step, `reason` is the refusal's code. */
const refusedMigration = (reason: string, message: Text, field: string | undefined, detail: string) =>
  new DomainError('refused', 'migration-refused', message, detail, field, reason);

/** The input a refusal is about: the version asked for, or the mapping of a step. */
function fieldOf(refusal: MigrationRefusal, input: MigrationInput): string | undefined {
  if (['OTHER_PROCESS', 'NOT_A_NEWER_VERSION'].includes(refusal.reason)) return 'toVersion';
  if (!['MAPPING_NOT_CURRENT', 'STEP_NOT_IN_TARGET', 'INCOMPATIBLE_STEP'].includes(refusal.reason)) return undefined;
  return refusal.stepId !== undefined && input.mapping && refusal.stepId in input.mapping ? `mapping.${refusal.stepId}` : 'mapping';
}

/**
 * Moves a running application to a newer version of its licence type, from the step it waits at
 * (or the step `mapping` names), as a national supervisor orders with a reason.
 *
 * @example await migrateApplication({ ctx, applicationId, input: { toVersion: 2, reason: 'circular 1405/112' }, idempotencyKey })
 */
export async function migrateApplication({ ctx, applicationId, input, idempotencyKey }: {
  ctx: ServiceContext; applicationId: string; input: MigrationInput; idempotencyKey?: string;
}): Promise<MigrationResult> {
  const { deps, actor } = ctx;
  if (actor.role !== 'national-office') throw forbidden('only the national supervisor migrates applications to another version');
  const [row] = await deps.db.select().from(applications).where(eq(applications.id, applicationId));
  if (!row) throw notFound({ fa: 'درخواست یافت نشد', en: 'application not found' });
  if (!inScope(actor, row)) throw forbidden(`application ${applicationId} is outside your scope`);
  // A retry of a request whose answer was lost finds the migration its first attempt made.
  const earlier = idempotencyKey ? await migrationByKey(ctx, applicationId, idempotencyKey) : undefined;
  if (earlier) return earlier;
  if (row.status !== 'running') throw applicationEnded(`status is ${row.status}`);
  const target = deps.catalogue.versions(row.licenceType).find((v) => v.definition.version === input.toVersion);
  if (!target) {
    throw invalid('unknown-version', 'toVersion', { fa: 'نسخه ناشناخته', en: 'unknown version' }, `${row.licenceType} has no version ${input.toVersion}`);
  }
  const nowMs = (deps.now ?? Date.now)();
  if (deps.catalogue.effectiveFromMs(target) > nowMs) {
    throw refusedMigration('TARGET_NOT_IN_EFFECT', {
      fa: `نسخه ${input.toVersion} هنوز اجرایی نشده است (از ${target.definition.effectiveFrom})`,
      en: `version ${input.toVersion} is not in effect yet (from ${target.definition.effectiveFrom})`,
    }, 'toVersion', `version ${input.toVersion} takes effect on ${target.definition.effectiveFrom}`);
  }
  const order: MigrationOrder = {
    target: { definition: target.definition, hash: target.hash, source: target.source },
    mapping: input.mapping ?? {}, requestedBy: actor.subject, reason: input.reason, ...(idempotencyKey ? { requestKey: idempotencyKey } : {}),
  };
  try {
    return await deps.temporal.workflow.getHandle(row.workflowId).executeUpdate(migrateUpdate, { args: [order] });
  } catch (error) {
    throw migrationProblem(error, input);
  }
}

/** The workflow's answer as a domain error: refused (422), busy or ended (409), or unreachable (503). */
function migrationProblem(error: unknown, input: MigrationInput): Error {
  if (error instanceof WorkflowNotFoundError) return applicationEnded();
  const failure = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
  if (failure instanceof ApplicationFailure) {
    if (failure.type === MIGRATION_FAILURES.refused) {
      const refusals = (failure.details?.[0] ?? []) as MigrationRefusal[];
      const first = refusals[0];
      if (first) return refusedMigration(first.reason, first.message, fieldOf(first, input), refusals.map((r) => r.message.en).join('; '));
    }
    if (failure.type === MIGRATION_FAILURES.busy) {
      return conflict('application-busy', { fa: 'درخواست در این لحظه قابل انتقال نیست؛ کمی بعد دوباره بفرستید', en: 'the application cannot be migrated this moment; retry shortly' }, failure.message);
    }
    if (failure.type === MIGRATION_FAILURES.ended) return applicationEnded(failure.message);
  }
  return processUnavailable(error as Error);
}

/** The migration a request with this key made, from its audit entry. */
async function migrationByKey({ deps, actor }: ServiceContext, applicationId: string, key: string): Promise<MigrationResult | undefined> {
  const [entry] = await deps.db.select({ detail: auditLog.detail }).from(auditLog).where(and(
    eq(auditLog.subjectType, 'application'), eq(auditLog.subjectId, applicationId), eq(auditLog.action, 'application.migrated'),
    eq(auditLog.actor, actor.subject), sql`${auditLog.detail}->>'requestKey' = ${key}`,
  )).orderBy(desc(auditLog.id)).limit(1);
  if (!entry) return undefined;
  const detail = entry.detail as Omit<MigrationResult, 'applicationId'>;
  return {
    applicationId, from: detail.from, to: detail.to, moves: detail.moves, resumeAt: detail.resumeAt,
    cancelledTasks: detail.cancelledTasks ?? [], reaskedInquiries: detail.reaskedInquiries ?? [],
  };
}
