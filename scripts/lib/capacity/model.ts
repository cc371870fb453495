/**
 * The capacity model: from the measured cost of one application, one year a licence is held and
 * one renewal, the national load and the deployment it needs; and, from the same costs, what a
 * smaller load should cost (the simulation's prediction). Every number that is not measured is
 * an assumption in ASSUMPTIONS, with where it comes from.
 */
import type { Cost } from './meter.js';

export type Source = 'seed' | 'assumption' | 'process definition' | 'docs/performance.md' | 'measured';

export interface Assumption { value: number; unit: string; source: Source; note: string }

/** Every number of the national model that is not measured here. */
export const ASSUMPTIONS = {
  institutions: { value: 21_000, unit: 'institutions', source: 'seed', note: 'seed 004: the welfare organisation supervises 21,000 institutions' },
  licenceTypes: { value: 92, unit: 'licence types', source: 'seed', note: 'seed 004: 92 licence types; each assumed to cost what a Welfare Services Centre costs' },
  licencesPerInstitution: { value: 1, unit: 'licences held', source: 'assumption', note: 'one activity licence with its standing processes per institution' },
  termYears: { value: 5, unit: 'years', source: 'process definition', note: 'validity 60 months (law/assumptions.yaml welfare.activity-licence.validity: beyond the seeds)' },
  newApplicationShare: { value: 0.05, unit: 'of institutions a year', source: 'assumption', note: 'new applications a year (5 %: 1,050), rejected ones included' },
  welfareShareOfPortal: { value: 0.05, unit: 'of the national portal', source: 'assumption', note: 'the welfare organisation\'s share of the national permits portal\'s licensing load' },
  nowruzShare: { value: 0.3, unit: 'of a year\'s renewals and new applications', source: 'assumption', note: 'arriving in the 3 weeks before Nowruz' },
  nowruzWeeks: { value: 3, unit: 'weeks', source: 'assumption', note: 'the weeks before Nowruz' },
  officeHoursPerWeek: { value: 40, unit: 'hours', source: 'assumption', note: 'hours in a week when applications arrive (offices and applicants awake)' },
  peakHourFactor: { value: 2, unit: '× the mean hour', source: 'assumption', note: 'the busiest hour of a peak week against its mean hour' },
  callApplicants: { value: 10_000, unit: 'applicants', source: 'assumption', note: 'one national competitive call (health services offices: 157 offices in 39 universities, seeds 000/001)' },
  callLastDaysShare: { value: 0.5, unit: 'of a call\'s applicants', source: 'assumption', note: 'arriving in the call\'s last 2 days' },
  callLastDays: { value: 2, unit: 'days', source: 'assumption', note: 'a call\'s last days, 16 active hours each' },
  callCostAsApplication: { value: 1, unit: '× one application', source: 'assumption', note: 'a call entry costs what a centre application costs (not measured: the call process differs)' },
  parvanehRetentionYears: { value: 10, unit: 'years', source: 'assumption', note: 'Parvaneh\'s rows (timeline, audit, licences) kept 10 years' },
  temporalRetentionDays: { value: 30, unit: 'days', source: 'assumption', note: 'Temporal keeps a closed workflow\'s history 30 days (namespace retention); licences\' standing processes stay open' },
  temporalStoreOverhead: { value: 3, unit: '× history bytes', source: 'assumption', note: 'Temporal\'s PostgreSQL beside the history: mutable state, tasks, visibility, indexes' },
  shardUpdatesPerSecond: { value: 20, unit: 'workflow tasks/s per shard', source: 'assumption', note: 'what one history shard on PostgreSQL sustains comfortably' },
  shardHeadroom: { value: 10, unit: '×', source: 'assumption', note: 'the store\'s life: growth, other licensing bodies, replays after an outage' },
  minimumShards: { value: 512, unit: 'shards', source: 'assumption', note: 'Temporal\'s usual starting value for a production cluster' },
  workerCores: { value: 2, unit: 'cores per worker', source: 'assumption', note: 'one worker replica' },
  targetUtilisation: { value: 0.5, unit: 'of a replica\'s CPU', source: 'assumption', note: 'at the peak hour' },
  gatewayRequestsPerApplication: { value: 20, unit: 'GET requests', source: 'assumption', note: 'status polls, task lists, decisions, registry callbacks per application beside its POST' },
  gatewayPostsPerSecond: { value: 45, unit: 'POST /v1/applications per s', source: 'docs/performance.md', note: 'signed, one gateway process on 2 cores (runs D/E: 38 and 54)' },
  gatewayGetsPerSecond: { value: 350, unit: 'GET /v1/tasks per s', source: 'docs/performance.md', note: 'signed, the slowest GET (runs D/E: 360 and 349)' },
  writesPerRow: { value: 3, unit: 'IOs per row', source: 'assumption', note: 'a row, its indexes and the WAL' },
  writesPerWorkflowTask: { value: 6, unit: 'IOs per workflow task', source: 'assumption', note: 'Temporal: history node, mutable state, transfer/timer tasks, WAL' },
} satisfies Record<string, Assumption>;

