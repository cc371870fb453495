import { describe, expect, it } from 'vitest';
import type { Cost } from './meter.js';
import { ASSUMPTIONS, countyLoad, nationalPlan, predict, type UnitCosts } from './model.js';

/** A cost whose every figure is `n`. */
function costOf(n: number, cpu = n): Cost {
  return {
    temporal: { executions: n, events: n, bytes: n, activities: n, localActivities: n, timers: n, signals: n, workflowTasks: n },
    tables: {}, rows: n, bytes: n, cpu: { worker: cpu, gateway: cpu, temporal: cpu },
  };
}

describe('the capacity model', () => {
  it('adds up a load linearly from the unit costs', () => {
    const costs: UnitCosts = { application: costOf(100), licenceYear: costOf(10), renewal: costOf(1) };
    const p = predict(costs, { applications: 3, licenceYears: 20, renewals: 2 });
    expect(p.events).toBe(3 * 100 + 20 * 10 + 2);
    expect(p.rows).toBe(502);
    expect(p.workerCpuS).toBe(502);
  });

  it('counts a county\'s licence-years and renewals from when each applicant arrived, leaving out the refused', () => {
    // Seed 9 is under age (scripts/soak/submissions.ts): refused, so it holds nothing.
    const load = countyLoad({ cohortSeeds: [0, 9], arrivals: [{ seed: 1, month: 12 }], months: 60, termMonths: 60 });
    expect(load).toEqual({ applications: 3, licenceYears: 5 + 4, renewals: 1 });
  });

  it('keeps the floor of shards, workers and gateways for a load far below them', () => {
    const plan = nationalPlan({ application: costOf(1, 0.001), licenceYear: costOf(1, 0.001), renewal: costOf(1, 0.001) });
    expect(plan.shards).toBe(ASSUMPTIONS.minimumShards.value);
    expect(plan.workers).toBe(2);
    expect(plan.gateways).toBe(2);
    expect(plan.renewalsPerYear).toBe(ASSUMPTIONS.institutions.value / ASSUMPTIONS.termYears.value);
  });

  it('sizes shards to a power of two when the peak needs more than the floor', () => {
    const heavy = costOf(100_000);
    const plan = nationalPlan({ application: heavy, licenceYear: heavy, renewal: heavy });
    expect(plan.shards).toBeGreaterThan(ASSUMPTIONS.minimumShards.value);
    expect(Math.log2(plan.shards) % 1).toBe(0);
  });
});
