/**
 * The production shape, from the compiled build (built once here): `npm run cluster`'s script
 * starts PostgreSQL, the official Temporal server on it, two workers and two gateways behind
 * HAProxy and the sandbox, serves through the balancer and stops every part on Ctrl-C; and the
 * same cluster takes 300 applications through its balancer while a worker, a gateway and the
 * Temporal server are each killed outright (SIGKILL) and started again: nothing may be stuck,
 * duplicated, lost or doubled, and both gateways must have answered.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDevIssuer } from '../gateway/dev-issuer.js';
import { build } from '../scripts/build.js';
import { freeClusterPorts } from '../scripts/cluster/cluster.js';
import { runClusterFaults } from '../scripts/cluster/faults.js';
import { verifySigned } from './support/gateway-process.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'dist', `cluster-test-${process.pid}`);
const dataDirs: string[] = [];
/** Readable by others: the embedded PostgreSQL runs as a user of its own when the tests run as root. */
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parvaneh-cluster-test-'));
  chmodSync(dir, 0o755);
  dataDirs.push(dir);
  return dir;
}

/** Pids of live processes whose command line names `text`. */
function processesNaming(text: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0];
      if (cmdline.includes(text) && state !== 'Z') found.push(Number(entry));
    } catch { /* gone */ }
  }
  return found;
}

beforeAll(async () => {
  await build(outDir);
}, 600_000);

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe('npm run cluster', () => {
  it('starts every part from the compiled build, serves signed answers through the balancer, and stops them all on Ctrl-C', async () => {
    const dir = dataDir();
    const ports = await freeClusterPorts(2, 2);
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/cluster.ts'], {
      cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env, CLUSTER_DATA_DIR: dir, PARVANEH_DIST_DIR: outDir, CLUSTER_PORT: String(ports.port),
        TEMPORAL_PORT: String(ports.temporalPort), POSTGRES_PORT: String(ports.postgresPort), TEMPORAL_HISTORY_SHARDS: '4', DATABASE_URL: '',
      },
    });
    let output = '';
    child.stdout!.on('data', (d) => { output += d; });
    child.stderr!.on('data', (d) => { output += d; });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    await new Promise<void>((ready, fail) => {
      const timer = setInterval(() => {
        if (output.includes('ready (Ctrl-C stops)')) { clearInterval(timer); ready(); }
        if (child.exitCode !== null) { clearInterval(timer); fail(new Error(`the cluster exited (${child.exitCode}):\n${output}`)); }
      }, 200);
    });
    const balancer = `http://127.0.0.1:${ports.port}`;
    expect(output).toContain(`API:          ${balancer}/v1/licence-types`);
    expect(output).toMatch(/official server, 4 history shards/);
    expect(output).toMatch(/workers: worker-1 \(pid \d+\), worker-2 \(pid \d+\)/);

    // A token of the cluster's development issuer, as `npm run token` mints it, through the balancer.
    const issuer = await loadDevIssuer(join(dir, 'dev-issuer.jwk.json'));
    const token = await issuer.mint({ role: 'portal', sub: 'portal:cluster-test' });
    const jwks = await (await fetch(`${balancer}/.well-known/jwks.json`)).json();
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${balancer}/v1/licence-types`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      // Both gateways sign with the one shared key file: every answer verifies against one key set.
      await verifySigned(jwks, 'GET', '/v1/licence-types', res.headers, new Uint8Array(await res.arrayBuffer()));
    }
    const stats = await (await fetch(`http://127.0.0.1:${ports.port + 30}/stats;csv`)).text();
    expect(stats).toMatch(/^gateways,gateway-1,/m);
    expect(stats).toMatch(/^gateways,gateway-2,/m);

    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], { encoding: 'utf8' }).split('\n').map((l) => Number(l.trim())).filter((n) => n > 0);
    // Sandbox, two workers, two gateways, HAProxy, the Temporal server (PostgreSQL runs under pg_ctl).
    expect(children.length).toBeGreaterThanOrEqual(7);
    expect(processesNaming(join(dir, 'postgres')).length).toBeGreaterThan(0);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toMatch(/\[cluster\] stopped in \d+\.\d s/);
    const alive = children.filter((pid) => { try { process.kill(pid, 0); return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z'); } catch { return false; } });
    expect(alive).toEqual([]);
    expect(processesNaming(dir)).toEqual([]);
  }, 600_000);
});

describe('the cluster under faults', () => {
  it('takes 300 applications through two gateways while a worker, a gateway and Temporal are killed: none stuck, duplicated, lost or doubled', async () => {
    const report = await runClusterFaults({
      dataDir: dataDir(), distDir: outDir, ...await freeClusterPorts(2, 2), gateways: 2, workers: 2, historyShards: 4,
      applications: 300, concurrency: 20, submitPerSecond: 4,
      // Drained alone here in about 500 s; beside other tests on a slow day it has needed more than
      // 900 s. What fails the run is a stall (5 minutes with no process ended and no notification
      // delivered) or 30 minutes in all, not a slow machine.
      drainMs: 1_800_000, stallMs: 300_000,
      log: (line) => console.log(`[cluster-faults] ${line}`),
    });
    console.log(`[cluster-faults] ${JSON.stringify(report)}`);
    expect(report.kills.map((k) => k.split(' ')[1])).toEqual(['worker-1', 'gateway-2', 'Temporal']);
    const where = JSON.stringify({ stuckAt: report.stuckAt, drainSeconds: report.drainSeconds, stalledSeconds: report.stalledSeconds, undrained: report.undrained });
    expect(report, where).toMatchObject({
      submitted: 300, stuck: 0, rejectedOtherwise: 0, duplicatedInquiries: 0,
      lostNotifications: 0, doubledNotifications: 0, notificationsOutOfOrder: 0,
    });
    // Every tenth applicant is under 25 (seeds 9, 19, …): refused by rule; the rest are licensed.
    expect(report.rejectedByRule).toBe(30);
    expect(report.completed).toBe(270);
    expect(report.drainSeconds).toBeDefined();
    // Both gateways answered through the balancer.
    expect(report.answeredBy['gateway-1']).toBeGreaterThan(50);
    expect(report.answeredBy['gateway-2']).toBeGreaterThan(50);
  }, 2_700_000);
});
