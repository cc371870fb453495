/**
 * A standalone gateway process (for deployments with the gateway apart from the workers, and for
 * the restart tests): `tsx gateway/main.ts`, or compiled, `node dist/gateway/main.js`. Its settings
 * (where it listens, PostgreSQL, Temporal, the keys, the trusted token issuers and the registries'
 * callback keys, idempotency, proxies, the officers' console, the log level) are described, checked
 * and documented in platform/config.ts (`GATEWAY_SETTINGS`, and the table in docs/operations.md);
 * a wrong or missing one stops it with exit code 1 and a message naming it, before anything opens.
 *
 * Prints `[gateway] listening on <url>` once it accepts requests; SIGTERM or SIGINT closes it.
 */
import { serve, type ServerType } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { ConsoleSettings } from '../console/server/app.js';
import { openDatabase } from '../db/client.js';
import { loadHolidayCalendar } from '../dsl/calendar-load.js';
import { DefinitionCatalogue } from '../dsl/catalogue.js';
import { loadDefinitions } from '../dsl/load.js';
import { createGateway } from './app.js';
import type { AuthOptions, TrustedIssuer } from './auth.js';
import type { ClaimMapping } from './claim-mapping.js';
import { createLogger } from './middleware/logging.js';
import { createMetricsRegistry } from './middleware/metrics.js';
import type { RegistryKeys } from './registry-signature.js';
import { createSigningKeyStore } from '../platform/signing-keys.js';
import { GATEWAY_CONFIG, readConfig, startProcess, type ConfigOf, type GATEWAY_SETTINGS } from '../platform/config.js';
import { adoptPinnedDefinitions } from '../services/pinned-definitions.js';
import { createPayloadCodec, encryptingDataConverter, loadPayloadKeys } from '../platform/payload-codec.js';
import { startTracing, stopTracing, tracingClientInterceptors } from '../platform/tracing.js';

type GatewayConfig = ConfigOf<typeof GATEWAY_SETTINGS>;

/** The trusted issuers: AUTH_ISSUERS, and AUTH_ISSUER with its keys and claims (checked in platform/config.ts). */
function trustedIssuers(config: GatewayConfig): TrustedIssuer[] {
  // The claim mappings' role names are checked against ours when a token is mapped (claim-mapping.ts).
  const issuers = [...(config.AUTH_ISSUERS ?? [])] as TrustedIssuer[];
  if (config.AUTH_ISSUER) issuers.push({ issuer: config.AUTH_ISSUER, jwks: config.AUTH_JWKS ?? config.AUTH_JWKS_PATH, claims: config.AUTH_CLAIMS as ClaimMapping | undefined });
  return issuers;
}

/** The console's settings (checked together in platform/config.ts); none of them: no console. */
function consoleSettings(config: GatewayConfig): ConsoleSettings | undefined {
  if (!config.CONSOLE_ISSUER || !config.CONSOLE_CLIENT_ID || !config.CONSOLE_PUBLIC_URL) return undefined;
  return {
    issuer: config.CONSOLE_ISSUER, clientId: config.CONSOLE_CLIENT_ID, clientSecret: (config.CONSOLE_CLIENT_SECRET_FILE ?? config.CONSOLE_CLIENT_SECRET ?? '').trim(),
    publicUrl: new URL(config.CONSOLE_PUBLIC_URL).origin, distDir: resolve(config.CONSOLE_DIST_DIR),
  };
}

startProcess('gateway', async () => {
  // Configuration is checked before anything is opened: a bad setting stops the start here.
  const config = readConfig(GATEWAY_CONFIG);
  const { PORT: port, HOST: host } = config;
  const metrics = createMetricsRegistry();
  const auth: AuthOptions = {
    issuers: trustedIssuers(config), audience: config.AUTH_AUDIENCE, metrics,
    maxTokenAgeSeconds: config.AUTH_MAX_TOKEN_AGE_SECONDS, maxStaleKeysSeconds: config.AUTH_MAX_STALE_KEYS_SECONDS,
  };
  if (!config.REGISTRY_JWKS) console.warn('[gateway] REGISTRY_JWKS is not set: registry callbacks will be refused');
  const payloadCodec = createPayloadCodec(loadPayloadKeys());
  const calendar = loadHolidayCalendar();
  const catalogue = new DefinitionCatalogue(loadDefinitions(config.PROCESSES_DIR), calendar);
  const signingKeys = await createSigningKeyStore({ path: config.SIGNING_KEYS_PATH });
  const database = await openDatabase({ url: config.DATABASE_URL });
  await adoptPinnedDefinitions(database.db, catalogue);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  // OTEL_EXPORTER_OTLP_ENDPOINT (or …_TRACES_ENDPOINT) turns tracing on: request spans, carried into workflow starts and signals.
  const tracing = startTracing('parvaneh-gateway') !== undefined;
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: encryptingDataConverter(payloadCodec), interceptors: tracingClientInterceptors() });

  const gateway = createGateway({
    deps: { db: database.db, temporal, catalogue, calendar, taskQueue: config.TASK_QUEUE },
    auth,
    registryKeys: (config.REGISTRY_JWKS ?? {}) as RegistryKeys,
    signingKeys,
    logger: createLogger({ level: config.LOG_LEVEL }),
    metrics,
    idempotencyLeaseSeconds: config.IDEMPOTENCY_LEASE_SECONDS,
    idempotencySweepSeconds: config.IDEMPOTENCY_SWEEP_SECONDS,
    console: consoleSettings(config),
    tracing,
    trustedProxies: config.TRUSTED_PROXIES,
    checkReady: async () => {
      await database.ping();
      await connection.workflowService.getSystemInfo({});
    },
  });
  const server: ServerType = await new Promise((ready, fail) => {
    const s = serve({ fetch: gateway.fetch, port, hostname: host }, () => ready(s));
    s.once('error', fail);
  });
  const address = server.address() as AddressInfo;
  console.log(`[gateway] listening on http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[gateway] ${signal}: closing`);
    // In-flight requests finish; idle keep-alive connections do not hold the close up.
    const closed = new Promise<void>((done) => server.close(() => done()));
    if ('closeIdleConnections' in server) server.closeIdleConnections();
    await closed;
    await gateway.stop();
    await connection.close();
    await database.close();
    await stopTracing();
    console.log('[gateway] stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
});
