/**
 * `npx tsx scripts/capacity.ts`: the capacity of Parvaneh, measured and modelled (docs/capacity.md).
 *
 *   tsx scripts/capacity.ts [--applications N] [--concurrency C] [--sim-cohort K] [--sim-every M] [--sim-months T] [--no-sim]
 *
 * 1. Measures, on the time-skipping Temporal server with the product's worker and gateway each in
 *    a process of its own (scripts/lib/capacity/stack.ts): N of the soak's Welfare Services Centre
 *    applications (one application's cost); then 48 months of the licences they got (a licence-year
 *    held); then 13 months more, across each licence's expiry (a renewal). Temporal: executions,
 *    history events and protobuf bytes, activities, local activities, timers, signals, workflow
 *    tasks; PostgreSQL: rows and bytes by table; CPU seconds of the worker, the gateway, the
 *    Temporal server and this process (sandbox, decider, callbacks' gateway).
 * 2. Prints the model (scripts/lib/capacity/model.ts): the national load and its deployment, with
 *    every assumption.
 * 3. Simulates a county on a fresh deployment: K applications at month 0, then one every M months,
 *    over T months of process time skipped a month at a time; prints the model's prediction for
 *    that load against what it measured.
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { ensureDatabaseUrl } from '../test/support/database.js';
import { ASSUMPTIONS, countyLoad, nationalPlan, predict, type Prediction, type UnitCosts } from './lib/capacity/model.js';
import { costBetween, costMinus, snapshot, type Cost, type Snapshot } from './lib/capacity/meter.js';
import { startStack, type Stack } from './lib/capacity/stack.js';

const { values: args } = parseArgs({
  options: {
    applications: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '10' },
    'sim-cohort': { type: 'string', default: '10' },
    'sim-every': { type: 'string', default: '3' },
    'sim-months': { type: 'string', default: '61' },
    'no-sim': { type: 'boolean', default: false },
  },
});
const int = (name: keyof typeof args) => {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer (got ${String(args[name])})`);
  return n;
};
const N = int('applications'), C = int('concurrency');
const HELD_MONTHS = 48, RENEWAL_MONTHS = 13, TERM_MONTHS = ASSUMPTIONS.termYears.value * 12;

const log = (line: string) => console.log(`[capacity] ${line}`);
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
/** The soak's applicants whose applications are approved: every tenth is under age (scripts/soak/submissions.ts). */
const approvedOf = (seeds: number[]) => seeds.filter((s) => s % 10 !== 9).length;

// ---- printing ------------------------------------------------------------------------------------

const num = (n: number, digits = 1) => (Math.abs(n) >= 1000 ? Math.round(n).toLocaleString('en-US') : n.toFixed(digits));
const kib = (bytes: number) => `${num(bytes / 1024)} KiB`;
const size = (bytes: number) => (bytes >= 2 ** 40 ? `${(bytes / 2 ** 40).toFixed(2)} TiB` : bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${(bytes / 2 ** 20).toFixed(0)} MiB`);
function table(header: string[], rows: string[][]) {
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map(() => '---').join(' | ')} |`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log('');
}

const TEMPORAL_ROWS: [string, (c: Cost) => number, (n: number) => string][] = [
  ['workflow executions', (c) => c.temporal.executions, (n) => num(n, 2)],
  ['history events', (c) => c.temporal.events, (n) => num(n)],
  ['history bytes (protobuf)', (c) => c.temporal.bytes, kib],
  ['workflow tasks', (c) => c.temporal.workflowTasks, (n) => num(n)],
  ['activities', (c) => c.temporal.activities, (n) => num(n)],
  ['local activities', (c) => c.temporal.localActivities, (n) => num(n)],
  ['timers', (c) => c.temporal.timers, (n) => num(n)],
  ['signals', (c) => c.temporal.signals, (n) => num(n)],
  ['PostgreSQL rows (Parvaneh)', (c) => c.rows, (n) => num(n)],
  ['PostgreSQL bytes (Parvaneh)', (c) => c.bytes, kib],
  ['CPU s: worker', (c) => c.cpu.worker ?? 0, (n) => n.toFixed(3)],
  ['CPU s: gateway (submission)', (c) => c.cpu.gateway ?? 0, (n) => n.toFixed(3)],
  ['CPU s: Temporal (time-skipping server)', (c) => c.cpu.temporal ?? 0, (n) => n.toFixed(3)],
  ['CPU s: harness (sandbox, decider, callbacks)', (c) => c.cpu.harness ?? 0, (n) => n.toFixed(3)],
];

