/**
 * Every setting of the three processes (gateway, worker, sandbox), read from the environment once
 * at start and checked: a wrong or missing one stops the process with a message naming it and
 * what it takes, all problems at once (`PORT: expected a port number (0–65535), got "abc"`).
 * The table of settings in docs/operations.md is `settingsTable()`, checked by
 * platform/config.unit.test.ts. A new setting is one entry in a group below (a group shared by the
 * gateway and the workers is spread into both); the unit test then shows the table's new row.
 *
 * @example
 * const config = readConfig(WORKER_SETTINGS, process.env);
 * config.DATABASE_URL; // string
 * config.METRICS_PORT; // number | undefined
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { JSONWebKeySet } from 'jose';
import { z } from 'zod';

/** One environment variable: what it means, what it takes, its default. */
export interface Setting<T = unknown> {
  /** What it is, for the documentation. */
  meaning: string;
  /** What it takes, in words, as the error message says it ("a port number (0–65535)"). */
  expected: string;
  /** Checks and converts the text; `undefined` in: unset (or empty). */
  schema: z.ZodType<T, string | undefined>;
  /** The default, as the documentation shows it. */
  defaultText?: string;
  required?: boolean;
  /** Never echoed in an error message (keys, secrets). */
  secret?: boolean;
}

/** A group of settings by name. */
export type Settings = Record<string, Setting>;

