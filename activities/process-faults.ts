/**
 * The operators' side of a process fault: an expression of a process file that could not be
 * evaluated, which ends the application `failed`. It is written to the application's timeline and
 * to the audit trail, and raised as an alert: an error-level log line and the Prometheus counter
 * `parvaneh_process_faults_total{definition,step}`. None of it carries a fact's value: the problem
 * comes without them (`evaluationProblem`), and the logger redacts what might remain.
 */
import { Counter, type Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { Database } from '../db/client.js';
import { applicationEvents } from '../db/schema/index.js';
import { appendAudit } from '../domain/audit.js';
import type { TimelineEvent } from './database.js';

/** Where a process file failed: what an operator needs to find and fix it, and no personal data. */
export interface ProcessFault {
  applicationId: string;
  definition: string;
  version: number;
  stepId: string;
  /** Which of the step's expressions: `subject`, `until`, `input.minimumAge`… */
  field: string;
  expression: string;
  problem: string;
}

const LABELS = ['definition', 'step'] as const;

/** The fault counter on `registry` (one per registry, however many workers share it). */
function faultCounter(registry: Registry): Counter<(typeof LABELS)[number]> {
  return (registry.getSingleMetric('parvaneh_process_faults_total') as Counter<(typeof LABELS)[number]> | undefined)
    ?? new Counter({
      name: 'parvaneh_process_faults_total', labelNames: LABELS, registers: [registry],
      help: 'Applications ended failed by a fault of their process definition (an expression that could not be evaluated), by definition and step',
    });
}

/**
 * @example
 * createProcessFaultActivities({ db, logger: createRedactingLogger({ name: 'parvaneh-worker' }), metrics: registry })
 */
export function createProcessFaultActivities(deps: { db: Database; logger: Pick<Logger, 'error'>; metrics: Registry }) {
  const faults = faultCounter(deps.metrics);
  return {
    /**
     * Records a process fault on the timeline and in the audit trail, in one transaction, and
     * alerts the operators. A retry finds the timeline event written and alerts no second time.
     */
    async reportProcessFault(fault: ProcessFault, event: TimelineEvent): Promise<void> {
      const first = await deps.db.transaction(async (transaction) => {
        const tx = transaction as unknown as Database;
        const written = await tx.insert(applicationEvents).values({
          applicationId: event.applicationId, seq: event.seq, kind: event.kind, stepId: event.stepId ?? null,
          detail: event.detail ?? {}, occurredAt: new Date(event.occurredAt),
        }).onConflictDoNothing().returning({ id: applicationEvents.id });
        if (written.length === 0) return false;
        await appendAudit(tx, {
          actor: 'workflow', action: 'application.process-fault', subjectType: 'application', subjectId: fault.applicationId,
          detail: { definition: fault.definition, version: fault.version, stepId: fault.stepId, field: fault.field, problem: fault.problem },
        });
        return true;
      });
      if (!first) return;
      deps.logger.error(
        { alert: 'process-fault', ...fault },
        `process fault: ${fault.definition} v${fault.version}, step ${fault.stepId}, ${fault.field}: the expression could not be evaluated; the application ended failed`,
      );
      faults.inc({ definition: fault.definition, step: fault.stepId });
    },
  };
}

export type ProcessFaultActivities = ReturnType<typeof createProcessFaultActivities>;
