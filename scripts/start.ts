/**
 * `npm start`: the whole product on embedded defaults. A Temporal dev server persisting to
 * `.data/temporal.db`, PGlite under `.data/pglite` (or PostgreSQL when DATABASE_URL is set), the
 * sandbox registries, the worker and the gateway. Ctrl-C stops everything cleanly; the next start
 * finds every application where it left it.
 */
import { serve, type ServerType } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { openDatabase } from '../db/client.js';
import { loadHolidayCalendar } from '../dsl/calendar-load.js';
import { DefinitionCatalogue } from '../dsl/catalogue.js';
import { loadDefinitions } from '../dsl/load.js';
import { createGateway } from '../gateway/app.js';
import { API_AUDIENCE, loadDevIssuer } from '../gateway/dev-issuer.js';
import { createSigningKeyStore } from '../gateway/signing-keys.js';
import { createLogger } from '../gateway/middleware/logging.js';
import { startSandbox } from '../sandbox/server.js';
import { createLicenceWorker } from '../worker/create-worker.js';
import { ensureOutboxDelivery } from '../worker/outbox-delivery.js';
import { signerFor } from '../worker/signer.js';
import { installRedactingRuntimeLogger } from '../worker/runtime-logging.js';

const dataDir = resolve(process.env.PARVANEH_DATA_DIR ?? '.data');
const ports = {
  api: Number(process.env.PORT ?? 8080),
  sandbox: Number(process.env.SANDBOX_PORT ?? 7400),
  temporal: Number(process.env.TEMPORAL_PORT ?? 7233),
  temporalUi: Number(process.env.TEMPORAL_UI_PORT ?? 8233),
};
const host = '127.0.0.1';
const log = (message: string) => console.log(`[parvaneh] ${message}`);

async function startTemporal(): Promise<ChildProcess> {
  const binary = resolve('.tools/bin/temporal');
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run scripts/install.sh`);
  const child = spawn(binary, [
    'server', 'start-dev', '--db-filename', join(dataDir, 'temporal.db'), '--ip', host,
    '--port', String(ports.temporal), '--ui-port', String(ports.temporalUi), '--log-level', 'error',
  ], { stdio: ['ignore', 'ignore', 'inherit'] });
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
async function sandboxKey(): Promise<JWK> {
  const path = join(dataDir, 'sandbox-registries.jwk.json');
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8'));
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'sandbox-registries', alg: 'ES256' };
  writeFileSync(path, JSON.stringify(jwk), { mode: 0o600 });
  return jwk;
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  installRedactingRuntimeLogger();
  const calendar = loadHolidayCalendar();
  const catalogue = new DefinitionCatalogue(loadDefinitions('processes'), calendar);
  log(`licence types: ${catalogue.ids().join(', ')}`);

  const temporalProcess = await startTemporal();
  const database = await openDatabase({ url: process.env.DATABASE_URL, dataDir: join(dataDir, 'pglite') });
  log(`database: ${database.kind === 'pglite' ? `embedded PGlite in ${join(dataDir, 'pglite')}` : 'PostgreSQL (DATABASE_URL)'}`);
  const connection = await Connection.connect({ address: `${host}:${ports.temporal}` });
  const temporal = new Client({ connection });
  const issuer = await loadDevIssuer(join(dataDir, 'dev-issuer.jwk.json'));
  const registryKey = await sandboxKey();
  const { d: _private, ...registryPublic } = registryKey;
  const registryJwks = { keys: [{ ...registryPublic, use: 'sig' }] };

  const apiUrl = `http://${host}:${ports.api}`;
  const signingKeys = await createSigningKeyStore({ path: join(dataDir, 'response-signing-keys.json') });
  const gateway = createGateway({
    deps: { db: database.db, temporal, catalogue, calendar },
    auth: { issuers: [{ issuer: issuer.issuer, jwks: issuer.jwks }], audience: API_AUDIENCE },
    registryKeys: { 'security-clearance': registryJwks, 'criminal-record': registryJwks },
    signingKeys,
    logger: createLogger({ level: process.env.LOG_LEVEL ?? 'warn' }),
    checkReady: async () => {
      await database.ping();
      await connection.workflowService.getSystemInfo({});
    },
  });
  const server: ServerType = await new Promise((ready) => {
    const s = serve({ fetch: gateway.fetch, port: ports.api, hostname: host }, () => ready(s));
  });
  const sandbox = await startSandbox({ port: ports.sandbox, host, callbackBaseUrl: apiUrl, signingKey: { privateJwk: registryKey },
    parvanehJwksUrl: `${apiUrl}/.well-known/jwks.json` });

  const workerConnection = await NativeConnection.connect({ address: `${host}:${ports.temporal}` });
  const worker: Worker = await createLicenceWorker({
    connection: workerConnection, db: database.db, calendar, catalogue, registryBaseUrl: sandbox.url, portal: { sign: signerFor(signingKeys) },
  });
  const running = worker.run();
  await ensureOutboxDelivery(temporal);

  log(`API:          ${apiUrl}/v1/licence-types`);
  log(`API docs:     ${apiUrl}/docs  (spec: ${apiUrl}/openapi.json)`);
  log(`API health:   ${apiUrl}/health  (metrics: ${apiUrl}/metrics)`);
  log(`JWKS:         ${apiUrl}/.well-known/jwks.json`);
  log(`Temporal UI:  http://${host}:${ports.temporalUi}`);
  log(`Sandbox:      ${sandbox.url}/fixtures/persons  (portal: ${sandbox.url}/control/portal/notifications)`);
  log('tokens:       npm run token -- --role county-office --county ahvaz');
  log('ready (Ctrl-C stops)');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    worker.shutdown();
    await running.catch((error) => console.error(error));
    await sandbox.close();
    await new Promise<void>((done) => server.close(() => done()));
    await workerConnection.close();
    await connection.close();
    await database.close();
    temporalProcess.kill('SIGTERM');
    await new Promise((done) => temporalProcess.once('exit', done));
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  console.error('[parvaneh] failed to start:', error);
  process.exit(1);
});