/** The values a group of settings yields, typed. */
export type ConfigOf<S extends Settings> = { [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

/** What is wrong with the configuration: one line per setting. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

// --- the kinds of setting -------------------------------------------------------------------

type Kind<T> = { expected: string; schema: z.ZodType<T, string> };

const kind = <T>(expected: string, schema: z.ZodType<T, string>): Kind<T> => ({ expected, schema });

const isUrl = (text: string, protocols: string[]) => {
  try {
    return protocols.includes(new URL(text).protocol);
  } catch {
    return false;
  }
};
const loopback = (text: string) => /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i.test(new URL(text).hostname);
const readText = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};
const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** The kinds of value a setting takes. */
export const kinds = {
  port: kind('a port number (0–65535)', z.string().regex(/^\d{1,5}$/).transform(Number).pipe(z.number().int().max(65_535))),
  host: kind('a host name or address', z.string().regex(/^[^\s/:]+$|^\[[0-9a-f:.]+\]$|^[0-9a-f:]+$/i)),
  /** host:port, as Temporal's clients take their frontend. */
  address: kind('host:port', z.string().regex(/^([^\s/:]+|\[[0-9a-f:.]+\]):\d{1,5}$/i)),
  postgresUrl: kind('a PostgreSQL URL (postgres://user:password@host:port/database)', z.string().refine((t) => isUrl(t, ['postgres:', 'postgresql:']))),
  httpUrl: kind('an http:// or https:// URL', z.string().refine((t) => isUrl(t, ['http:', 'https:']))),
  /** https://, or plain http:// on loopback only: what carries tokens and keys. */
  secureUrl: kind('an https:// URL (plain http:// only on loopback)', z.string().refine((t) => isUrl(t, ['https:']) || (isUrl(t, ['http:']) && loopback(t)))),
  positiveNumber: kind('a positive number', z.string().transform(Number).pipe(z.number().positive().finite())),
  wholeNumber: kind('a whole number of at least 1', z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(1))),
  text: kind('text', z.string()),
  /** A comma-separated list; blanks between commas dropped. */
  list: kind('a comma-separated list', z.string().transform((t) => t.split(',').map((a) => a.trim()).filter((a) => a.length > 0))),
  /** A file that must exist. */
  file: kind('the path of an existing file', z.string().refine((p) => existsSync(p) && statSync(p).isFile())),
  /** A directory that must exist. */
  directory: kind('the path of an existing directory', z.string().refine((p) => existsSync(p) && statSync(p).isDirectory())),
  /** A path that may not exist yet (a key file created when missing, an output directory). */
  path: kind('a file path', z.string()),
  logLevel: kind('one of fatal, error, warn, info, debug, trace, silent', z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  /** JSON, shaped as `shape` says. */
  json: <T>(expected: string, shape: z.ZodType<T>) => kind(`JSON: ${expected}`, z.string().transform(parseJson).pipe(shape)),
  /** A file holding JSON shaped as `shape` says; its content. */
  jsonFile: <T>(expected: string, shape: z.ZodType<T>) => kind(`the path of a file holding JSON: ${expected}`, z.string().transform(readText).transform((t) => t === undefined ? undefined : parseJson(t)).pipe(shape)),
  /** A file holding a secret; its content, trimmed. */
  secretFile: kind('the path of a readable file holding the secret', z.string().transform(readText).pipe(z.string().trim().min(1))),
};

/** A setting that may be unset; `undefined` then. */
export function optional<T>(k: Kind<T>, meaning: string, opts: { defaultText?: string; secret?: boolean } = {}): Setting<T | undefined> {
  return { meaning, expected: k.expected, schema: z.union([z.undefined(), k.schema]), ...opts };
}

/** A setting with a default, taken when unset. */
export function withDefault<T>(k: Kind<T>, meaning: string, fallback: string): Setting<T> {
  return { meaning, expected: k.expected, schema: z.string().default(fallback).pipe(k.schema), defaultText: fallback };
}

/** A setting the process cannot start without. */
export function required<T>(k: Kind<T>, meaning: string, opts: { secret?: boolean } = {}): Setting<T> {
  return { meaning, expected: k.expected, schema: z.string().pipe(k.schema), required: true, ...opts };
}

/** A check across settings (one needs another, two exclude each other): the problems it finds. */
export type Rule<S extends Settings> = (values: Partial<ConfigOf<S>>, env: NodeJS.ProcessEnv) => string[];

/** A process's settings and the checks across them. */
export interface ProcessSettings<S extends Settings> {
  settings: S;
  rules?: Rule<S>[];
}

/**
 * Reads a process's settings from the environment: every one, then the checks across them, and
 * every problem found at once in a `ConfigError`. An empty value counts as unset.
 */
export function readConfig<S extends Settings>({ settings, rules = [] }: ProcessSettings<S>, env: NodeJS.ProcessEnv = process.env): ConfigOf<S> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, setting] of Object.entries(settings)) {
    const text = env[name] === '' ? undefined : env[name];
    const parsed = setting.schema.safeParse(text);
    if (parsed.success) values[name] = parsed.data;
    else if (text === undefined) problems.push(`${name}: required, expected ${setting.expected} (${setting.meaning})`);
    else problems.push(`${name}: expected ${setting.expected}, ${setting.secret ? 'got something else (not shown)' : `got ${JSON.stringify(text)}`}`);
  }
  for (const rule of rules) problems.push(...rule(values as Partial<ConfigOf<S>>, env));
  if (problems.length > 0) throw new ConfigError(problems);
  return values as ConfigOf<S>;
}

/**
 * Runs a process's start; a configuration problem ends it with exit code 1 and the problems, one
 * a line, without a stack trace. Any other failure is printed whole.
 * @example startProcess('worker', async () => { const config = readConfig(WORKER_SETTINGS); … });
 */
export function startProcess(name: string, start: () => Promise<void>): void {
  start().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(`[${name}] not started: the configuration is wrong\n${error.problems.map((p) => `  ${p}`).join('\n')}`);
    } else {
      console.error(`[${name}] failed to start:`, error);
    }
    process.exit(1);
  });
}


// --- the settings of each process ------------------------------------------------------------

