/**
 * A standalone gateway process (for deployments with the gateway apart from the workers, and for
 * the restart tests). Configured by the environment:
 *
 *   PORT                       port to listen on (default 8080)
 *   HOST                       address to listen on (default 127.0.0.1)
 *   DATABASE_URL               PostgreSQL (required)
 *   TEMPORAL_ADDRESS           Temporal frontend, host:port (required); TEMPORAL_NAMESPACE (default "default")
 *   TASK_QUEUE                 the workers' task queue (default the licence processes' queue)
 *   PAYLOAD_KEYS | PAYLOAD_KEYS_PATH  the keys Temporal payloads are encrypted with: JSON, or a file
 *                              holding it (created when missing); the workers must have the same keys
 *   SIGNING_KEYS_PATH          the response-signing key file (required; created when missing)
 *   AUTH_ISSUER                the token issuer trusted for bearer tokens (required)
 *   AUTH_JWKS | AUTH_JWKS_PATH its public key set: JSON, a JWKS URL, or a file holding the JSON
 *   AUTH_AUDIENCE              expected token audience (default parvaneh-api)
 *   REGISTRY_JWKS              the async registries' callback key set, JSON (one JWKS for all of
 *                              them, or { "<registry>": JWKS } per registry); unset refuses callbacks
 *   IDEMPOTENCY_LEASE_SECONDS  when a key whose request died may be taken over (default 120)
 *   PROCESSES_DIR              the licence process definitions (default processes)
 *   LOG_LEVEL                  request log level (default warn)
 *
 * Prints `[gateway] listening on <url>` once it accepts requests; SIGTERM or SIGINT closes it.
 */
import { serve, type ServerType } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { JSONWebKeySet } from 'jose';
import { openDatabase } from '../db/client.js';
import { loadHolidayCalendar } from '../dsl/calendar-load.js';
import { DefinitionCatalogue } from '../dsl/catalogue.js';
import { loadDefinitions } from '../dsl/load.js';
import { createGateway } from './app.js';
import { API_AUDIENCE } from './dev-issuer.js';
import { createLogger } from './middleware/logging.js';
import type { RegistryKeys } from './registry-signature.js';
import { createSigningKeyStore } from '../platform/signing-keys.js';
import { adoptPinnedDefinitions } from '../services/pinned-definitions.js';
import { createPayloadCodec, encryptingDataConverter, loadPayloadKeys } from '../platform/payload-codec.js';

/** The registries that answer late, by signed callback. */
const ASYNC_REGISTRIES = ['security-clearance', 'criminal-record'];

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const parseJson = <T>(name: string, text: string): T => {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`${name} is not valid JSON: ${(error as Error).message}`);
  }
};

/** The token issuer's keys: inline JSON, a JWKS URL (fetched and cached by jose), or a file. */
function issuerKeys(): string | JSONWebKeySet {
  const inline = process.env.AUTH_JWKS;
  if (inline) return /^https?:\/\//.test(inline) ? inline : parseJson<JSONWebKeySet>('AUTH_JWKS', inline);
  const path = process.env.AUTH_JWKS_PATH;
  if (path) return parseJson<JSONWebKeySet>('AUTH_JWKS_PATH', readFileSync(path, 'utf8'));
  throw new Error('AUTH_JWKS or AUTH_JWKS_PATH is required');
}

/** One JWKS for every async registry, or a key set per registry name. */
function registryKeys(): RegistryKeys {
  const text = process.env.REGISTRY_JWKS;
  if (!text) {
    console.warn('[gateway] REGISTRY_JWKS is not set: registry callbacks will be refused');
    return {};
  }
  const parsed = parseJson<JSONWebKeySet | RegistryKeys>('REGISTRY_JWKS', text);
  if ('keys' in parsed && Array.isArray(parsed.keys)) return Object.fromEntries(ASYNC_REGISTRIES.map((r) => [r, parsed as JSONWebKeySet]));
  return parsed as RegistryKeys;
}

function leaseSeconds(): number | undefined {
  const text = process.env.IDEMPOTENCY_LEASE_SECONDS;
  if (!text) return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`IDEMPOTENCY_LEASE_SECONDS must be a positive number, not ${text}`);
  return seconds;
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8080);
  const host = process.env.HOST ?? '127.0.0.1';
  const auth = { issuers: [{ issuer: required('AUTH_ISSUER'), jwks: issuerKeys() }], audience: process.env.AUTH_AUDIENCE ?? API_AUDIENCE };
  const calendar = loadHolidayCalendar();
  const catalogue = new DefinitionCatalogue(loadDefinitions(process.env.PROCESSES_DIR ?? 'processes'), calendar);
  const signingKeys = await createSigningKeyStore({ path: required('SIGNING_KEYS_PATH') });
  const database = await openDatabase({ url: required('DATABASE_URL') });
  await adoptPinnedDefinitions(database.db, catalogue);
  const connection = await Connection.connect({ address: required('TEMPORAL_ADDRESS') });
  const temporal = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default', dataConverter: encryptingDataConverter(createPayloadCodec(loadPayloadKeys())) });

  const gateway = createGateway({
    deps: { db: database.db, temporal, catalogue, calendar, taskQueue: process.env.TASK_QUEUE || undefined },
    auth,
    registryKeys: registryKeys(),
    signingKeys,
    logger: createLogger({ level: process.env.LOG_LEVEL ?? 'warn' }),
    idempotencyLeaseSeconds: leaseSeconds(),
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
    await connection.close();
    await database.close();
    console.log('[gateway] stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  console.error('[gateway] failed to start:', error);
  process.exit(1);
});
