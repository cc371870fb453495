/**
 * The product as a deployment runs it: built once (scripts/build.ts), then the sandbox, a worker and
 * a gateway started with plain `node` from the build, on the test's PostgreSQL and Temporal. An
 * application goes through to its activity licence over HTTP, the portal hears of it (the
 * standalone worker starts the outbox delivery), and a bad setting stops each process at once with
 * exit code 1 and a message naming it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../scripts/build.js';
import { eventually } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';
import { throughToActivityLicence } from './support/journeys.js';
import { freePort } from './support/ports.js';
import { officeTokens } from './support/tokens.js';

const root = fileURLToPath(new URL('..', import.meta.url));
// Under dist/ (ignored by git), so the compiled modules find node_modules as dist/'s do.
const outDir = join(root, 'dist', `compiled-build-test-${process.pid}`);

/** A compiled process started with `node <outDir>/<entry>` from the repository's root. */
interface NodeProcess {
  child: ChildProcess;
  /** The first group of the line it printed when ready. */
  ready: string;
  output(): string;
  /** SIGTERM (SIGKILL if it has not ended 20 s later), and its exit code. */
  stop(): Promise<number | null>;
}

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once('exit', (code) => r(code)));

/** Only PATH from this process's environment: the compiled process gets exactly the settings the test gives it. */
function spawnCompiled(entry: string, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [join(outDir, entry)], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => { output += d; });
  child.stderr!.on('data', (d) => { output += d; });
  return { child, output: () => output };
}

async function startCompiled(entry: string, env: Record<string, string>, readyLine: RegExp): Promise<NodeProcess> {
  const { child, output } = spawnCompiled(entry, env);
  const ready = await new Promise<string>((resolve, reject) => {
    const look = () => {
      const m = readyLine.exec(output());
      if (m) resolve(m[1] ?? m[0]);
    };
    child.stdout!.on('data', look);
    child.once('exit', (code, signal) => reject(new Error(`${entry} exited (${code ?? signal}) before it was ready: ${output()}`)));
  });
  const stop = async () => {
    child.kill('SIGTERM');
    // A process that does not end on SIGTERM is a failure of its own; it must not hold the run up.
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await exited(child);
    clearTimeout(timer);
    return code;
  };
  return { child, ready, output, stop };
}

/** Starts `entry` with `env` and waits for it to end on its own: its exit code and what it printed. */
async function refusedStart(entry: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const { child, output } = spawnCompiled(entry, env);
  const code = await exited(child);
  return { code, output: output() };
}

let h: Harness;
let compiled: Harness;
const started: NodeProcess[] = [];
let workerEnv: Record<string, string>;
let gatewayEnv: Record<string, string>;

beforeAll(async () => {
  const built = await build(outDir);
  expect(built.wrote.some((line) => line.startsWith(`${relative(root, outDir)}/workflows/bundle.js`))).toBe(true);
  // The test's PostgreSQL, Temporal, token issuer and keys; its in-process gateway, sandbox and worker are not used.
  h = await startHarness({ temporal: 'dev-server', startWorker: false, outboxDelivery: false });
  const gatewayPort = await freePort();
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const sandbox = await startCompiled('sandbox/main.js', {
    SANDBOX_PORT: '0', SANDBOX_CALLBACK_URL: gatewayUrl, PARVANEH_JWKS_URL: `${gatewayUrl}/.well-known/jwks.json`,
  }, /registry sandbox listening on (\S+)/);
  started.push(sandbox);
  const registryJwks = (await (await fetch(`${sandbox.ready}/registries/jwks.json`)).json()) as Record<string, JSONWebKeySet>;
  const shared = {
    DATABASE_URL: h.db.url, TEMPORAL_ADDRESS: h.env.address, TEMPORAL_NAMESPACE: h.env.namespace ?? 'default', TASK_QUEUE: h.taskQueue,
    SIGNING_KEYS_PATH: h.signingKeysPath, PAYLOAD_KEYS_PATH: h.payloadKeysPath,
  };
  workerEnv = { ...shared, REGISTRY_BASE_URL: sandbox.ready };
  started.push(await startCompiled('worker/main.js', workerEnv, /\[worker\] running/));
  gatewayEnv = {
    ...shared, PORT: String(gatewayPort), AUTH_ISSUER: h.issuer.issuer, AUTH_JWKS: JSON.stringify(h.issuer.jwks), REGISTRY_JWKS: JSON.stringify(registryJwks),
  };
  const gateway = await startCompiled('gateway/main.js', gatewayEnv, /\[gateway\] listening on (\S+)/);
  started.push(gateway);
  // The journey's helpers, pointed at the compiled gateway and sandbox.
  compiled = { ...h, gatewayUrl: gateway.ready, sandboxUrl: sandbox.ready };
}, 600_000);

afterAll(async () => {
  for (const running of started.reverse()) await running.stop();
  await h?.close();
  rmSync(outDir, { recursive: true, force: true });
});

describe('the compiled build', () => {
  it('takes an application to its activity licence with node alone, the worker on the pre-built bundle, and tells the portal', async () => {
    const worker = started.find((p) => p.output().includes('[worker] running'))!;
    expect(worker.output()).toContain(`[worker] workflow bundle: ${join(outDir, 'workflows', 'bundle.js')}`);
    const tokens = await officeTokens(h);
    const { applicationId, activityLicence } = await throughToActivityLicence(compiled, { tokens, applicant: 16001 });
    expect(activityLicence).toMatch(/\S/);
    // Only the standalone worker runs here: the notifications reach the portal because it started the outbox delivery.
    const accepted = await eventually(async () => {
      const log = await (await fetch(`${compiled.sandboxUrl}/control/portal/notifications?subject=${applicationId}`)).json() as { accepted: { event: string }[] };
      return log.accepted.length > 0 ? log.accepted : undefined;
    }, 'a notification of the application at the portal', 60_000);
    expect(accepted.length).toBeGreaterThan(0);
  }, 300_000);

  it('stops each process at start on a bad setting, with exit code 1 and every problem named, no stack trace', async () => {
    const cases: { entry: string; env: Record<string, string>; named: string[] }[] = [
      { entry: 'sandbox/main.js', env: { SANDBOX_PORT: 'abc' }, named: ['SANDBOX_PORT: expected a port number (0–65535), got "abc"'] },
      {
        entry: 'worker/main.js', env: { ...workerEnv, WORKER_ACTIVITY_SLOTS: '0', REGISTRY_BASE_URL: '' },
        named: ['WORKER_ACTIVITY_SLOTS: expected a whole number of at least 1, got "0"', 'REGISTRY_BASE_URL: required'],
      },
      {
        entry: 'gateway/main.js', env: { ...gatewayEnv, PORT: '99999', DATABASE_URL: 'not a url' },
        named: ['PORT: expected a port number (0–65535), got "99999"', 'DATABASE_URL: expected a PostgreSQL URL'],
      },
    ];
    const results = await Promise.all(cases.map((c) => refusedStart(c.entry, c.env)));
    results.forEach(({ code, output }, i) => {
      expect(code, output).toBe(1);
      for (const line of cases[i]!.named) expect(output).toContain(line);
      expect(output).not.toMatch(/^\s+at /m);
      expect(output).not.toContain('not a url');
    });
  }, 120_000);
});
