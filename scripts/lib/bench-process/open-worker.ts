/**
 * The worker alone in a process of its own, for `bench:process --open N` (scripts/lib/bench-process/open.ts), so that its
 * resident memory is the worker's and nothing else's. The product's worker (createLicenceWorker,
 * the product's workflow bundle) with the benchmark's definitions (the centre up to version 2).
 * Settings: TEMPORAL_ADDRESS, DATABASE_URL, REGISTRY_BASE_URL, TASK_QUEUE, PAYLOAD_KEYS, and
 * the product's own worker settings (`WORKER_CACHED_WORKFLOWS`, the sticky cache's size, and the other
 * `WORKER_*_SLOTS`; worker/create-worker.ts's defaults when unset).
 * Prints `[worker] running` once it polls, then `[worker] memory {…}` (process.memoryUsage()) every 2 s,
 * and, for each line `settle` on its standard input, `[worker] settled {…}`: the same after a full
 * collection of the main thread's heap (run with --expose-gc; the workflows run in the SDK's workflow
 * thread, whose heap this neither collects nor counts).
 */
import { NativeConnection, Runtime } from '@temporalio/worker';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../../db/client.js';
import { loadHolidayCalendar } from '../../../dsl/calendar-load.js';
import { DefinitionCatalogue } from '../../../dsl/catalogue.js';
import { loadDefinitions } from '../../../dsl/load.js';
import { createPayloadCodec, loadPayloadKeys } from '../../../platform/payload-codec.js';
import { createSigningKeyStore } from '../../../platform/signing-keys.js';
import { createLicenceWorker, workerSlotsFromEnv } from '../../../worker/create-worker.js';
import { signerFor } from '../../../worker/signer.js';

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

Runtime.install({
  logger: { log: () => {}, trace: () => {}, debug: () => {}, info: () => {}, warn: (m) => console.warn(m), error: (m) => console.error(m) },
  telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
});
const calendar = loadHolidayCalendar();
const processes = fileURLToPath(new URL('../../../processes', import.meta.url));
const definitions = loadDefinitions(resolve(processes)).filter((l) => l.definition.id !== 'welfare-services-centre' || l.definition.version <= 2);
const database = await openDatabase({ url: required('DATABASE_URL') });
const connection = await NativeConnection.connect({ address: required('TEMPORAL_ADDRESS') });
const worker = await createLicenceWorker({
  connection, payloadCodec: createPayloadCodec(loadPayloadKeys()), db: database.db, calendar, catalogue: new DefinitionCatalogue(definitions, calendar),
  registryBaseUrl: required('REGISTRY_BASE_URL'), taskQueue: required('TASK_QUEUE'), portal: { sign: signerFor(await createSigningKeyStore()) },
  workflowBundle: { code: readFileSync(required('WORKFLOW_BUNDLE'), 'utf8'), sourceMap: '' },
  slots: workerSlotsFromEnv(),
});
process.on('SIGTERM', () => worker.shutdown());
// What the parent cannot read from /proc: how much of the resident memory is V8's heap.
setInterval(() => console.log(`[worker] memory ${JSON.stringify(process.memoryUsage())}`), 2000).unref();
// What is live, garbage set aside: asked for by the parent once every application waits.
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'settle') return;
  (globalThis as { gc?: () => void }).gc?.();
  console.log(`[worker] settled ${JSON.stringify(process.memoryUsage())}`);
});
console.log('[worker] running');
await worker.run();
await connection.close();
await database.close();
