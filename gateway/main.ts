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
 *   AUTH_ISSUER                the token issuer trusted for bearer tokens
 *   AUTH_JWKS | AUTH_JWKS_PATH its public key set: JSON, a JWKS URL (https:// only; http:// on
 *                              loopback), or a file holding the JSON; unset: OpenID Connect
 *                              discovery from AUTH_ISSUER
 *   AUTH_CLAIMS                how its claims name role, county and province (JSON, gateway/claim-mapping.ts)
 *   AUTH_ISSUERS               several issuers at once, JSON: [{ "issuer", "jwks"?, "claims"? }, …]
 *                              (with AUTH_ISSUER, that one is trusted too); one of the two is required
 *   AUTH_AUDIENCE              expected token audience (default parvaneh-api)
 *   AUTH_MAX_TOKEN_AGE_SECONDS the oldest token accepted by its iat, whatever its exp (default 86400)
 *   AUTH_MAX_STALE_KEYS_SECONDS how long a provider's last good key set verifies while it cannot be
 *                              reloaded (default 3600)
 *   REGISTRY_JWKS              the async registries' callback keys, JSON: { "<registry>": JWKS or
 *                              https:// URL }, each registry its own (a callback is verified with
 *                              the key of the registry it claims to come from); unset refuses callbacks
 *   IDEMPOTENCY_LEASE_SECONDS  when a key whose request died may be taken over (default 120)
 *   IDEMPOTENCY_SWEEP_SECONDS  how often expired idempotency keys are deleted (default 600)
 *   TRUSTED_PROXIES            comma-separated addresses of the proxies in front of the gateway,
 *                              whose X-Forwarded-For names the client for rate limits (default none)
 *   CONSOLE_ISSUER             the OpenID provider officers sign in to the console at (found by
 *                              discovery; https://, plain http:// only on loopback); unset: no
 *                              console. Its tokens must be trusted too (AUTH_ISSUER/AUTH_ISSUERS).
 *   CONSOLE_CLIENT_ID          the console's client id at that provider (required with CONSOLE_ISSUER)
 *   CONSOLE_CLIENT_SECRET | CONSOLE_CLIENT_SECRET_FILE  its client secret (client_secret_basic),
 *                              or a file holding it (required with CONSOLE_ISSUER)
 *   CONSOLE_PUBLIC_URL         the gateway's URL as browsers reach it (https://, http:// on
 *                              loopback): the sign-in callback is <url>/console/callback and the
 *                              sign-out return <url>/console/signed-out (required with CONSOLE_ISSUER)
 *   CONSOLE_DIST_DIR           the console app's build (default console/dist)
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
import { resolve } from 'node:path';
import type { ConsoleSettings } from '../console/server/app.js';
import { openDatabase } from '../db/client.js';
import { loadHolidayCalendar } from '../dsl/calendar-load.js';
import { DefinitionCatalogue } from '../dsl/catalogue.js';
import { loadDefinitions } from '../dsl/load.js';
import { createGateway } from './app.js';
import { API_AUDIENCE } from './dev-issuer.js';
import type { AuthOptions, TrustedIssuer } from './auth.js';
import type { ClaimMapping } from './claim-mapping.js';
import { assertSecureUrl } from './issuer-keys.js';
import { createLogger } from './middleware/logging.js';
import { createMetricsRegistry } from './middleware/metrics.js';
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

/** The token issuer's keys: inline JSON, a JWKS URL, a file, or (none given) discovery. */
function issuerKeys(): string | JSONWebKeySet | undefined {
  const inline = process.env.AUTH_JWKS;
  if (inline) return /^[a-z][a-z0-9+.-]*:\/\//i.test(inline) ? assertSecureUrl(inline, 'AUTH_JWKS').href : parseJson<JSONWebKeySet>('AUTH_JWKS', inline);
  const path = process.env.AUTH_JWKS_PATH;
  if (path) return parseJson<JSONWebKeySet>('AUTH_JWKS_PATH', readFileSync(path, 'utf8'));
  return undefined;
}

/** The trusted issuers: AUTH_ISSUERS, and AUTH_ISSUER with its keys and claims. Checked here, so a bad one stops the start. */
function trustedIssuers(): TrustedIssuer[] {
  const issuers = process.env.AUTH_ISSUERS ? parseJson<TrustedIssuer[]>('AUTH_ISSUERS', process.env.AUTH_ISSUERS) : [];
  if (!Array.isArray(issuers)) throw new Error('AUTH_ISSUERS must be a JSON array of { issuer, jwks?, claims? }');
  if (process.env.AUTH_ISSUER) {
    const claims = process.env.AUTH_CLAIMS ? parseJson<ClaimMapping>('AUTH_CLAIMS', process.env.AUTH_CLAIMS) : undefined;
    issuers.push({ issuer: process.env.AUTH_ISSUER, jwks: issuerKeys(), claims });
  }
  if (issuers.length === 0) throw new Error('AUTH_ISSUER or AUTH_ISSUERS is required');
  for (const trusted of issuers) {
    if (typeof trusted?.issuer !== 'string') throw new Error('each trusted issuer names its issuer');
    if (typeof trusted.jwks === 'string') assertSecureUrl(trusted.jwks, `the JWKS URL of ${trusted.issuer}`);
    if (trusted.jwks === undefined) assertSecureUrl(trusted.issuer, `the issuer ${trusted.issuer} (found by discovery)`);
  }
  return issuers;
}

