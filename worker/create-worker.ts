/**
 * Builds the Temporal workers of one process: the licence processes' worker (the generic
 * interpreter workflow, the competitive calls, and the activities around their dependencies:
 * database, registries, the national portal, definitions), and beside it the outbox delivery's own
 * worker on its own task queue, so the portal hears of a change however long the queue of
 * applications is.
 */
import { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { NativeConnection, Worker, type State, type WorkflowBundleOption } from '@temporalio/worker';
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
import { TASK_QUEUE, outboxTaskQueueFor } from '../domain/workflow-interfaces/licence-process.js';
import { createRedactingLogger } from '../platform/logger.js';
import { encryptingDataConverter } from '../platform/payload-codec.js';
import { readConfig, WORKER_SLOT_SETTINGS } from '../platform/config.js';
import { tracingClientInterceptors, tracingWorkerOptions } from '../platform/tracing.js';
import { bundleWorkflows } from './workflow-bundle.js';

export { bundleWorkflows, workflowBundleOptions } from './workflow-bundle.js';

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
  /** A pre-built bundle: built once by tests and benchmarks, or the file `npm run build` wrote (`{ codePath }`); default: bundled now. */
  workflowBundle?: WorkflowBundleOption;
  /** How much the licence processes' worker takes on at once (default `DEFAULT_WORKER_SLOTS`). */
  slots?: Partial<WorkerSlots>;
  /** Activities registered beside the product's (benchmarks: the trivial workflow's no-ops). */
  extraActivities?: Record<string, (...args: never[]) => Promise<unknown>>;
  /** Where operator alerts (a process fault) are logged; default: redacted JSON lines on stdout. */
  logger?: Logger;
  /** Where the worker's counters (`parvaneh_process_faults_total`) are registered, for whoever serves `/metrics`. */
  metrics?: Registry;
}

/** The workers of one process, run and stopped together. */
export interface LicenceWorker {
  /** Runs every worker until `shutdown`; rejects if any of them fails. */
  run(): Promise<void>;
  shutdown(): void;
  /** The licence processes' worker's state. */
  getState(): State;
}

/** How many tasks of each kind a worker runs at once, and how many workflows it keeps in memory. */
export interface WorkerSlots {
  workflowTasks: number;
  activities: number;
  localActivities: number;
  /** Workflows kept in the sticky cache between their tasks; one not kept is replayed from its history at its next task. */
  cachedWorkflows: number;
}

/**
 * How much a worker takes on. 16 workflow tasks at once, 100 local and 100 remote activities. A
 * workflow task holds its slot while its database writes (local activities) wait on the network
 * and the database, so too few slots throttle a burst: with 8 a 1,000-application soak took 246
 * through its 600 s window. Too many, and on a machine whose cores are shared with Temporal and
 * PostgreSQL each task waits for the CPU: with the SDK's 40, 8,332 of 25,007 tasks in the soak were
 * held over 1 s (p99 4.3 s) and 936 applications ended in the window; with 16, 1,066 (p99 1.4 s)
 * and 991 (soaks s9 and s10, docs/performance-process.md).
 *
 * The cache is sized deliberately, not from the heap limit as the SDK does. Too small, and every
 * workflow task of an application in flight replays its whole history: a 1,000-application soak
 * (8 workflow-task slots) finished 21 in its 600 s window with 200 cached, 246 with 2,500. Too large,
 * and memory grows with the applications that merely wait: each cached one costs the worker some
 * 0.3–0.5 MiB (bench:process --open). 2,500 is above what this machine has in flight at its peak; a
 * worker holding many thousands of long waits is set lower (`WORKER_CACHED_WORKFLOWS`: with 1,000,
 * 10,000 waiting applications took 896 MiB at rest).
 */
export const DEFAULT_WORKER_SLOTS: WorkerSlots = { workflowTasks: 16, activities: 100, localActivities: 100, cachedWorkflows: 2_500 };