const jwks = z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).transform((set) => set as unknown as JSONWebKeySet);
const claimMapping = z.object({
  role: z.string(), roles: z.record(z.string(), z.string()), county: z.string(), counties: z.record(z.string(), z.string()),
  province: z.string(), provinces: z.record(z.string(), z.string()),
}).partial().strict();
const looksLikeUrl = (text: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
const isSecureUrl = (text: string) => kinds.secureUrl.schema.safeParse(text).success;

const PAYLOAD_KEYS_SHAPE = '{ "active": "<id>", "keys": { "<id>": "<base64>" } }';
const payloadKeys = z.object({ active: z.string(), keys: z.record(z.string(), z.string()) });

/** What PostgreSQL, Temporal and the keys are: the gateway's and the workers' alike. */
const SHARED_SETTINGS = {
  DATABASE_URL: required(kinds.postgresUrl, 'PostgreSQL', { secret: true }),
  TEMPORAL_ADDRESS: required(kinds.address, 'the Temporal frontend'),
  TEMPORAL_NAMESPACE: withDefault(kinds.text, 'the Temporal namespace', 'default'),
  // domain/workflow-interfaces' TASK_QUEUE (platform/ imports nothing of ours; the unit test holds them equal).
  TASK_QUEUE: withDefault(kinds.text, 'the licence processes\' task queue (its outbox delivery runs on `<queue>.outbox`)', 'licence-processes'),
  PAYLOAD_KEYS: optional(kinds.json(PAYLOAD_KEYS_SHAPE, payloadKeys), 'the keys Temporal payloads are encrypted with (platform/payload-codec.ts); the gateway and the workers must have the same',
    { secret: true }),
  PAYLOAD_KEYS_PATH: optional(kind(`the path of a file holding ${PAYLOAD_KEYS_SHAPE}, or of none yet`, z.string().refine((path) => !existsSync(path) || payloadKeys.safeParse(parseJson(readText(path) ?? '')).success)),
    'a file holding PAYLOAD_KEYS (created with a fresh key when missing); one of the two is required'),
  SIGNING_KEYS_PATH: required(kinds.path, 'the response-signing key file (created when missing); the workers sign what goes to the portal with it'),
  PROCESSES_DIR: withDefault(kinds.directory, 'the licence process definitions', 'processes'),
};

/** Tracing (platform/tracing.ts): off unless an endpoint is set; the standard OpenTelemetry names. */
const TRACING_SETTINGS = {
  OTEL_EXPORTER_OTLP_ENDPOINT: optional(kinds.httpUrl, 'where spans go over OTLP/HTTP (`<url>/v1/traces`); unset, with the next one unset too: no tracing'),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optional(kinds.httpUrl, 'the traces endpoint itself, in place of the one above'),
  OTEL_SERVICE_NAME: optional(kinds.text, 'the service name on this process\'s spans (default parvaneh-gateway, parvaneh-worker, parvaneh-sandbox)'),
};

const payloadKeysGiven: Rule<typeof SHARED_SETTINGS> = (_values, env) =>
  env.PAYLOAD_KEYS || env.PAYLOAD_KEYS_PATH ? [] : ['PAYLOAD_KEYS or PAYLOAD_KEYS_PATH: required, expected the keys Temporal payloads are encrypted with (JSON, or a file holding it)'];

const CONSOLE_SETTINGS = {
  CONSOLE_ISSUER: optional(kinds.secureUrl, 'the OpenID provider officers sign in to the console at, found by discovery; must be a trusted token issuer (AUTH_ISSUER/AUTH_ISSUERS). Unset: no console'),
  CONSOLE_CLIENT_ID: optional(kinds.text, 'the console\'s client id at that provider (required with CONSOLE_ISSUER)'),
  CONSOLE_CLIENT_SECRET: optional(kinds.text, 'its client secret, client_secret_basic (this or CONSOLE_CLIENT_SECRET_FILE, with CONSOLE_ISSUER)', { secret: true }),
  CONSOLE_CLIENT_SECRET_FILE: optional(kinds.secretFile, 'a file holding that secret'),
  CONSOLE_PUBLIC_URL: optional(kinds.secureUrl, 'the gateway\'s origin as browsers reach it (no path): the sign-in callback is <url>/console/callback (required with CONSOLE_ISSUER)'),
  CONSOLE_DIST_DIR: withDefault(kinds.path, 'the console app\'s build; missing, its pages answer 503', 'console/dist'),
};

/** The standalone gateway's settings (gateway/main.ts). */
export const GATEWAY_SETTINGS = {
  PORT: withDefault(kinds.port, 'the port the API listens on', '8080'),
  HOST: withDefault(kinds.host, 'the address the API listens on', '127.0.0.1'),
  ...SHARED_SETTINGS,
  ...TRACING_SETTINGS,
  AUTH_ISSUER: optional(kinds.text, 'the token issuer trusted for bearer tokens (this or AUTH_ISSUERS is required)'),
  AUTH_JWKS: optional(kind('a JWKS as JSON, or the https:// URL of one (http:// on loopback)', z.string().pipe(z.union([
    z.string().refine(looksLikeUrl).pipe(kinds.secureUrl.schema),
    z.string().refine((t) => !looksLikeUrl(t)).transform(parseJson).pipe(jwks),
  ]))), 'AUTH_ISSUER\'s public keys; unset (and no AUTH_JWKS_PATH): OpenID Connect discovery from AUTH_ISSUER'),
  AUTH_JWKS_PATH: optional(kinds.jsonFile('a JWKS', jwks), 'a file holding AUTH_ISSUER\'s JWKS'),
  AUTH_CLAIMS: optional(kinds.json('{ "role"?, "roles"?, "county"?, "counties"?, "province"?, "provinces"? }', claimMapping),
    'how AUTH_ISSUER\'s claims name role, county and province (gateway/claim-mapping.ts)'),
  AUTH_ISSUERS: optional(kinds.json('[{ "issuer", "jwks"?, "claims"? }, …]', z.array(z.object({ issuer: z.string(), jwks: z.union([z.string(), jwks]).optional(), claims: claimMapping.optional() }))),
    'several trusted issuers at once (with AUTH_ISSUER, that one is trusted too)'),
  // gateway/dev-issuer's API_AUDIENCE (held equal by the unit test).
  AUTH_AUDIENCE: withDefault(kinds.text, 'the audience tokens must carry', 'parvaneh-api'),
  AUTH_MAX_TOKEN_AGE_SECONDS: optional(kinds.positiveNumber, 'the oldest token accepted by its iat, whatever its exp', { defaultText: '86400' }),
  AUTH_MAX_STALE_KEYS_SECONDS: optional(kinds.positiveNumber, 'how long a provider\'s last good key set verifies while it cannot be reloaded', { defaultText: '3600' }),
  REGISTRY_JWKS: optional(kinds.json('{ "<registry>": JWKS or https:// URL }, each registry its own', z.record(z.string(), z.union([z.string().pipe(kinds.secureUrl.schema), jwks]))
    .refine((keys) => !('keys' in keys))), 'the async registries\' callback keys; unset: callbacks are refused'),
  IDEMPOTENCY_LEASE_SECONDS: optional(kinds.positiveNumber, 'when an idempotency key whose request died may be taken over', { defaultText: '120' }),
  IDEMPOTENCY_SWEEP_SECONDS: optional(kinds.positiveNumber, 'how often expired idempotency keys are deleted', { defaultText: '600' }),
  TRUSTED_PROXIES: withDefault(kinds.list, 'addresses of the proxies in front of the gateway, whose X-Forwarded-For names the client for rate limits', ''),
  ...CONSOLE_SETTINGS,
  LOG_LEVEL: withDefault(kinds.logLevel, 'the request log\'s level', 'warn'),
};

type GatewayValues = Partial<ConfigOf<typeof GATEWAY_SETTINGS>>;

/** Who is trusted, and that each issuer's keys can be had safely. */
const issuersGiven: Rule<typeof GATEWAY_SETTINGS> = (values: GatewayValues, env) => {
  const problems: string[] = [];
  if (!env.AUTH_ISSUER && !env.AUTH_ISSUERS) problems.push('AUTH_ISSUER or AUTH_ISSUERS: required, expected the token issuer(s) the gateway trusts');
  if (!env.AUTH_ISSUER) {
    for (const name of ['AUTH_JWKS', 'AUTH_JWKS_PATH', 'AUTH_CLAIMS'] as const) if (env[name]) problems.push(`${name}: set without AUTH_ISSUER, whose it would be`);
  } else if (!env.AUTH_JWKS && !env.AUTH_JWKS_PATH && !isSecureUrl(env.AUTH_ISSUER)) {
    problems.push(`AUTH_ISSUER: expected an https:// URL (plain http:// only on loopback) to find its keys by discovery, or AUTH_JWKS/AUTH_JWKS_PATH, got ${JSON.stringify(env.AUTH_ISSUER)}`);
  }
  for (const trusted of values.AUTH_ISSUERS ?? []) {
    if (typeof trusted.jwks === 'string' && !isSecureUrl(trusted.jwks)) problems.push(`AUTH_ISSUERS: the JWKS URL of ${trusted.issuer}: expected an https:// URL (plain http:// only on loopback), got ${JSON.stringify(trusted.jwks)}`);
    if (trusted.jwks === undefined && !isSecureUrl(trusted.issuer)) problems.push(`AUTH_ISSUERS: the issuer ${JSON.stringify(trusted.issuer)} (found by discovery): expected an https:// URL (plain http:// only on loopback)`);
  }
  return problems;
};

/** The console's settings go together, and its issuer must be one the gateway trusts. */
const consoleComplete: Rule<typeof GATEWAY_SETTINGS> = (values: GatewayValues, env) => {
  const others = ['CONSOLE_CLIENT_ID', 'CONSOLE_CLIENT_SECRET', 'CONSOLE_CLIENT_SECRET_FILE', 'CONSOLE_PUBLIC_URL', 'CONSOLE_DIST_DIR'] as const;
  if (!env.CONSOLE_ISSUER) return others.filter((name) => env[name]).map((name) => `${name}: set without CONSOLE_ISSUER`);
  const problems: string[] = [];
  if (!env.CONSOLE_CLIENT_ID) problems.push('CONSOLE_CLIENT_ID: required with CONSOLE_ISSUER');
  if (!env.CONSOLE_PUBLIC_URL) problems.push('CONSOLE_PUBLIC_URL: required with CONSOLE_ISSUER');
  if (env.CONSOLE_CLIENT_SECRET && env.CONSOLE_CLIENT_SECRET_FILE) problems.push('CONSOLE_CLIENT_SECRET, CONSOLE_CLIENT_SECRET_FILE: set one, not both');
  if (!env.CONSOLE_CLIENT_SECRET && !env.CONSOLE_CLIENT_SECRET_FILE) problems.push('CONSOLE_CLIENT_SECRET or CONSOLE_CLIENT_SECRET_FILE: required with CONSOLE_ISSUER');
  const publicUrl = values.CONSOLE_PUBLIC_URL ? new URL(values.CONSOLE_PUBLIC_URL) : undefined;
  if (publicUrl && (publicUrl.pathname !== '/' || publicUrl.search || publicUrl.hash)) problems.push(`CONSOLE_PUBLIC_URL: expected an origin only (scheme, host, port), without a path, got ${JSON.stringify(env.CONSOLE_PUBLIC_URL)}`);
  const trusted = [env.AUTH_ISSUER, ...(values.AUTH_ISSUERS ?? []).map((t) => t.issuer)];
  if (!trusted.includes(env.CONSOLE_ISSUER)) problems.push('CONSOLE_ISSUER: expected a trusted token issuer: add it to AUTH_ISSUER or AUTH_ISSUERS');
  return problems;
};

/** The standalone gateway: its settings and the checks across them. */
export const GATEWAY_CONFIG: ProcessSettings<typeof GATEWAY_SETTINGS> = { settings: GATEWAY_SETTINGS, rules: [payloadKeysGiven, issuersGiven, consoleComplete] };

/** How much a worker takes on (worker/create-worker.ts, `DEFAULT_WORKER_SLOTS`). */
export const WORKER_SLOT_SETTINGS = {
  WORKER_WORKFLOW_TASK_SLOTS: optional(kinds.wholeNumber, 'workflow tasks a worker runs at once', { defaultText: '16' }),
  WORKER_ACTIVITY_SLOTS: optional(kinds.wholeNumber, 'activities a worker runs at once', { defaultText: '100' }),
  WORKER_LOCAL_ACTIVITY_SLOTS: optional(kinds.wholeNumber, 'local activities (database writes) a worker runs at once', { defaultText: '100' }),
  WORKER_CACHED_WORKFLOWS: optional(kinds.wholeNumber, 'workflows a worker keeps in memory between their tasks', { defaultText: '2500' }),
};

/** The standalone worker's settings (worker/main.ts). */
export const WORKER_SETTINGS = {
  ...SHARED_SETTINGS,
  ...TRACING_SETTINGS,
  REGISTRY_BASE_URL: required(kinds.httpUrl, 'the registries (the sandbox\'s URL in development)'),
  PORTAL_BASE_URL: optional(kinds.httpUrl, 'the national permits portal', { defaultText: 'REGISTRY_BASE_URL' }),
  METRICS_PORT: optional(kinds.port, 'where the worker serves its counters on GET /metrics; unset: not served'),
  METRICS_HOST: withDefault(kinds.host, 'the address of that /metrics', '127.0.0.1'),
  ...WORKER_SLOT_SETTINGS,
  AUDIT_HEAD_INTERVAL_MINUTES: withDefault(kinds.positiveNumber, 'how often the audit chain is verified and its signed head published', '60'),
  AUDIT_HEADS_DIR: optional(kinds.path, 'a directory each published audit head is also written to, for operators to archive'),
  WORKFLOW_BUNDLE: optional(kinds.file, 'the pre-built workflow bundle (npm run build)', { defaultText: 'dist/workflows/bundle.js beside the compiled worker; none: bundled at start' }),
};

/** The standalone worker: its settings and the checks across them. */
export const WORKER_CONFIG: ProcessSettings<typeof WORKER_SETTINGS> = { settings: WORKER_SETTINGS, rules: [payloadKeysGiven] };

/** The registry sandbox's settings (sandbox/main.ts). */
export const SANDBOX_SETTINGS = {
  SANDBOX_PORT: withDefault(kinds.port, 'the port the sandbox registries and portal listen on', '7400'),
  SANDBOX_HOST: withDefault(kinds.host, 'the address they listen on', '127.0.0.1'),
  SANDBOX_CALLBACK_URL: optional(kinds.httpUrl, 'the gateway the async registries send their answers to; unset: answers stay pending'),
  PARVANEH_JWKS_URL: optional(kinds.httpUrl, 'Parvaneh\'s JWKS, which the portal simulator verifies notifications with; unset: it refuses them all'),
  ...TRACING_SETTINGS,
};

/** The registry sandbox: its settings. */
export const SANDBOX_CONFIG: ProcessSettings<typeof SANDBOX_SETTINGS> = { settings: SANDBOX_SETTINGS };

/** Every process's settings, as docs/operations.md lists them. */
export const PROCESS_SETTINGS: Record<'gateway' | 'worker' | 'sandbox', Settings> = { gateway: GATEWAY_SETTINGS, worker: WORKER_SETTINGS, sandbox: SANDBOX_SETTINGS };

/** The settings table of docs/operations.md: one row a setting, with the processes that read it. */
export function settingsTable(): string {
  const rows = new Map<string, { setting: Setting; processes: string[] }>();
  for (const [process, settings] of Object.entries(PROCESS_SETTINGS)) {
    for (const [name, setting] of Object.entries(settings)) {
      const row = rows.get(name) ?? { setting, processes: [] };
      row.processes.push(process);
      rows.set(name, row);
    }
  }
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const lines = ['| setting | process | what | takes | default |', '| --- | --- | --- | --- | --- |'];
  for (const [name, { setting, processes }] of rows) {
    const fallback = setting.required ? 'required' : setting.defaultText === undefined ? '' : setting.defaultText === '' ? 'none' : /\s/.test(setting.defaultText) ? setting.defaultText : `\`${setting.defaultText}\``;
    lines.push(`| \`${name}\` | ${processes.join(', ')} | ${cell(setting.meaning)} | ${cell(setting.expected)} | ${cell(fallback)} |`);
  }
  return lines.join('\n');
}