function positiveSeconds(name: string): number | undefined {
  const text = process.env[name];
  if (!text) return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`${name} must be a positive number, not ${text}`);
  return seconds;
}

/**
 * A key set per registry name. One key set for all of them is refused: with it, any registry's key
 * could sign another's callbacks.
 */
function registryKeys(): RegistryKeys {
  const text = process.env.REGISTRY_JWKS;
  if (!text) {
    console.warn('[gateway] REGISTRY_JWKS is not set: registry callbacks will be refused');
    return {};
  }
  const parsed = parseJson<JSONWebKeySet | RegistryKeys>('REGISTRY_JWKS', text);
  if ('keys' in parsed) throw new Error(`REGISTRY_JWKS must give each registry its own key set: { ${ASYNC_REGISTRIES.map((r) => `"${r}": JWKS`).join(', ')} }`);
  return parsed as RegistryKeys;
}


/** The console's settings, checked at start; none of them: no console. */
function consoleSettings(issuers: TrustedIssuer[]): ConsoleSettings | undefined {
  const issuer = process.env.CONSOLE_ISSUER;
  const given = ['CONSOLE_CLIENT_ID', 'CONSOLE_CLIENT_SECRET', 'CONSOLE_CLIENT_SECRET_FILE', 'CONSOLE_PUBLIC_URL', 'CONSOLE_DIST_DIR'].filter((name) => process.env[name]);
  if (!issuer) {
    if (given.length > 0) throw new Error(`${given.join(', ')} set without CONSOLE_ISSUER`);
    return undefined;
  }
  assertSecureUrl(issuer, 'CONSOLE_ISSUER');
  if (!issuers.some((trusted) => trusted.issuer === issuer)) throw new Error(`CONSOLE_ISSUER ${issuer} is not a trusted token issuer: add it to AUTH_ISSUER or AUTH_ISSUERS`);
  const secretFile = process.env.CONSOLE_CLIENT_SECRET_FILE;
  if (process.env.CONSOLE_CLIENT_SECRET && secretFile) throw new Error('set CONSOLE_CLIENT_SECRET or CONSOLE_CLIENT_SECRET_FILE, not both');
  const clientSecret = secretFile ? readFileSync(secretFile, 'utf8').trim() : required('CONSOLE_CLIENT_SECRET');
  if (!clientSecret) throw new Error('the console client secret is empty');
  const publicUrl = assertSecureUrl(required('CONSOLE_PUBLIC_URL'), 'CONSOLE_PUBLIC_URL');
  if (publicUrl.pathname !== '/' || publicUrl.search || publicUrl.hash) throw new Error('CONSOLE_PUBLIC_URL is an origin only (scheme, host, port), without a path');
  return { issuer, clientId: required('CONSOLE_CLIENT_ID'), clientSecret, publicUrl: publicUrl.origin, distDir: resolve(process.env.CONSOLE_DIST_DIR || 'console/dist') };
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8080);
  const host = process.env.HOST ?? '127.0.0.1';
  const metrics = createMetricsRegistry();
  const issuers = trustedIssuers();
  const consoleOptions = consoleSettings(issuers);
  const auth: AuthOptions = {
    issuers, audience: process.env.AUTH_AUDIENCE ?? API_AUDIENCE, metrics,
    maxTokenAgeSeconds: positiveSeconds('AUTH_MAX_TOKEN_AGE_SECONDS'), maxStaleKeysSeconds: positiveSeconds('AUTH_MAX_STALE_KEYS_SECONDS'),
  };
  // Configuration is checked before anything is opened: a bad key setting stops the start here.
  const callbackKeys = registryKeys();
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
    registryKeys: callbackKeys,
    signingKeys,
    logger: createLogger({ level: process.env.LOG_LEVEL ?? 'warn' }),
    metrics,
    idempotencyLeaseSeconds: positiveSeconds('IDEMPOTENCY_LEASE_SECONDS'),
    idempotencySweepSeconds: positiveSeconds('IDEMPOTENCY_SWEEP_SECONDS'),
    console: consoleOptions,
    trustedProxies: (process.env.TRUSTED_PROXIES ?? '').split(',').map((a) => a.trim()).filter((a) => a.length > 0),
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