function printCosts(costs: UnitCosts, runs: string) {
  console.log(`\n## Measured unit costs (${runs})\n`);
  table(['figure', 'one application', 'one licence-year held', 'one renewal (beyond its year)', 'one average licence-year (held + renewal / term)'],
    TEMPORAL_ROWS.map(([name, f, fmt]) => [name, fmt(f(costs.application)), fmt(f(costs.licenceYear)), fmt(f(costs.renewal)),
      fmt(f(costs.licenceYear) + f(costs.renewal) / ASSUMPTIONS.termYears.value)]));
  console.log('PostgreSQL by table (rows / bytes):\n');
  const names = [...new Set([...Object.keys(costs.application.tables), ...Object.keys(costs.licenceYear.tables), ...Object.keys(costs.renewal.tables)])].sort();
  const cell = (c: Cost, name: string) => {
    const t = c.tables[name];
    return t ? `${num(t.rows, 2)} / ${kib(t.bytes)}` : '0';
  };
  table(['table', 'application', 'licence-year', 'renewal'], names.map((n) => [n, cell(costs.application, n), cell(costs.licenceYear, n), cell(costs.renewal, n)]));
}

function printModel(costs: UnitCosts) {
  const plan = nationalPlan(costs);
  console.log('\n## Assumptions\n');
  table(['name', 'value', 'unit', 'source', 'note'], Object.entries(ASSUMPTIONS).map(([name, a]) => [name, String(a.value), a.unit, a.source, a.note]));
  console.log('## The national load (the welfare organisation)\n');
  table(['figure', 'value'], [
    ['licences held', num(plan.licences)],
    ['renewals a year', num(plan.renewalsPerYear)],
    ['new applications a year', num(plan.newPerYear)],
    ['applications + renewals per second: year\'s mean', plan.meanPerS.toExponential(2)],
    ['per second: peak hour before Nowruz', plan.nowruzPerS.toFixed(3)],
    ['per second: peak hour before a call\'s deadline', plan.callPerS.toFixed(3)],
    ['per second: design peak (larger peak + mean)', plan.peakPerS.toFixed(3)],
    ['licence-years per second (constant)', plan.heldPerS.toExponential(2)],
    ['workflow tasks per second at the peak', plan.peakWorkflowTasksPerS.toFixed(1)],
    ['history events per second at the peak', plan.peakEventsPerS.toFixed(1)],
    ['Parvaneh rows per second at the peak', plan.peakRowsPerS.toFixed(1)],
    ['history events a year', num(plan.year.events)],
    ['history bytes a year', size(plan.year.historyBytes)],
    ['Parvaneh rows a year', num(plan.year.rows)],
    ['Parvaneh bytes a year', size(plan.year.tableBytes)],
    ['worker CPU s a year', num(plan.year.workerCpuS)],
  ]);
  console.log('## The deployment\n');
  table(['part', 'welfare organisation', `whole portal (welfare = ${ASSUMPTIONS.welfareShareOfPortal.value * 100} %)`, 'from'], [
    ['history shards', String(plan.shards), String(plan.portal.shards), `peak workflow tasks/s ÷ ${ASSUMPTIONS.shardUpdatesPerSecond.value} × ${ASSUMPTIONS.shardHeadroom.value}, a power of two, at least ${ASSUMPTIONS.minimumShards.value}`],
    ['workers', String(plan.workers), String(plan.portal.workers), `peak worker CPU ${plan.workerCpuPerS.toFixed(3)} s/s ÷ (${ASSUMPTIONS.workerCores.value} cores × ${ASSUMPTIONS.targetUtilisation.value}), at least 2`],
    ['gateways', String(plan.gateways), String(plan.portal.gateways), `${plan.gatewaySecondsPerApp.toFixed(3)} gateway-s per application × peak ÷ ${ASSUMPTIONS.targetUtilisation.value}, at least 2`],
    ['PostgreSQL: Parvaneh', size(plan.parvanehBytes), '', `a year's rows × ${ASSUMPTIONS.parvanehRetentionYears.value} years`],
    ['PostgreSQL: Temporal', size(plan.temporalBytes), '', `(open standing histories ${size(plan.standingHistoryBytes)} + closed within ${ASSUMPTIONS.temporalRetentionDays.value} days ${size(plan.closedHistoryBytes)}) × ${ASSUMPTIONS.temporalStoreOverhead.value}`],
    ['PostgreSQL: both', size(plan.parvanehBytes + plan.temporalBytes), size(plan.portal.bytes), ''],
    ['PostgreSQL write IOPS at the peak', plan.peakIops.toFixed(0), (plan.peakIops / ASSUMPTIONS.welfareShareOfPortal.value).toFixed(0), `rows/s × ${ASSUMPTIONS.writesPerRow.value} + workflow tasks/s × ${ASSUMPTIONS.writesPerWorkflowTask.value}`],
  ]);
}