export type Assumptions = { [K in keyof typeof ASSUMPTIONS]: Assumption };

/** The measured unit costs the model is built from. */
export interface UnitCosts {
  /** One application submitted (the soak's mix: one in ten refused for age). */
  application: Cost;
  /** One year a licence is held, outside its renewal. */
  licenceYear: Cost;
  /** One renewal beyond the year it falls in (its reminders, task, renewal process, the manager licence's expiry). */
  renewal: Cost;
}

const YEAR_S = 365.2425 * 86_400;

/** A load: what happens in a span of time. */
export interface Load { applications: number; licenceYears: number; renewals: number }

/** The figures a load costs, from the unit costs. */
export function predict(costs: UnitCosts, load: Load) {
  const of = (f: (c: Cost) => number) => f(costs.application) * load.applications + f(costs.licenceYear) * load.licenceYears + f(costs.renewal) * load.renewals;
  return {
    executions: of((c) => c.temporal.executions),
    events: of((c) => c.temporal.events),
    historyBytes: of((c) => c.temporal.bytes),
    workflowTasks: of((c) => c.temporal.workflowTasks),
    activities: of((c) => c.temporal.activities),
    localActivities: of((c) => c.temporal.localActivities),
    timers: of((c) => c.temporal.timers),
    signals: of((c) => c.temporal.signals),
    rows: of((c) => c.rows),
    tableBytes: of((c) => c.bytes),
    workerCpuS: of((c) => c.cpu.worker ?? 0),
    gatewayCpuS: of((c) => c.cpu.gateway ?? 0),
    temporalCpuS: of((c) => c.cpu.temporal ?? 0),
  };
}
export type Prediction = ReturnType<typeof predict>;

const powerOfTwoAtLeast = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