/** Slots from the environment (`WORKER_WORKFLOW_TASK_SLOTS`, `WORKER_ACTIVITY_SLOTS`, `WORKER_LOCAL_ACTIVITY_SLOTS`, `WORKER_CACHED_WORKFLOWS`, platform/config.ts); unset ones keep the default. */
export function workerSlotsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<WorkerSlots> {
  return workerSlots(readConfig({ settings: WORKER_SLOT_SETTINGS }, env));
}

/** The slots a worker's configuration sets; unset ones keep the default. */
export function workerSlots(config: { [K in keyof typeof WORKER_SLOT_SETTINGS]: number | undefined }): Partial<WorkerSlots> {
  const slots = {
    workflowTasks: config.WORKER_WORKFLOW_TASK_SLOTS, activities: config.WORKER_ACTIVITY_SLOTS, localActivities: config.WORKER_LOCAL_ACTIVITY_SLOTS,
    cachedWorkflows: config.WORKER_CACHED_WORKFLOWS,
  };
  return Object.fromEntries(Object.entries(slots).filter(([, v]) => v !== undefined));
}

/** The outbox delivery's worker: one workflow and one activity at a time is all it needs. */
const OUTBOX_WORKER_SLOTS = 2;

/** Creates (does not run) the workers. */
export async function createLicenceWorker(deps: WorkerDependencies): Promise<LicenceWorker> {
  const portal = createPortalActivities({ baseUrl: deps.portal.baseUrl ?? deps.registryBaseUrl, db: deps.db, sign: deps.portal.sign });
  const activities = {
    ...createDatabaseActivities(deps.db, deps.calendar),
    ...createCompetitionActivities(deps.db),
    ...createInquiryActivities({ baseUrl: deps.registryBaseUrl, db: deps.db }),
    ...createSmsActivities({ baseUrl: deps.registryBaseUrl }),
    ...createDefinitionActivities(deps.catalogue),
    ...createProcessActivities({
      client: new Client({
        connection: deps.connection, namespace: deps.namespace ?? 'default', dataConverter: encryptingDataConverter(deps.payloadCodec), interceptors: tracingClientInterceptors(),
      }),
      taskQueue: deps.taskQueue ?? TASK_QUEUE,
    }),
    // Kept here too: a delivery started before it had its own queue runs here until it moves.
    ...portal,
    ...createProcessFaultActivities({ db: deps.db, logger: deps.logger ?? createRedactingLogger({ name: 'parvaneh-worker' }), metrics: deps.metrics ?? new Registry() }),
    ...deps.extraActivities,
  };
  const taskQueue = deps.taskQueue ?? TASK_QUEUE;
  const slots: WorkerSlots = { ...DEFAULT_WORKER_SLOTS, ...deps.slots };
  const workflowBundle = deps.workflowBundle ?? await bundleWorkflows();
  const common = {
    connection: deps.connection,
    namespace: deps.namespace ?? 'default',
    workflowBundle,
    dataConverter: encryptingDataConverter(deps.payloadCodec),
    ...tracingWorkerOptions(),
  };
  const processes = await Worker.create({
    ...common, taskQueue, activities,
    maxConcurrentWorkflowTaskExecutions: slots.workflowTasks,
    maxConcurrentActivityTaskExecutions: slots.activities,
    maxConcurrentLocalActivityExecutions: slots.localActivities,
    maxCachedWorkflows: slots.cachedWorkflows,
  });
  const outbox = await Worker.create({
    ...common, taskQueue: outboxTaskQueueFor(taskQueue), activities: portal,
    maxConcurrentWorkflowTaskExecutions: OUTBOX_WORKER_SLOTS, maxConcurrentActivityTaskExecutions: OUTBOX_WORKER_SLOTS,
    maxConcurrentLocalActivityExecutions: OUTBOX_WORKER_SLOTS,
  });
  const workers = [processes, outbox];
  return {
    async run() {
      // One failing stops the other, so the process does not run on half a worker.
      await Promise.all(workers.map((w) => w.run().catch((error: unknown) => {
        for (const other of workers) if (other !== w && other.getState() === 'RUNNING') other.shutdown();
        throw error;
      })));
    },
    shutdown() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    },
    getState: () => processes.getState(),
  };
}