function printSimulation(predicted: Prediction, measured: Cost, what: string) {
  console.log(`\n## Simulation: ${what}\n`);
  const m = {
    executions: measured.temporal.executions, events: measured.temporal.events, historyBytes: measured.temporal.bytes, workflowTasks: measured.temporal.workflowTasks,
    activities: measured.temporal.activities, localActivities: measured.temporal.localActivities, timers: measured.temporal.timers, signals: measured.temporal.signals,
    rows: measured.rows, tableBytes: measured.bytes, workerCpuS: measured.cpu.worker ?? 0, gatewayCpuS: measured.cpu.gateway ?? 0, temporalCpuS: measured.cpu.temporal ?? 0,
  } satisfies Prediction;
  table(['figure', 'predicted', 'measured', 'measured / predicted'], (Object.keys(predicted) as (keyof Prediction)[]).map((k) => {
    const fmt = k.endsWith('Bytes') ? kib : k.endsWith('CpuS') ? (n: number) => n.toFixed(2) : (n: number) => num(n);
    return [k, fmt(predicted[k]), fmt(m[k]), predicted[k] === 0 ? '-' : (m[k] / predicted[k]).toFixed(2)];
  }));
}

// ---- the runs -------------------------------------------------------------------------------------

async function withStack<T>(run: (stack: Stack) => Promise<T>): Promise<T> {
  const stack = await startStack({ log });
  try {
    return await run(stack);
  } finally {
    await stack.close();
  }
}

const snap = (stack: Stack): Promise<Snapshot> => snapshot(stack.h.client, stack.h.db.url, stack.pids);

async function measureUnitCosts(): Promise<UnitCosts> {
  return withStack(async (stack) => {
    const seeds = Array.from({ length: N }, (_, i) => i);
    const licences = approvedOf(seeds);
    const s0 = await snap(stack);
    log(`${elapsed()}: submitting ${N} applications, ${C} at a time`);
    const ids = await stack.submitAll(seeds, C);
    await stack.settle(ids);
    const s1 = await snap(stack);
    log(`${elapsed()}: ${N} decided (${await stack.outcomes(ids)}; ${stack.retries.count} submissions retried); ${licences} licences held: ${HELD_MONTHS} months`);
    await stack.skipMonths(HELD_MONTHS, async (m) => { if (m % 12 === 0) log(`${elapsed()}: month ${m}`); });
    const s2 = await snap(stack);
    log(`${elapsed()}: ${RENEWAL_MONTHS} months more, across expiry`);
    await stack.skipMonths(RENEWAL_MONTHS);
    const s3 = await snap(stack);
    log(`${elapsed()}: measured`);
    const application = costBetween(s0, s1, N);
    const licenceYear = costBetween(s1, s2, licences * HELD_MONTHS / 12);
    const renewal = costMinus(costBetween(s2, s3, licences), licenceYear, RENEWAL_MONTHS / 12);
    return { application, licenceYear, renewal };
  });
}

async function simulateCounty(costs: UnitCosts) {
  const cohort = int('sim-cohort'), every = int('sim-every'), months = int('sim-months');
  const cohortSeeds = Array.from({ length: cohort }, (_, i) => 1000 + i);
  const arrivals = Array.from({ length: Math.floor(months / every) }, (_, i) => ({ seed: 2000 + i, month: (i + 1) * every }));
  const load = countyLoad({ cohortSeeds, arrivals, months, termMonths: TERM_MONTHS });
  const predicted = predict(costs, load);
  log(`${elapsed()}: simulating a county: ${cohort} applications at month 0, one every ${every} months, ${months} months: `
    + `${load.applications} applications, ${load.licenceYears.toFixed(1)} licence-years, ${load.renewals} renewals predicted`);
  const measured = await withStack(async (stack) => {
    const s0 = await snap(stack);
    const ids = await stack.submitAll(cohortSeeds, C);
    await stack.settle(ids);
    await stack.skipMonths(months, async (m) => {
      const due = arrivals.filter((a) => a.month === m).map((a) => a.seed);
      if (due.length) {
        const arrived = await stack.submitAll(due, C);
        ids.push(...arrived);
        await stack.settle(arrived);
      }
      if (m % 12 === 0) log(`${elapsed()}: month ${m}`);
    });
    const end = await snap(stack);
    log(`${elapsed()}: the county's applications: ${await stack.outcomes(ids)}`);
    return costBetween(s0, end, 1);
  });
  printSimulation(predicted, measured, `${load.applications} applications (${cohort} at month 0, one every ${every} months), ${load.licenceYears.toFixed(1)} licence-years, ${load.renewals} renewals over ${months} months`);
}

async function main() {
  await ensureDatabaseUrl();
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  console.log(`# capacity run ${new Date().toISOString()}, commit ${commit}, load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const costs = await measureUnitCosts();
  printCosts(costs, `${N} applications, ${approvedOf(Array.from({ length: N }, (_, i) => i))} licences over ${HELD_MONTHS} + ${RENEWAL_MONTHS} months`);
  printModel(costs);
  if (!args['no-sim']) await simulateCounty(costs);
  log(`done in ${elapsed()}`);
}

main().then(
  () => setTimeout(() => process.exit(0), 5_000).unref(),
  (error: unknown) => {
    console.error('[capacity] failed:', error);
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 5_000).unref();
  },
);