/** The national load and the deployment it needs. */
export function nationalPlan(costs: UnitCosts, a: Assumptions = ASSUMPTIONS) {
  const licences = a.institutions.value * a.licencesPerInstitution.value;
  const renewalsPerYear = licences / a.termYears.value;
  const newPerYear = a.institutions.value * a.newApplicationShare.value;
  const year = predict(costs, { applications: newPerYear, licenceYears: licences, renewals: renewalsPerYear });

  // Arrivals per second: the year's mean, the hour before Nowruz, the hour before a call's deadline.
  const meanPerS = (newPerYear + renewalsPerYear) / YEAR_S;
  const nowruzPerS = (a.nowruzShare.value * (newPerYear + renewalsPerYear)) / (a.nowruzWeeks.value * a.officeHoursPerWeek.value * 3600) * a.peakHourFactor.value;
  const callPerS = (a.callLastDaysShare.value * a.callApplicants.value * a.callCostAsApplication.value) / (a.callLastDays.value * 16 * 3600) * a.peakHourFactor.value;
  const peakPerS = Math.max(nowruzPerS, callPerS) + meanPerS;
  const heldPerS = licences / YEAR_S; // licence-years accrue evenly

  // The peak hour's work per second: applications arriving plus the licences' standing work.
  const perApp = costs.application, perHeld = costs.licenceYear;
  const peakWorkflowTasksPerS = peakPerS * perApp.temporal.workflowTasks + heldPerS * perHeld.temporal.workflowTasks;
  const peakEventsPerS = peakPerS * perApp.temporal.events + heldPerS * perHeld.temporal.events;
  const peakRowsPerS = peakPerS * perApp.rows + heldPerS * perHeld.rows;
  const shards = Math.max(a.minimumShards.value, powerOfTwoAtLeast(peakWorkflowTasksPerS / a.shardUpdatesPerSecond.value * a.shardHeadroom.value));

  const workerCpuPerS = peakPerS * (perApp.cpu.worker ?? 0) + heldPerS * (perHeld.cpu.worker ?? 0);
  const workers = Math.max(2, Math.ceil(workerCpuPerS / (a.workerCores.value * a.targetUtilisation.value)));
  const gatewaySecondsPerApp = 1 / a.gatewayPostsPerSecond.value + a.gatewayRequestsPerApplication.value / a.gatewayGetsPerSecond.value;
  const gateways = Math.max(2, Math.ceil(peakPerS * gatewaySecondsPerApp / a.targetUtilisation.value));

  // Storage: Parvaneh keeps its rows for years; Temporal keeps open standing histories and closed ones for its retention.
  const parvanehBytes = year.tableBytes * a.parvanehRetentionYears.value;
  const standingHistoryBytes = licences * perHeld.temporal.bytes * a.termYears.value + licences * costs.renewal.temporal.bytes;
  const closedHistoryBytes = (newPerYear * perApp.temporal.bytes + renewalsPerYear * costs.renewal.temporal.bytes) * a.temporalRetentionDays.value / 365.2425;
  const temporalBytes = (standingHistoryBytes + closedHistoryBytes) * a.temporalStoreOverhead.value;
  const peakIops = peakRowsPerS * a.writesPerRow.value + peakWorkflowTasksPerS * a.writesPerWorkflowTask.value;

  return {
    licences, renewalsPerYear, newPerYear, year, meanPerS, nowruzPerS, callPerS, peakPerS, heldPerS,
    peakWorkflowTasksPerS, peakEventsPerS, peakRowsPerS, shards, workerCpuPerS, workers, gatewaySecondsPerApp, gateways,
    parvanehBytes, standingHistoryBytes, closedHistoryBytes, temporalBytes, peakIops,
    /** The whole national portal, if the welfare organisation is its assumed share. */
    portal: { peakPerS: peakPerS / a.welfareShareOfPortal.value, peakWorkflowTasksPerS: peakWorkflowTasksPerS / a.welfareShareOfPortal.value,
      shards: Math.max(a.minimumShards.value, powerOfTwoAtLeast(peakWorkflowTasksPerS / a.welfareShareOfPortal.value / a.shardUpdatesPerSecond.value * a.shardHeadroom.value)),
      workers: Math.max(2, Math.ceil(workerCpuPerS / a.welfareShareOfPortal.value / (a.workerCores.value * a.targetUtilisation.value))),
      gateways: Math.max(2, Math.ceil(peakPerS / a.welfareShareOfPortal.value * gatewaySecondsPerApp / a.targetUtilisation.value)),
      bytes: (parvanehBytes + temporalBytes) / a.welfareShareOfPortal.value },
  };
}
export type NationalPlan = ReturnType<typeof nationalPlan>;

/**
 * The simulated county: `cohort` applications at month 0 (the institutions already there), then
 * one every `every` months, over `months`; one in ten of the soak's applicants is refused.
 * @returns the load it should be: applications, licence-years held, renewals.
 */
export function countyLoad(plan: { cohortSeeds: number[]; arrivals: { seed: number; month: number }[]; months: number; termMonths: number }): Load {
  const approved = (seed: number) => seed % 10 !== 9; // scripts/soak/submissions.ts: every tenth is under age
  const held = [...plan.cohortSeeds.map((seed) => ({ seed, month: 0 })), ...plan.arrivals].filter((a) => approved(a.seed));
  // A renewal starts a month before expiry (the term's last reminder) and is decided at once.
  const renewals = held.filter((a) => plan.months - a.month >= plan.termMonths - 1).length;
  const licenceYears = held.reduce((sum, a) => sum + (plan.months - a.month) / 12, 0);
  return { applications: plan.cohortSeeds.length + plan.arrivals.length, licenceYears, renewals };
}
