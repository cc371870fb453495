/**
 * `npm start`: the whole product on embedded defaults. A Temporal dev server persisting to
 * `.data/temporal.db`, an embedded PostgreSQL server in `.data/postgres` (or the server
 * DATABASE_URL names), the sandbox registries, the worker, the development OpenID provider the
 * officers' console signs in at (IDP_PORT, default 8090) and the gateway with the console at
 * /console. Ctrl-C stops them in dependency order (gateway, identity provider, worker, sandbox,
 * then PostgreSQL and Temporal, which run in sessions of their own so the terminal's Ctrl-C
 * reaches only this process); the next start finds every application where it left it.
 */
import { serve, type ServerType } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { JWK } from 'jose';
import { openDatabase } from '../db/client.js';
import { startEmbeddedPostgres, stopEmbeddedPostgresSync } from '../db/embedded.js';
import { loadHolidayCalendar } from '../dsl/calendar-load.js';
import { DefinitionCatalogue } from '../dsl/catalogue.js';
import { loadDefinitions } from '../dsl/load.js';
import { createGateway } from '../gateway/app.js';
import { startDevIdentityProvider } from '../idp/provider.js';
import { API_AUDIENCE, loadDevIssuer } from '../gateway/dev-issuer.js';
import { createSigningKeyStore } from '../platform/signing-keys.js';
import { createLogger } from '../gateway/middleware/logging.js';
import { createMetricsRegistry } from '../gateway/middleware/metrics.js';
import { startSandbox } from '../sandbox/server.js';
import { registryKeyPairs, type RegistryKeyPairs } from '../sandbox/signing.js';
import { createLicenceWorker, workerSlotsFromEnv } from '../worker/create-worker.js';
import { ensureOutboxDelivery } from '../worker/outbox-delivery.js';
import { signerFor } from '../worker/signer.js';
import { installRedactingRuntimeLogger } from '../worker/runtime-logging.js';
import { adoptPinnedDefinitions } from '../services/pinned-definitions.js';
import { createPayloadCodec, encryptingDataConverter, loadPayloadKeys } from '../platform/payload-codec.js';
import { startTracing, stopTracing, tracingClientInterceptors } from '../platform/tracing.js';
import { createRedactingLogger } from '../platform/logger.js';
import { scheduleAuditHeadPublication } from '../domain/audit-head.js';

const dataDir = resolve(process.env.PARVANEH_DATA_DIR ?? '.data');
const ports = {
  api: Number(process.env.PORT ?? 8080),
  sandbox: Number(process.env.SANDBOX_PORT ?? 7400),
  temporal: Number(process.env.TEMPORAL_PORT ?? 7233),
  temporalUi: Number(process.env.TEMPORAL_UI_PORT ?? 8233),
  postgres: Number(process.env.POSTGRES_PORT ?? 54320),
  idp: Number(process.env.IDP_PORT ?? 8090),
};
const host = '127.0.0.1';
const log = (message: string) => console.log(`[parvaneh] ${message}`);

/** What is running, stopped in reverse order of starting: on Ctrl-C and on a failed start alike. */
const stack: { name: string; stop: () => Promise<unknown> }[] = [];
const started = (name: string, stop: () => Promise<unknown>) => { stack.push({ name, stop }); };
let temporalProcess: ChildProcess | undefined;

async function stopAll(): Promise<string[]> {
  const stopped: string[] = [];
  for (const { name, stop } of stack.splice(0).reverse()) {
    await stop().catch((error: unknown) => console.error(`[parvaneh] stopping ${name}:`, error));
    stopped.push(name);
  }
  return stopped;
}

/** One `npm start` per data directory: a second would take the first one's servers from under it. */
const lockFile = () => join(dataDir, 'parvaneh.pid');

function takeDataDirectory(): void {
  if (existsSync(lockFile())) {
    const pid = Number(readFileSync(lockFile(), 'utf8'));
    let alive = false;
    try {
      alive = pid !== process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('scripts/start.ts');
    } catch { /* no such process */ }
    if (alive) throw new Error(`another npm start (pid ${pid}) is running on ${dataDir}: stop it first (Ctrl-C in its terminal)`);
  }
  writeFileSync(lockFile(), String(process.pid));
}

// Whatever happens to this process short of SIGKILL, the servers it started in sessions of their
// own do not outlive it, even those still starting when it ended.
process.on('exit', () => {
  if (temporalProcess && temporalProcess.exitCode === null && temporalProcess.signalCode === null) temporalProcess.kill('SIGKILL');
  if (!process.env.DATABASE_URL) stopEmbeddedPostgresSync(join(dataDir, 'postgres'));
  try {
    if (readFileSync(lockFile(), 'utf8') === String(process.pid)) rmSync(lockFile());
  } catch { /* not ours, or gone */ }
});

