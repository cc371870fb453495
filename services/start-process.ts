/**
 * Opens an application and starts its licence process: the one verb applications, licence
 * changes and call registrations share. A start that errors may still have reached the server
 * (a lost reply, a retried call that finds its own workflow), so before anything is undone the
 * workflow is looked up: a running process is never left without its application row.
 */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { applications, definitions } from '../db/schema/index.js';
import type { LoadedDefinition } from '../dsl/load.js';
import { TASK_QUEUE, workflowIdFor, type LicenceProcessInput } from '../domain/workflow-interfaces/licence-process.js';
import { appendAudit } from '../domain/audit.js';
import type { ServiceContext, ServiceDeps } from './context.js';
import { DomainError } from './errors.js';

/** True when the process started; false when it surely did not (the caller undoes its writes). */
export async function startProcess(deps: ServiceDeps, workflowId: string, input: LicenceProcessInput): Promise<{ started: true } | { started: false; error: Error }> {
  try {
    await deps.temporal.workflow.start(deps.workflowType ?? 'licenceProcess', { taskQueue: deps.taskQueue ?? TASK_QUEUE, workflowId, args: [input] });
    return { started: true };
  } catch (error) {
    try {
      await deps.temporal.workflow.getHandle(workflowId).describe();
      return { started: true };
    } catch {
      return { started: false, error: error as Error };
    }
  }
}

/** The caller is told a fixed sentence; the error (Temporal's address, the driver's text) is its cause, for the log only. */
export function processUnavailable(error: Error): DomainError {
  const failure = new DomainError('unavailable', 'workflow-unavailable', { fa: 'موتور فرایند در دسترس نیست', en: 'the process engine is unavailable' }, 'the process could not be started or reached; retry later');
  failure.cause = error;
  return failure;
}

/** Who writes what with the application row, inside its transaction, and how it is undone (a call's entry). */
export interface AlongsideRows {
  write(tx: Database): Promise<unknown>;
  undo(tx: Database): Promise<unknown>;
}

/** How an opening is audited: the entry written with the rows, and the one written if the start surely failed. */
export interface OpeningAudit {
  action: string;
  subjectType: string;
  subjectId: string;
  detail?: Record<string, unknown>;
  failedAction: string;
  failedDetail?: Record<string, unknown>;
}

/**
 * The definitions this process has seen committed to each database's `definitions` table: an
 * application on one of them does not send its source again (tens of kilobytes of YAML per
 * submission, for an insert that would do nothing).
 */
const recordedByDatabase = new WeakMap<Database, Set<string>>();
function recordedDefinitions(db: Database): Set<string> {
  let known = recordedByDatabase.get(db);
  if (!known) recordedByDatabase.set(db, known = new Set());
  return known;
}

type ApplicationRow = Omit<typeof applications.$inferInsert, 'workflowId' | 'definitionVersion' | 'definitionHash'>;

/**
 * Opens an application and starts its process: the definition, the application row, any rows
 * recorded alongside and the audit entry in one transaction; then the start. Audited before the
 * start because once the process runs nothing may fail and turn the answer into an error the
 * client would retry into a second application. A start that surely failed leaves nothing
 * half-written: the rows are removed, the failure audited, and `unavailable` thrown.
 * With an idempotency key already taken (a twin request got there first), nothing is written
 * and the twin's row is returned.
 *
 * @example await openApplication({ ctx, loaded, application: { id, trackingCode, … }, audit: { action: 'application.submitted', failedAction: 'application.start-failed', … } })
 */
export async function openApplication({ ctx, loaded, application, audit, alongside }: {
  ctx: ServiceContext; loaded: LoadedDefinition; application: ApplicationRow; audit: OpeningAudit; alongside?: AlongsideRows;
}): Promise<{ twin?: typeof applications.$inferSelect }> {
  const { deps, actor } = ctx;
  const workflowId = workflowIdFor(application.id);
  const known = recordedDefinitions(deps.db);
  const opened = await deps.db.transaction(async (transaction) => {
    const tx = transaction as unknown as Database;
    if (!known.has(loaded.hash)) {
      await tx.insert(definitions).values({
        hash: loaded.hash, id: loaded.definition.id, version: loaded.definition.version, effectiveFrom: loaded.definition.effectiveFrom, source: loaded.source,
      }).onConflictDoNothing();
    }
    const recorded = await tx.insert(applications).values({ ...application, workflowId, definitionVersion: loaded.definition.version, definitionHash: loaded.hash })
      .onConflictDoNothing({ target: [applications.submittedBy, applications.idempotencyKey] }).returning({ id: applications.id });
    if (recorded.length === 0) return false;
    await alongside?.write(tx);
    await appendAudit(tx, { actor: actor.subject, action: audit.action, subjectType: audit.subjectType, subjectId: audit.subjectId, detail: audit.detail });
    return true;
  });
  // Committed: its definition is in the table for good (a definition row is never changed or removed).
  known.add(loaded.hash);
  if (!opened) {
    const [twin] = await deps.db.select().from(applications)
      .where(and(eq(applications.submittedBy, application.submittedBy), eq(applications.idempotencyKey, application.idempotencyKey!)));
    return { twin: twin! };
  }
  const input: LicenceProcessInput = {
    applicationId: application.id, definition: loaded.definition, definitionHash: loaded.hash, calendar: deps.calendar,
    facts: application.facts as LicenceProcessInput['facts'], historyLimit: deps.historyLimit,
  };
  const start = await startProcess(deps, workflowId, input);
  if (!start.started) {
    await deps.db.transaction(async (transaction) => {
      const tx = transaction as unknown as Database;
      await alongside?.undo(tx);
      await tx.delete(applications).where(eq(applications.id, application.id));
      await appendAudit(tx, { actor: actor.subject, action: audit.failedAction, subjectType: audit.subjectType, subjectId: audit.subjectId, detail: audit.failedDetail ?? {} });
    });
    throw processUnavailable(start.error);
  }
  return {};
}
