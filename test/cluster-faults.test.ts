/**
 * The production shape under faults: the cluster `npm run cluster` starts (the official Temporal
 * server on PostgreSQL, two workers and two gateways from the compiled build, HAProxy in front, the
 * sandbox) takes 300 applications through its balancer while a worker, a gateway and the Temporal
 * server are each killed outright (SIGKILL) and started again. Nothing may be stuck, duplicated,
 * lost or doubled, and both gateways must have answered.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../scripts/build.js';
import { freeClusterPorts } from '../scripts/cluster/cluster.js';
import { runClusterFaults } from '../scripts/cluster/faults.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'dist', `cluster-faults-test-${process.pid}`);
// Readable by others: the embedded PostgreSQL runs as a user of its own when the tests run as root.
const dataDir = mkdtempSync(join(tmpdir(), 'parvaneh-cluster-test-'));
chmodSync(dataDir, 0o755);

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the cluster under faults', () => {
  it('takes 300 applications through two gateways while a worker, a gateway and Temporal are killed: none stuck, duplicated, lost or doubled', async () => {
    await build(outDir);
    const report = await runClusterFaults({
      dataDir, distDir: outDir, ...await freeClusterPorts(2, 2), gateways: 2, workers: 2, historyShards: 4,
      applications: 300, concurrency: 20, submitPerSecond: 4, drainMs: 900_000,
      log: (line) => console.log(`[cluster-faults] ${line}`),
    });
    console.log(`[cluster-faults] ${JSON.stringify(report)}`);
    expect(report.kills).toHaveLength(3);
    expect(report.kills.map((k) => k.split(' ')[1])).toEqual(['worker-1', 'gateway-2', 'Temporal']);
    expect(report).toMatchObject({
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
  }, 1_800_000);
});