/** Temporal's pid, kept so a start after a killed one can stop the server it left behind. */
const temporalPidFile = () => join(dataDir, 'temporal.pid');

function stopLeftoverTemporal(): void {
  if (!existsSync(temporalPidFile())) return;
  const pid = Number(readFileSync(temporalPidFile(), 'utf8'));
  try {
    // Only if it is still the dev server on our database file.
    if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(join(dataDir, 'temporal.db'))) {
      log(`stopping a Temporal server left running by an earlier start (pid ${pid})`);
      process.kill(pid, 'SIGKILL');
    }
  } catch { /* gone already */ }
  rmSync(temporalPidFile(), { force: true });
}

async function startTemporal(): Promise<ChildProcess> {
  const binary = resolve('.tools/bin/temporal');
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run scripts/install.sh`);
  stopLeftoverTemporal();
  // A session of its own: the terminal's Ctrl-C reaches only us, and we stop it last. Its errors go
  // to .data/temporal.log, not our terminal: a server in a session of its own must not hold our
  // output open after we have gone (whoever waits for that output to close would wait for it too).
  const logFd = openSync(join(dataDir, 'temporal.log'), 'a');
  const child = spawn(binary, [
    'server', 'start-dev', '--db-filename', join(dataDir, 'temporal.db'), '--ip', host,
    '--port', String(ports.temporal), '--ui-port', String(ports.temporalUi), '--log-level', 'error',
  ], { stdio: ['ignore', 'ignore', logFd], detached: true });
  closeSync(logFd);
  temporalProcess = child;
  // Stopped last: everything else talks to Temporal.
  started('Temporal', () => stopTemporal(child));
  writeFileSync(temporalPidFile(), String(child.pid));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the Temporal dev server exited with code ${child.exitCode}`);
    try {
      const connection = await Connection.connect({ address: `${host}:${ports.temporal}`, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return child;
    } catch {
      if (Date.now() > deadline) throw new Error('the Temporal dev server did not come up within 60 s');
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

/** The sandbox registries' signing key, kept so a restart's callbacks verify against the same key. */
/** Each simulated registry's own callback key, kept across restarts (the gateway trusts each for its own callbacks only). */
function sandboxKeys(): RegistryKeyPairs {
  const path = join(dataDir, 'sandbox-registries.keys.json');
  if (existsSync(path)) return registryKeyPairs(JSON.parse(readFileSync(path, 'utf8')) as Record<string, JWK>);
  const keys = registryKeyPairs();
  writeFileSync(path, JSON.stringify(Object.fromEntries(Object.entries(keys.privateKeys).map(([registry, { privateJwk }]) => [registry, privateJwk]))), { mode: 0o600 });
  return keys;
}

async function stopTemporal(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
  rmSync(temporalPidFile(), { force: true });
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  installRedactingRuntimeLogger();
  // OTEL_EXPORTER_OTLP_ENDPOINT turns tracing on for every part this process runs; stopped last, so the last spans are flushed.
  const tracing = startTracing('parvaneh') !== undefined;
  if (tracing) started('tracing', stopTracing);
  const calendar = loadHolidayCalendar();
  const catalogue = new DefinitionCatalogue(loadDefinitions('processes'), calendar);
  log(`licence types: ${catalogue.ids().join(', ')}`);

  takeDataDirectory();
  await startTemporal();
  let databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    log('database:     PostgreSQL (DATABASE_URL)');
  } else {
    const cluster = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: ports.postgres });
    started('PostgreSQL', () => cluster.stop());
    databaseUrl = cluster.url;
    log(`database:     embedded PostgreSQL ${cluster.version} in ${cluster.dataDir} (127.0.0.1:${cluster.port})`);
  }
  const database = await openDatabase({ url: databaseUrl });
  started('database connections', () => database.close());
  const adopted = await adoptPinnedDefinitions(database.db, catalogue);
  if (adopted.length > 0) log(`definitions:  ${adopted.length} pinned in the language's first spelling, found by their old hashes`);
  const connection = await Connection.connect({ address: `${host}:${ports.temporal}` });
  started('Temporal client', () => connection.close());
  // Every payload to Temporal is encrypted; the key file is kept beside the signing keys.
  const payloadCodec = createPayloadCodec(loadPayloadKeys(process.env, join(dataDir, 'payload-keys.json')));
  const temporal = new Client({ connection, dataConverter: encryptingDataConverter(payloadCodec), interceptors: tracingClientInterceptors() });
  const issuer = await loadDevIssuer(join(dataDir, 'dev-issuer.jwk.json'));
  const registryKeys = sandboxKeys();

  const apiUrl = `http://${host}:${ports.api}`;
  const signingKeys = await createSigningKeyStore({ path: join(dataDir, 'response-signing-keys.json') });
  const sandbox = await startSandbox({ port: ports.sandbox, host, callbackBaseUrl: apiUrl, registryKeys: registryKeys.privateKeys,
    parvanehJwksUrl: `${apiUrl}/.well-known/jwks.json`, tracing });
  started('sandbox', () => sandbox.close());

  const workerConnection = await NativeConnection.connect({ address: `${host}:${ports.temporal}` });
  started('worker connection', () => workerConnection.close());
  // One registry: the gateway's `/metrics` shows the worker's counters (process faults) too.
  const metrics = createMetricsRegistry();
  const worker = await createLicenceWorker({
    connection: workerConnection, payloadCodec, db: database.db, metrics, calendar, catalogue, registryBaseUrl: sandbox.url, portal: { sign: signerFor(signingKeys) },
    slots: workerSlotsFromEnv(),
  });
  const running = worker.run();
  // The audit chain's signed head, hourly, to the portal and to .data/audit-heads (AUDIT_HEADS_DIR) for archiving.
  const stopAuditHeads = scheduleAuditHeadPublication({
    db: database.db, sign: signerFor(signingKeys), dir: process.env.AUDIT_HEADS_DIR || join(dataDir, 'audit-heads'),
    intervalMs: Number(process.env.AUDIT_HEAD_INTERVAL_MINUTES || 60) * 60_000, logger: createRedactingLogger({ name: 'parvaneh-audit' }),
  });
  started('audit head publication', async () => stopAuditHeads());
  started('worker', async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    // A workflow task or activity still running gets 10 s to finish; Temporal hands it to the next
    // worker after that, so a slow one cannot hold the whole stop.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((done) => { timer = setTimeout(() => { log('the worker did not stop within 10 s: leaving it'); done(); }, 10_000); });
    await Promise.race([running, late]);
    clearTimeout(timer);
  });
  await ensureOutboxDelivery(temporal);

  // The officers' console signs in at the embedded development OpenID provider; the gateway trusts
  // it by discovery, beside the development issuer `npm run token` mints with.
  const idp = await startDevIdentityProvider({
    host, port: ports.idp, stateFile: join(dataDir, 'idp.json'), audience: API_AUDIENCE,
    redirectUris: [`${apiUrl}/console/callback`], postLogoutRedirectUris: [`${apiUrl}/console/signed-out`],
  });
  started('identity provider', () => idp.close());

  const gateway = createGateway({
    deps: { db: database.db, temporal, catalogue, calendar },
    auth: { issuers: [{ issuer: issuer.issuer, jwks: issuer.jwks }, { issuer: idp.issuer }], audience: API_AUDIENCE },
    console: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, publicUrl: apiUrl, distDir: resolve('console/dist') },
    registryKeys: registryKeys.jwks,
    signingKeys, metrics, tracing,
    logger: createLogger({ level: process.env.LOG_LEVEL ?? 'warn' }),
    checkReady: async () => {
      await database.ping();
      await connection.workflowService.getSystemInfo({});
    },
  });
  const server: ServerType = await new Promise((ready, fail) => {
    const s = serve({ fetch: gateway.fetch, port: ports.api, hostname: host }, () => ready(s));
    s.once('error', fail);
  });
  // Stopped first: no new request arrives while the rest goes down.
  started('gateway', () => new Promise<void>((done) => {
    server.close(() => done());
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  }).then(() => gateway.stop()));

  log(`API:          ${apiUrl}/v1/licence-types`);
  log(`API docs:     ${apiUrl}/docs  (spec: ${apiUrl}/openapi.json)`);
  log(`API health:   ${apiUrl}/health  (metrics: ${apiUrl}/metrics)`);
  log(`JWKS:         ${apiUrl}/.well-known/jwks.json`);
  log(`console: ${apiUrl}/console/`);
  log(`  sign-in at ${idp.issuer}; the development accounts (kept in ${join(dataDir, 'idp.json')}):`);
  for (const account of idp.accounts) {
    const office = account.county ? `county ${account.county}` : account.province ? `province ${account.province}` : 'national';
    log(`  ${account.username.padEnd(10)} ${account.password}  ${account.role} (${office})`);
  }
  log(`Temporal UI:  http://${host}:${ports.temporalUi}`);
  log(`Sandbox:      ${sandbox.url}/fixtures/persons  (portal: ${sandbox.url}/control/portal/notifications)`);
  log('tokens:       npm run token -- --role county-office --county ahvaz');
  log('ready (Ctrl-C stops)');
}

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  const began = Date.now();
  log(`${signal}: stopping`);
  const stopped = await stopAll();
  log(`stopped in ${((Date.now() - began) / 1000).toFixed(1)} s (${stopped.join(', ')})`);
  process.exit(0);
}
// Ctrl-C, a service manager's stop, and a closed terminal all stop the product the same way.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));

main().catch(async (error) => {
  console.error('[parvaneh] failed to start:', error);
  await stopAll();
  process.exit(1);
});
