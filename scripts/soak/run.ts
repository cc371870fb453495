/**
 * The soak: N Welfare Services Centre applications through the whole product (gateway over HTTP,
 * Temporal dev server, PostgreSQL, sandbox registries and portal) while faults are injected on a
 * schedule, then a count of what came out. Offices are played by a decider (scripts/lib/decider.ts).
 * Every tenth applicant states an age under 25, so some applications are rejected by rule.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { applications, outbox } from '../../db/schema/index.js';
import { generateNationalCode, personFor } from '../../sandbox/persons.js';
import { startHarness, type Harness } from '../../test/support/harness.js';
import { startDecider } from '../lib/decider.js';
import { injectFaults, type FaultLog } from './faults.js';
import { countDuplicatedInquiries, countNotifications, workflowTaskTimes } from './checks.js';

export interface SoakOptions {
  applications: number;
  concurrency: number;
  /** How long to wait for the last applications and notifications once all are submitted. */
  drainMs: number;
  log?: (line: string) => void;
}

export interface SoakReport {
  submitted: number;
  completed: number;
  rejectedByRule: number;
  rejectedOtherwise: number;
  stuck: number;
  duplicatedInquiries: number;
  lostNotifications: number;
  notificationsOutOfOrder: number;
  notificationsDelivered: number;
  portalDuplicatesAbsorbed: number;
  submissionRetries: number;
  faults: FaultLog;
  wallSeconds: number;
  /** From the last submission to nothing running and nothing undelivered (undefined: the window ended first). */
  drainSeconds?: number;
  drainWindowSeconds: number;
  workflowTasks: Awaited<ReturnType<typeof workflowTaskTimes>>;
  /** Where the applications still running stand: current step → count. */
  stuckAt: Record<string, number>;
}

const RULE_REASONS = new Set(['AGE_BELOW_MINIMUM']);

/** A generated person as an application names one. */
function person(code: string, birthDate?: string) {
  const p = personFor(code, Date.now())!;
  return { nationalCode: p.nationalCode, firstName: p.firstName, lastName: p.lastName, birthDate: birthDate ?? p.birthDate, sex: p.sex, religionRecognised: true };
}

/**
 * An application body for generated person `seed`, naming another generated person as the centre's
 * manager (who goes through the manager licence process); every tenth states an age of 24.
 */
function applicationBody(seed: number) {
  const underAge = seed % 10 === 9;
  const birthDate = underAge ? new Date(Date.now() - 24.5 * 365.25 * 86_400_000).toISOString().slice(0, 10) : undefined;
  return {
    licenceType: 'welfare-services-centre', county: 'ahvaz',
    applicant: person(generateNationalCode(500_000 + seed), birthDate),
    manager: { kind: 'nominee', person: person(generateNationalCode(800_000 + seed)) },
  };
}

/** Submits over HTTP with an idempotency key, retrying the same key through 409 in-progress, 429 and 5xx. */
async function submit(h: Harness, token: string, seed: number, retries: { count: number }): Promise<string> {
  const body = JSON.stringify(applicationBody(seed));
  const key = `soak-${seed}`;
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(`${h.gatewayUrl}/v1/applications`, {
        method: 'POST', body,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
      });
      const text = await res.text();
      if (res.status === 202) return (JSON.parse(text) as { applicationId: string }).applicationId;
      if (res.status !== 409 && res.status !== 429 && res.status < 500) throw new Error(`submission ${seed} refused: ${res.status} ${text}`);
    } catch (error) {
      if ((error as Error).message.startsWith('submission')) throw error;
    }
    retries.count += 1;
    if (attempt > 60) throw new Error(`submission ${seed} kept failing`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Runs the soak and returns its figures; the caller prints them. */
export async function runSoak(opts: SoakOptions): Promise<SoakReport> {
  const log = opts.log ?? (() => {});
  const started = Date.now();
  const h = await startHarness({ temporal: 'dev-server', sandboxDelayMs: 300 });
  const decider = startDecider(h.deps, { label: 'soak', pollMs: 200 });
  try {
    const token = await h.issuer.mint({ role: 'portal', sub: 'portal:soak' });
    const faults = injectFaults(h, log);
    const retries = { count: 0 };
    const ids: string[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, opts.applications) }, async () => {
      while (next < opts.applications) {
        const seed = next++;
        ids.push(await submit(h, token, seed, retries));
        if (ids.length % 100 === 0) log(`${ids.length} submitted`);
      }
    }));
    log(`all ${ids.length} submitted; draining`);
    const drainStarted = Date.now();
    const deadline = drainStarted + opts.drainMs;
    let drainSeconds: number | undefined;
    for (;;) {
      const running = await h.db.db.select({ id: applications.id }).from(applications)
        .where(and(inArray(applications.id, ids), eq(applications.status, 'running')));
      const pending = await h.db.db.select({ id: outbox.id }).from(outbox).where(isNull(outbox.deliveredAt));
      // Not done before the whole fault schedule has run: a quick run must still meet every fault.
      if (running.length === 0 && pending.length === 0 && faults.finished()) {
        drainSeconds = Math.round((Date.now() - drainStarted) / 1000);
        break;
      }
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 2_000));
    }
    await faults.stop();
    const rows = await h.db.db.select({ status: applications.status, reason: applications.outcomeReason, step: applications.currentStep }).from(applications)
      .where(inArray(applications.id, ids));
    const notifications = await countNotifications(h, ids);
    return {
      submitted: ids.length,
      completed: rows.filter((r) => r.status === 'approved').length,
      rejectedByRule: rows.filter((r) => r.status === 'rejected' && RULE_REASONS.has(r.reason ?? '')).length,
      rejectedOtherwise: rows.filter((r) => r.status === 'rejected' && !RULE_REASONS.has(r.reason ?? '')).length,
      stuck: rows.filter((r) => r.status === 'running').length,
      duplicatedInquiries: await countDuplicatedInquiries(h),
      ...notifications,
      submissionRetries: retries.count,
      faults: faults.log,
      wallSeconds: Math.round((Date.now() - started) / 1000),
      drainSeconds,
      drainWindowSeconds: Math.round(opts.drainMs / 1000),
      workflowTasks: await workflowTaskTimes(h),
      stuckAt: rows.filter((r) => r.status === 'running').reduce<Record<string, number>>((at, r) => ({ ...at, [r.step ?? '?']: (at[r.step ?? '?'] ?? 0) + 1 }), {}),
    };
  } finally {
    await decider.stop();
    await h.close();
  }
}
