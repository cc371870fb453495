/**
 * Builds the Temporal worker for licence processes: the generic interpreter workflow, the outbox
 * delivery workflow, and the activities around their dependencies (database, registries, the
 * national portal, definitions).
 */
import { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { createCompetitionActivities } from '../activities/competitions.js';
import { createDatabaseActivities } from '../activities/database.js';
import { createDefinitionActivities } from '../activities/definitions.js';
import { createPortalActivities, type RequestSigner } from '../activities/national-portal.js';
import { createProcessFaultActivities } from '../activities/process-faults.js';
import { createProcessActivities } from '../activities/processes.js';
import { createInquiryActivities } from '../activities/inquiries.js';
import { createSmsActivities } from '../activities/sms.js';
import type { Database } from '../db/client.js';
import type { HolidayCalendar } from '../dsl/calendar.js';
import type { DefinitionCatalogue } from '../dsl/catalogue.js';
import { TASK_QUEUE } from '../domain/workflow-interfaces/licence-process.js';
import { createRedactingLogger } from '../platform/logger.js';
import { encryptingDataConverter } from '../platform/payload-codec.js';

export interface WorkerDependencies {
  connection: NativeConnection;
  /** Encrypts every payload this worker (and the client its activities use) sends to Temporal (platform/payload-codec.ts). */
  payloadCodec: PayloadCodec;
  namespace?: string;
  taskQueue?: string;
  db: Database;
  calendar: HolidayCalendar;
  catalogue: DefinitionCatalogue;
  registryBaseUrl: string;
  /** The national permits portal: its base URL (default: the registries' base URL, as in the sandbox) and our request signer. */
  portal: { baseUrl?: string; sign: RequestSigner };
  /** A pre-built bundle (tests and benchmarks build it once). */
  workflowBundle?: WorkflowBundleWithSourceMap;
  maxConcurrentWorkflowTaskExecutions?: number;
  /** Where operator alerts (a process fault) are logged; default: redacted JSON lines on stdout. */
  logger?: Logger;
  /** Where the worker's counters (`parvaneh_process_faults_total`) are registered, for whoever serves `/metrics`. */
  metrics?: Registry;
}

const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** Bundles the workflow code once; pass the result to several workers. */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
}

const quietBundlerLogger = {
  log: () => {}, trace: () => {}, debug: () => {}, info: () => {},
  warn: (message: string) => console.warn(message), error: (message: string) => console.error(message),
};

/** Creates (does not run) the worker. */
export async function createLicenceWorker(deps: WorkerDependencies): Promise<Worker> {
  const activities = {
    ...createDatabaseActivities(deps.db, deps.calendar),
    ...createCompetitionActivities(deps.db),
    ...createInquiryActivities({ baseUrl: deps.registryBaseUrl, db: deps.db }),
    ...createSmsActivities({ baseUrl: deps.registryBaseUrl }),
    ...createDefinitionActivities(deps.catalogue),
    ...createProcessActivities({
      client: new Client({ connection: deps.connection, namespace: deps.namespace ?? 'default', dataConverter: encryptingDataConverter(deps.payloadCodec) }),
      taskQueue: deps.taskQueue ?? TASK_QUEUE,
    }),
    ...createPortalActivities({ baseUrl: deps.portal.baseUrl ?? deps.registryBaseUrl, db: deps.db, sign: deps.portal.sign }),
    ...createProcessFaultActivities({ db: deps.db, logger: deps.logger ?? createRedactingLogger({ name: 'parvaneh-worker' }), metrics: deps.metrics ?? new Registry() }),
  };
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace ?? 'default',
    taskQueue: deps.taskQueue ?? TASK_QUEUE,
    ...(deps.workflowBundle ? { workflowBundle: deps.workflowBundle } : { workflowsPath }),
    activities,
    dataConverter: encryptingDataConverter(deps.payloadCodec),
    maxConcurrentWorkflowTaskExecutions: deps.maxConcurrentWorkflowTaskExecutions,
  });
}
