/**
 * `npm run cluster:faults -- [--applications N] [--per-second R] [--drain-seconds S] [--stall-seconds T]`: the
 * production-shaped cluster (npm run cluster's, on free ports and a throwaway data directory)
 * takes N applications (default 300) through its load balancer while one worker, one gateway and
 * the Temporal server are killed outright and started again; then it prints what came out. Exits non-zero when anything is stuck, duplicated, lost or doubled.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freeClusterPorts } from './cluster/cluster.js';
import { runClusterFaults } from './cluster/faults.js';

const { values } = parseArgs({
  options: {
    applications: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '20' },
    'per-second': { type: 'string', default: '4' },
    'drain-seconds': { type: 'string', default: '1800' },
    'stall-seconds': { type: 'string', default: '300' },
  },
});
const whole = (name: string, text: string | undefined): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer (got ${text})`);
  return n;
};

// Readable by others: the embedded PostgreSQL runs as its own user when this runs as root.
const dataDir = mkdtempSync(join(tmpdir(), 'parvaneh-cluster-faults-'));
chmodSync(dataDir, 0o755);
try {
  const report = await runClusterFaults({
    dataDir, distDir: resolve(process.env.PARVANEH_DIST_DIR || 'dist'),
    ...await freeClusterPorts(2, 2), gateways: 2, workers: 2, historyShards: 16,
    applications: whole('applications', values.applications),
    concurrency: whole('concurrency', values.concurrency),
    submitPerSecond: whole('per-second', values['per-second']),
    drainMs: whole('drain-seconds', values['drain-seconds']) * 1000,
    stallMs: whole('stall-seconds', values['stall-seconds']) * 1000,
    log: (line) => console.log(`[cluster-faults] ${line}`),
  });
  const rows: [string, number, string][] = [
    ['submitted', report.submitted, ''],
    ['completed (licence issued)', report.completed, ''],
    ['rejected by rule', report.rejectedByRule, ''],
    ['rejected otherwise', report.rejectedOtherwise, 'must be 0'],
    ['stuck', report.stuck, 'must be 0'],
    ['duplicated inquiries', report.duplicatedInquiries, 'must be 0'],
    ['lost notifications', report.lostNotifications, 'must be 0'],
    ['doubled notifications', report.doubledNotifications, 'must be 0'],
    ['notifications out of order', report.notificationsOutOfOrder, 'must be 0'],
    ['notifications delivered', report.notificationsDelivered, ''],
    ['submission retries', report.submissionRetries, ''],
  ];
  console.log('\n| figure | count | |\n| --- | ---: | --- |');
  for (const [name, count, note] of rows) console.log(`| ${name} | ${count} | ${note} |`);
  console.log(`\nkilled: ${report.kills.join('; ')}`);
  console.log(`requests answered through the balancer: ${Object.entries(report.answeredBy).map(([gateway, n]) => `${gateway} ${n}`).join(', ')}`);
  console.log(`wall time: ${report.wallSeconds} s; drained ${report.drainSeconds === undefined ? `NOT: nothing had moved for ${report.stalledSeconds} s when the wait ended` : `in ${report.drainSeconds} s after the last submission and fault`}`);
  if (report.undrained) console.log(`undelivered notifications by last error: ${JSON.stringify(report.undrained.undeliveredByError)}; the delivery workflow: ${report.undrained.delivery}`);
  const failed = report.stuck + report.duplicatedInquiries + report.lostNotifications + report.doubledNotifications + report.notificationsOutOfOrder + report.rejectedOtherwise;
  process.exitCode = failed === 0 && report.submitted > 0 ? 0 : 1;
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
