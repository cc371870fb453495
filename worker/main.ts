/**
 * A standalone worker process (for deployments with workers apart from the gateway, and for the
 * crash tests): `tsx worker/main.ts`, or compiled, `node dist/worker/main.js`. Its settings
 * (PostgreSQL, Temporal, the registries and the portal, the keys, `/metrics`, the task slots, the
 * audit head's publication, the pre-built workflow bundle) are described, checked and documented in
 * platform/config.ts (`WORKER_SETTINGS`); a wrong one stops it with exit code 1 and a message naming it.
 *
 * Beside the workers it makes sure the outbox delivery workflow of its task queue runs (one per
 * deployment, whichever worker starts it), so a deployment of standalone workers tells the portal.
 * The audit chain is verified and its signed head published every `AUDIT_HEAD_INTERVAL_MINUTES`.
 */
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { Registry } from 'prom-client';
import { openDatabase } from '../db/client.js';
import { loadHolidayCalendar } from '../dsl/calendar-load.js';
import { DefinitionCatalogue } from '../dsl/catalogue.js';
import { loadDefinitions } from '../dsl/load.js';
import { createLicenceWorker, workerSlots } from './create-worker.js';
import { ensureOutboxDelivery } from './outbox-delivery.js';
import { signerFromFile } from './signer.js';
import { installRedactingRuntimeLogger } from './runtime-logging.js';
import { serveMetrics } from './metrics.js';
import { prebuiltWorkflowBundle } from './workflow-bundle.js';
import { readConfig, startProcess, WORKER_CONFIG } from '../platform/config.js';
import { createPayloadCodec, encryptingDataConverter, loadPayloadKeys } from '../platform/payload-codec.js';
import { createRedactingLogger } from '../platform/logger.js';
import { scheduleAuditHeadPublication } from '../domain/audit-head.js';
import { startTracing, stopTracing, tracingClientInterceptors } from '../platform/tracing.js';

startProcess('worker', async () => {
  const config = readConfig(WORKER_CONFIG);
  installRedactingRuntimeLogger();
  // OTEL_EXPORTER_OTLP_ENDPOINT turns tracing on (parvaneh-worker); before the worker, whose workflow bundle then takes the tracing interceptors.
  const tracing = startTracing('parvaneh-worker') !== undefined;
  const payloadCodec = createPayloadCodec(loadPayloadKeys());
  const calendar = loadHolidayCalendar();
  const catalogue = new DefinitionCatalogue(loadDefinitions(config.PROCESSES_DIR), calendar);
  const database = await openDatabase({ url: config.DATABASE_URL });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const metrics = new Registry();
  const metricsServer = config.METRICS_PORT === undefined ? undefined : serveMetrics(metrics, config.METRICS_PORT, config.METRICS_HOST);
  const sign = await signerFromFile(config.SIGNING_KEYS_PATH);
  // The pre-built bundle has no tracing interceptors: traced, the workflow code is bundled at start with them.
  const workflowBundle = tracing ? undefined : prebuiltWorkflowBundle(config.WORKFLOW_BUNDLE);
  console.log(workflowBundle ? `[worker] workflow bundle: ${workflowBundle.codePath}` : `[worker] ${tracing ? 'tracing' : 'no pre-built workflow bundle'}: bundling the workflow code`);
  const worker = await createLicenceWorker({
    connection, namespace: config.TEMPORAL_NAMESPACE, payloadCodec, db: database.db, metrics, calendar, catalogue,
    registryBaseUrl: config.REGISTRY_BASE_URL, taskQueue: config.TASK_QUEUE, portal: { baseUrl: config.PORTAL_BASE_URL, sign },
    slots: workerSlots(config), workflowBundle,
  });
  const stopAuditHeads = scheduleAuditHeadPublication({
    db: database.db, sign, dir: config.AUDIT_HEADS_DIR, intervalMs: config.AUDIT_HEAD_INTERVAL_MINUTES * 60_000,
    logger: createRedactingLogger({ name: 'parvaneh-audit' }),
  });
  const stop = () => worker.shutdown();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const running = worker.run();
  // Once per deployment (an already running delivery is left alone): without it nothing tells the portal.
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: encryptingDataConverter(payloadCodec), interceptors: tracingClientInterceptors() });
  await ensureOutboxDelivery(client, config.TASK_QUEUE);
  console.log('[worker] running');
  await running;
  stopAuditHeads();
  metricsServer?.close();
  await connection.close();
  await database.close();
  await stopTracing();
  console.log('[worker] stopped');
});
