/**
 * Starts the real parts for an end-to-end test: a Temporal server, a fresh PostgreSQL database,
 * the sandbox registries and the gateway over HTTP on loopback, and a worker.
 */
import { serve, type ServerType } from '@hono/node-server';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { AddressInfo } from 'node:net';
import { loadHolidayCalendar } from '../../dsl/calendar-load.js';
import { DefinitionCatalogue } from '../../dsl/catalogue.js';
import { loadDefinitions } from '../../dsl/load.js';
import { createGateway } from '../../gateway/app.js';
import { createLogger } from '../../gateway/middleware/logging.js';
import { createMetricsRegistry } from '../../gateway/middleware/metrics.js';
import { API_AUDIENCE, ephemeralDevIssuer, type DevIssuer } from '../../gateway/dev-issuer.js';
import { createSigningKeyStore, type SigningKeyStore } from '../../platform/signing-keys.js';
import { createPayloadCodec, encryptingDataConverter, payloadKeysFile } from '../../platform/payload-codec.js';
import type { PayloadCodec } from '@temporalio/common';
import { startSandbox } from '../../sandbox/server.js';
import { registryKeyPairs, type RegistryKeyPairs } from '../../sandbox/signing.js';
import type { ServiceDeps } from '../../services/context.js';
import { createLicenceWorker, bundleWorkflows, workerSlotsFromEnv, type LicenceWorker } from '../../worker/create-worker.js';
import { ensureOutboxDelivery } from '../../worker/outbox-delivery.js';
import { signerFor } from '../../worker/signer.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase } from './database.js';
import { freePort } from './ports.js';
import { startDevIdentityProvider, type DevIdentityProvider } from '../../idp/provider.js';
import { devServerTemporal, timeSkippingTemporal } from './temporal.js';
import { activeTracing, tracingClientInterceptors } from '../../platform/tracing.js';

