/**
 * A standalone worker process (for deployments with workers apart from the gateway, and for the
 * crash tests): `TEMPORAL_ADDRESS`, `DATABASE_URL`, `REGISTRY_BASE_URL`, `SIGNING_KEYS_PATH` (the
 * gateway's key file, to sign what goes to the portal), `PAYLOAD_KEYS` or `PAYLOAD_KEYS_PATH` (the keys
 * Temporal payloads are encrypted with, platform/payload-codec.ts), optional `PORTAL_BASE_URL` and `TASK_QUEUE`;
 * `METRICS_PORT` (and `METRICS_HOST`, default 127.0.0.1) serves its counters on `GET /metrics`;
 * `WORKER_WORKFLOW_TASK_SLOTS`, `WORKER_ACTIVITY_SLOTS`, `WORKER_LOCAL_ACTIVITY_SLOTS` (create-worker.ts).
 * The audit chain is verified and its signed head published every `AUDIT_HEAD_INTERVAL_MINUTES`
 * (default 60) to the portal and, with `AUDIT_HEADS_DIR`, to a file there for operators to archive.
 */
import { NativeConnection } from '@temporalio/worker';
import { Registry } from 'prom-client';
import { openDatabase } from '../db/client.js';
import { loadHolidayCalendar } from '../dsl/calendar-load.js';
import { DefinitionCatalogue } from '../dsl/catalogue.js';
import { loadDefinitions } from '../dsl/load.js';
import { createLicenceWorker, workerSlotsFromEnv } from './create-worker.js';
import { signerFromFile } from './signer.js';
import { installRedactingRuntimeLogger } from './runtime-logging.js';
import { serveMetrics } from './metrics.js';
import { createPayloadCodec, loadPayloadKeys } from '../platform/payload-codec.js';
import { createRedactingLogger } from '../platform/logger.js';
import { scheduleAuditHeadPublication } from '../domain/audit-head.js';

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

installRedactingRuntimeLogger();
const calendar = loadHolidayCalendar();
const catalogue = new DefinitionCatalogue(loadDefinitions(process.env.PROCESSES_DIR ?? 'processes'), calendar);
const database = await openDatabase({ url: required('DATABASE_URL') });
const connection = await NativeConnection.connect({ address: required('TEMPORAL_ADDRESS') });
const metrics = new Registry();
const metricsServer = process.env.METRICS_PORT ? serveMetrics(metrics, Number(process.env.METRICS_PORT), process.env.METRICS_HOST) : undefined;
const sign = await signerFromFile(required('SIGNING_KEYS_PATH'));
const worker = await createLicenceWorker({
  connection, payloadCodec: createPayloadCodec(loadPayloadKeys()), db: database.db, metrics, calendar, catalogue, registryBaseUrl: required('REGISTRY_BASE_URL'), taskQueue: process.env.TASK_QUEUE,
  portal: { baseUrl: process.env.PORTAL_BASE_URL, sign }, slots: workerSlotsFromEnv(),
});
const stopAuditHeads = scheduleAuditHeadPublication({
  db: database.db, sign, dir: process.env.AUDIT_HEADS_DIR || undefined, intervalMs: Number(process.env.AUDIT_HEAD_INTERVAL_MINUTES || 60) * 60_000,
  logger: createRedactingLogger({ name: 'parvaneh-audit' }),
});
const stop = () => worker.shutdown();
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
console.log('[worker] running');
await worker.run();
stopAuditHeads();
metricsServer?.close();
await connection.close();
await database.close();
console.log('[worker] stopped');
