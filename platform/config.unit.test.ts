import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TASK_QUEUE } from '../domain/workflow-interfaces/licence-process.js';
import { API_AUDIENCE } from '../gateway/dev-issuer.js';
import { ConfigError, GATEWAY_CONFIG, PROCESS_SETTINGS, readConfig, SANDBOX_CONFIG, settingsTable, WORKER_CONFIG } from './config.js';

/** The problems a configuration has, or [] when it reads. */
function problems(read: () => unknown): string[] {
  try {
    read();
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

const worker = {
  DATABASE_URL: 'postgres://parvaneh:secret@127.0.0.1:5432/parvaneh', TEMPORAL_ADDRESS: '127.0.0.1:7233', REGISTRY_BASE_URL: 'http://127.0.0.1:7400',
  SIGNING_KEYS_PATH: '/tmp/signing.json', PAYLOAD_KEYS_PATH: '/nonexistent/payload-keys.json',
};
const gateway = {
  DATABASE_URL: worker.DATABASE_URL, TEMPORAL_ADDRESS: worker.TEMPORAL_ADDRESS, SIGNING_KEYS_PATH: worker.SIGNING_KEYS_PATH, PAYLOAD_KEYS_PATH: worker.PAYLOAD_KEYS_PATH,
  AUTH_ISSUER: 'https://id.example.ir/realms/gov',
};

describe('the configuration', () => {
  it('takes the defaults for what is unset, and an empty value as unset', () => {
    expect(readConfig(SANDBOX_CONFIG, { SANDBOX_PORT: '' })).toEqual({ SANDBOX_PORT: 7400, SANDBOX_HOST: '127.0.0.1', SANDBOX_CALLBACK_URL: undefined, PARVANEH_JWKS_URL: undefined });
    const config = readConfig(GATEWAY_CONFIG, gateway);
    expect(config).toMatchObject({ PORT: 8080, HOST: '127.0.0.1', TEMPORAL_NAMESPACE: 'default', AUTH_AUDIENCE: API_AUDIENCE, TASK_QUEUE, LOG_LEVEL: 'warn', TRUSTED_PROXIES: [], PROCESSES_DIR: 'processes' });
    expect(config.IDEMPOTENCY_LEASE_SECONDS).toBeUndefined();
    expect(readConfig(WORKER_CONFIG, { ...worker, WORKER_CACHED_WORKFLOWS: '200', METRICS_PORT: '9464' })).toMatchObject({ WORKER_CACHED_WORKFLOWS: 200, METRICS_PORT: 9464, AUDIT_HEAD_INTERVAL_MINUTES: 60 });
  });

  it('names the setting and what it takes for each kind of bad value', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'config-')), 'not-keys.json');
    writeFileSync(file, '{"active": 1}');
    expect(problems(() => readConfig(GATEWAY_CONFIG, {
      ...gateway, PORT: 'abc', TEMPORAL_ADDRESS: 'temporal', IDEMPOTENCY_LEASE_SECONDS: '-5', PROCESSES_DIR: '/nonexistent', LOG_LEVEL: 'loud',
      AUTH_CLAIMS: '{"role": 1}', REGISTRY_JWKS: '{"keys": []}', PAYLOAD_KEYS_PATH: file,
    }))).toEqual([
      'PORT: expected a port number (0–65535), got "abc"',
      'TEMPORAL_ADDRESS: expected host:port, got "temporal"',
      `PAYLOAD_KEYS_PATH: expected the path of a file holding { "active": "<id>", "keys": { "<id>": "<base64>" } }, or of none yet, got "${file}"`,
      'PROCESSES_DIR: expected the path of an existing directory, got "/nonexistent"',
      'AUTH_CLAIMS: expected JSON: { "role"?, "roles"?, "county"?, "counties"?, "province"?, "provinces"? }, got "{\\"role\\": 1}"',
      'REGISTRY_JWKS: expected JSON: { "<registry>": JWKS or https:// URL }, each registry its own, got "{\\"keys\\": []}"',
      'IDEMPOTENCY_LEASE_SECONDS: expected a positive number, got "-5"',
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ]);
    expect(problems(() => readConfig(WORKER_CONFIG, { ...worker, REGISTRY_BASE_URL: 'registry', WORKER_ACTIVITY_SLOTS: '0', METRICS_PORT: '70000', WORKFLOW_BUNDLE: '/nonexistent.js' }))).toEqual([
      'REGISTRY_BASE_URL: expected an http:// or https:// URL, got "registry"',
      'METRICS_PORT: expected a port number (0–65535), got "70000"',
      'WORKER_ACTIVITY_SLOTS: expected a whole number of at least 1, got "0"',
      'WORKFLOW_BUNDLE: expected the path of an existing file, got "/nonexistent.js"',
    ]);
  });

  it('reports every problem at once, missing settings and settings that go together alike', () => {
    expect(problems(() => readConfig(GATEWAY_CONFIG, { CONSOLE_CLIENT_ID: 'console', AUTH_ISSUERS: '[{ "issuer": "http://id.example.ir" }]' }))).toEqual([
      'DATABASE_URL: required, expected a PostgreSQL URL (postgres://user:password@host:port/database) (PostgreSQL)',
      'TEMPORAL_ADDRESS: required, expected host:port (the Temporal frontend)',
      'SIGNING_KEYS_PATH: required, expected a file path (the response-signing key file (created when missing); the workers sign what goes to the portal with it)',
      'PAYLOAD_KEYS or PAYLOAD_KEYS_PATH: required, expected the keys Temporal payloads are encrypted with (JSON, or a file holding it)',
      'AUTH_ISSUERS: the issuer "http://id.example.ir" (found by discovery): expected an https:// URL (plain http:// only on loopback)',
      'CONSOLE_CLIENT_ID: set without CONSOLE_ISSUER',
    ]);
    expect(problems(() => readConfig(GATEWAY_CONFIG, { ...gateway, CONSOLE_ISSUER: 'https://sso.example.ir', CONSOLE_PUBLIC_URL: 'https://parvaneh.example.ir/app' }))).toEqual([
      'CONSOLE_CLIENT_ID: required with CONSOLE_ISSUER',
      'CONSOLE_CLIENT_SECRET or CONSOLE_CLIENT_SECRET_FILE: required with CONSOLE_ISSUER',
      'CONSOLE_PUBLIC_URL: expected an origin only (scheme, host, port), without a path, got "https://parvaneh.example.ir/app"',
      'CONSOLE_ISSUER: expected a trusted token issuer: add it to AUTH_ISSUER or AUTH_ISSUERS',
    ]);
  });

  it('never echoes a secret or the database URL', () => {
    const found = problems(() => readConfig(WORKER_CONFIG, { ...worker, DATABASE_URL: 'mysql://root:hunter2@db/x', PAYLOAD_KEYS: '{"active":"k","keys":{"k":7}} hunter2' }));
    expect(found).toEqual([
      'DATABASE_URL: expected a PostgreSQL URL (postgres://user:password@host:port/database), got something else (not shown)',
      'PAYLOAD_KEYS: expected JSON: { "active": "<id>", "keys": { "<id>": "<base64>" } }, got something else (not shown)',
    ]);
  });

  it('keeps its defaults equal to the constants they stand for', () => {
    expect(readConfig(WORKER_CONFIG, worker).TASK_QUEUE).toBe(TASK_QUEUE);
    expect(readConfig(GATEWAY_CONFIG, gateway).AUTH_AUDIENCE).toBe(API_AUDIENCE);
  });

  it('is documented in docs/operations.md, every setting of every process', () => {
    const doc = readFileSync(new URL('../docs/operations.md', import.meta.url), 'utf8');
    const table = /<!-- settings table[^>]*-->\n([\s\S]*?)\n<!-- end of settings table -->/.exec(doc)?.[1] ?? '';
    const names = Object.values(PROCESS_SETTINGS).flatMap((settings) => Object.keys(settings));
    expect(names.filter((name) => !table.includes(`| \`${name}\` |`)), 'settings missing from docs/operations.md').toEqual([]);
    // The table is settingsTable()'s: paste it there when a setting is added or changed.
    expect(table).toBe(settingsTable());
  });
});
