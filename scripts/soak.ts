/**
 * `npm run soak -- --applications N [--concurrency C] [--drain-seconds S]`: runs N applications
 * (default 1,000) through the whole product while faults are injected, and prints what came out.
 * Exits non-zero when anything is stuck, an inquiry was duplicated or a notification was lost.
 */
import { parseArgs } from 'node:util';
import { ensureDatabaseUrl } from '../test/support/database.js';
import { installRedactingRuntimeLogger } from '../worker/runtime-logging.js';
import { runSoak } from './soak/run.js';

const { values } = parseArgs({
  options: {
    applications: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '40' },
    'drain-seconds': { type: 'string', default: '600' },
  },
});
const whole = (name: string, text: string | undefined): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer (got ${text})`);
  return n;
};

installRedactingRuntimeLogger('ERROR');
await ensureDatabaseUrl();
const report = await runSoak({
  applications: whole('applications', values.applications),
  concurrency: whole('concurrency', values.concurrency),
  drainMs: whole('drain-seconds', values['drain-seconds']) * 1000,
  log: (line) => console.log(`[soak] ${line}`),
});

const rows: [string, number, string][] = [
  ['submitted', report.submitted, ''],
  ['completed (licence issued)', report.completed, ''],
  ['rejected by rule', report.rejectedByRule, ''],
  ['rejected otherwise', report.rejectedOtherwise, ''],
  ['stuck', report.stuck, 'must be 0'],
  ['duplicated inquiries', report.duplicatedInquiries, 'must be 0'],
  ['lost notifications', report.lostNotifications, 'must be 0'],
  ['notifications out of order', report.notificationsOutOfOrder, 'must be 0'],
  ['notifications doubled', report.doubledNotifications, 'must be 0'],
  ['notifications delivered', report.notificationsDelivered, ''],
  ['repeats the portal absorbed', report.portalDuplicatesAbsorbed, ''],
  ['submission retries', report.submissionRetries, ''],
  ['worker restarts', report.faults.workerRestarts, ''],
];
console.log('\n| figure | count | |\n| --- | ---: | --- |');
for (const [name, count, note] of rows) console.log(`| ${name} | ${count} | ${note} |`);
console.log(`\nfaults injected: ${report.faults.applied.join('; ')}`);
console.log(`wall time: ${report.wallSeconds} s; drained ${report.drainSeconds === undefined ? 'NOT within' : `in ${report.drainSeconds} s of`} the ${report.drainWindowSeconds} s window`);
if (report.stuck) console.log(`stuck at: ${Object.entries(report.stuckAt).map(([step, n]) => `${step} ${n}`).join(', ')}`);
const wft = report.workflowTasks;
console.log(`workflow tasks: ${wft.tasks}, over 1 s: ${wft.overOneSecond}, p99 ${wft.p99Ms} ms, longest ${wft.maxMs} ms`);
const failed = report.stuck + report.duplicatedInquiries + report.lostNotifications + report.notificationsOutOfOrder + report.doubledNotifications + report.rejectedOtherwise;
process.exit(failed === 0 ? 0 : 1);