export interface Harness {
  env: TestWorkflowEnvironment;
  /**
   * A plain client: awaiting a result through it does not let the time-skipping server jump
   * ahead (the environment's own client would skip to the next timer, even years away).
   * Time moves only by `env.sleep()`.
   */
  client: Client;
  db: Awaited<ReturnType<typeof freshDatabase>>;
  deps: ServiceDeps;
  issuer: DevIssuer;
  gatewayUrl: string;
  sandboxUrl: string;
  taskQueue: string;
  catalogue: DefinitionCatalogue;
  signingKeys: SigningKeyStore;
  /** Each async registry's callback key (the sandbox signs with the private halves, the gateway trusts the public ones). */
  registryKeys: RegistryKeyPairs;
  /** The payload codec every client and worker of the harness encrypts with, and the file its keys are kept in (for a worker or gateway in another process). */
  payloadCodec: PayloadCodec;
  payloadKeysPath: string;
  /** The data converter for a replayer of this harness's histories (they are encrypted). */
  dataConverter: { payloadCodecs: PayloadCodec[] };
  /** The file the signing keys are kept in (a worker in another process signs with them). */
  signingKeysPath: string;
  /** The outbox delivery workflow's id (started with the first worker unless `outboxDelivery: false`). */
  outboxWorkflowId: string;
  /** With `console: true`: the embedded development OpenID provider the console signs in at (the gateway trusts it by discovery). */
  idp?: DevIdentityProvider;
  /** Re-reads the definition files, as a running gateway does when they change. */
  reloadDefinitions(): void;
  startWorker(): Promise<LicenceWorker>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/**
 * `logger`: the gateway's; `workerLogger`: the worker's operator alerts (default: warnings and
 * worse). The gateway's `/metrics` shows the worker's counters too, as under `npm start`.
 */
export async function startHarness(opts: { historyLimit?: number; temporal?: 'time-skipping' | 'dev-server'; processesDir?: string; sandboxDelayMs?: number; startWorker?: boolean; outboxDelivery?: boolean; databaseUrl?: string; logger?: Logger; workerLogger?: Logger; payloadKeysPath?: string;
  /** Also start the development OpenID provider and mount the console (`distDir`: its app's files; default a folder without them). */
  console?: boolean | { distDir?: string };
  /** Trace the gateway, the sandbox, the worker and the client; call `startTracing` first (platform/tracing.ts). */
  tracing?: boolean;
  /** With `tracing`: the sandbox registries as real ones are, neither joining the trace nor carrying it back on their callbacks. */
  untracedSandbox?: boolean } = {}): Promise<Harness> {
  if (opts.tracing && !activeTracing()) throw new Error('startHarness({ tracing: true }) needs startTracing() first');
  bundle ??= bundleWorkflows();
  // Definitions first: a broken one fails here, before any server is started that would be left running.
  const calendar = loadHolidayCalendar();
  const catalogue = new DefinitionCatalogue(loadDefinitions(opts.processesDir ?? 'processes'), calendar);
  const env = opts.temporal === 'dev-server' ? await devServerTemporal() : await timeSkippingTemporal();
  // `databaseUrl`: a PostgreSQL server of the test's own (one it may stop), instead of DATABASE_URL's.
  const db = await freshDatabase(opts.databaseUrl).catch(async (error: unknown) => {
    await env.teardown();
    throw error;
  });
  const issuer = await ephemeralDevIssuer();
  const taskQueue = `licence-processes-${Math.random().toString(36).slice(2, 8)}`;
  const keysDir = mkdtempSync(join(tmpdir(), 'parvaneh-keys-'));
  // `payloadKeysPath`: a key file of the caller's (scripts/record-histories.ts records with the fixtures' test key).
  const payloadKeysPath = opts.payloadKeysPath ?? join(keysDir, 'payload-keys.json');
  const payloadCodec = createPayloadCodec(payloadKeysFile(payloadKeysPath));
  const dataConverter = encryptingDataConverter(payloadCodec);
  const client = new Client({ connection: env.connection, namespace: env.namespace ?? 'default', dataConverter, interceptors: opts.tracing ? tracingClientInterceptors() : undefined });
  const deps: ServiceDeps = { db: db.db, temporal: client, catalogue, calendar, taskQueue, historyLimit: opts.historyLimit };

  // Each async registry signs with its own key: the gateway trusts each for its own callbacks only.
  const registryKeys = registryKeyPairs();

  const signingKeysPath = join(keysDir, 'response-signing-keys.json');
  const signingKeys = await createSigningKeyStore({ path: signingKeysPath });
  const metrics = createMetricsRegistry();
  // The console's provider must know the gateway's callback URL, and the gateway the provider: the port is taken first.
  const gatewayPort = opts.console ? await freePort() : 0;
  const idp = opts.console ? await startDevIdentityProvider({
    port: 0, stateFile: join(keysDir, 'idp.json'), audience: API_AUDIENCE,
    redirectUris: [`http://127.0.0.1:${gatewayPort}/console/callback`], postLogoutRedirectUris: [`http://127.0.0.1:${gatewayPort}/console/signed-out`],
  }) : undefined;
  const gateway = createGateway({
    deps, registryKeys: registryKeys.jwks, signingKeys, metrics, checkReady: db.ping, rateLimits: false, tracing: opts.tracing,
    logger: opts.logger ?? createLogger({ level: 'warn' }),
    auth: { issuers: [{ issuer: issuer.issuer, jwks: issuer.jwks }, ...(idp ? [{ issuer: idp.issuer }] : [])], audience: API_AUDIENCE },
    console: idp ? {
      issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, publicUrl: `http://127.0.0.1:${gatewayPort}`,
      distDir: (typeof opts.console === 'object' ? opts.console.distDir : undefined) ?? join(keysDir, 'no-console-build'),
    } : undefined,
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: gateway.fetch, port: gatewayPort, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const gatewayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sandbox = await startSandbox({
    port: 0, callbackBaseUrl: gatewayUrl, asyncDelayMs: opts.sandboxDelayMs ?? 500,
    parvanehJwksUrl: `${gatewayUrl}/.well-known/jwks.json`,
    registryKeys: registryKeys.privateKeys, tracing: opts.tracing && !opts.untracedSandbox,
  });

  let worker: LicenceWorker | undefined;
  let running: Promise<void> | undefined;
  const harness: Harness = {
    env, client, db, deps, issuer, idp, gatewayUrl, sandboxUrl: sandbox.url, taskQueue, catalogue, signingKeys, signingKeysPath, registryKeys, payloadCodec, payloadKeysPath, dataConverter,
    outboxWorkflowId: '',
    reloadDefinitions() {
      deps.catalogue = new DefinitionCatalogue(loadDefinitions(opts.processesDir ?? 'processes'), calendar);
      harness.catalogue = deps.catalogue;
    },
    async startWorker() {
      worker = await createLicenceWorker({
        connection: env.nativeConnection, payloadCodec, taskQueue, db: db.db, calendar, catalogue: deps.catalogue,
        registryBaseUrl: sandbox.url, workflowBundle: await bundle, portal: { sign: signerFor(signingKeys) },
        metrics, logger: opts.workerLogger ?? createLogger({ name: 'parvaneh-worker', level: 'warn' }),
        // The product's worker settings (WORKER_WORKFLOW_TASK_SLOTS, WORKER_CACHED_WORKFLOWS, …) as a deployment reads them: the soak is run with them.
        slots: workerSlotsFromEnv(),
      });
      running = worker.run();
      if (opts.outboxDelivery !== false && !harness.outboxWorkflowId) harness.outboxWorkflowId = await ensureOutboxDelivery(client, taskQueue);
      return worker;
    },
    async stopWorker() {
      if (worker && worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      worker = undefined;
    },
    async close() {
      await harness.stopWorker();
      await sandbox.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.stop();
      await idp?.close();
      await env.teardown();
      await db.close();
    },
  };
  if (opts.startWorker !== false) await harness.startWorker();
  return harness;
}
