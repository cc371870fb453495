/**
 * `npm run bench:process`: what interpreting the DSL costs. Runs N Welfare Services Centre
 * applications end to end through the generic interpreter (`licenceProcess`), and N through the
 * same process written by hand (`welfareCentreHandwritten`), on one Temporal dev server, one
 * worker, one fresh PostgreSQL database and the sandbox registries answering at once. Offices are
 * played by a decider that polls the `tasks` table and accepts every open task (see startStandIns).
 *
 *   tsx scripts/bench-process.ts [--applications N] [--concurrency C] [--rounds R] [--warmup W]
 *
 * Each variant's N applications run in R rounds, the variants taking turns ABBA. Throughput is
 * approved applications over the summed wall time of a variant's rounds (C in flight, closed loop).
 *
 * Prints, per variant, applications per second and p50/p99 from submission to the approved
 * application (activity licence issued), and the interpreted/hand-written ratios.
 */
import { serve, type ServerType } from '@hono/node-server';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, bundleWorkflowCode } from '@temporalio/worker';
import { desc, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { applicationEvents } from '../db/schema/index.js';
import { loadHolidayCalendar } from '../dsl/calendar-load.js';
import { DefinitionCatalogue } from '../dsl/catalogue.js';
import { loadDefinitions } from '../dsl/load.js';
import { createGateway } from '../gateway/app.js';
import { API_AUDIENCE, ephemeralDevIssuer } from '../gateway/dev-issuer.js';
import { createSigningKeyStore } from '../platform/signing-keys.js';
import { generateNationalCode, personFor } from '../sandbox/persons.js';
import { startSandbox } from '../sandbox/server.js';
import { registryKeyPairs } from '../sandbox/signing.js';
import { submitApplication } from '../services/applications.js';
import type { ServiceContext, ServiceDeps } from '../services/context.js';
import { ensureDatabaseUrl, freshDatabase } from '../test/support/database.js';
import { createLicenceWorker } from '../worker/create-worker.js';
import { createPayloadCodec, encryptingDataConverter, generatePayloadKeys } from '../platform/payload-codec.js';
import { signerFor } from '../worker/signer.js';
import { startDecider } from './lib/decider.js';
import { stateQuery, workflowIdFor, type ProcessResult } from '../domain/workflow-interfaces/licence-process.js';

const { values: args } = parseArgs({
  options: {
    applications: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '50' },
    warmup: { type: 'string' },
    rounds: { type: 'string', default: '2' },
  },
});
const N = positive('applications', args.applications);
const C = positive('concurrency', args.concurrency);
const ROUNDS = Math.min(positive('rounds', args.rounds), N);
const WARMUP = args.warmup === undefined ? Math.min(N, C) : Math.max(0, Math.floor(Number(args.warmup)));

/** The longest one application may take before the run is declared stuck. */
const APPLICATION_TIMEOUT_MS = 120_000;
const LICENCE_TYPE = 'welfare-services-centre';
const COUNTY = 'ahvaz';

function positive(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer (got ${value})`);
  return n;
}

/** The repository root: paths below do not depend on the working directory. */
const root = fileURLToPath(new URL('..', import.meta.url));

const log = (line: string) => console.log(`[bench] ${line}`);

const databaseUrl = ensureDatabaseUrl;

type Variant = 'interpreted' | 'hand-written';
type Sex = 'male' | 'female';

/** Fresh generated applicants (eligible everywhere), handed out so both variants get the same sex mix. */
class Applicants {
  private seed = 1;
  private readonly spare: Record<Sex, string[]> = { male: [], female: [] };

  /** The sexes of the next `count` generated persons, in order: the mix every variant gets. */
  static pattern(count: number): Sex[] {
    return Array.from({ length: count }, (_, i) => personFor(generateNationalCode(1_000_000 + i), Date.now())!.sex);
  }

  next(sex: Sex): string {
    for (;;) {
      const kept = this.spare[sex].shift();
      if (kept) return kept;
      const code = generateNationalCode(this.seed++);
      this.spare[personFor(code, Date.now())!.sex].push(code);
    }
  }
}

function applicationBody(nationalCode: string) {
  const p = personFor(nationalCode, Date.now())!;
  return {
    licenceType: LICENCE_TYPE, county: COUNTY,
    applicant: { nationalCode, firstName: p.firstName, lastName: p.lastName, birthDate: p.birthDate, sex: p.sex, religionRecognised: true },
  };
}

interface RunResult {
  variant: Variant;
  applications: number;
  approved: number;
  failures: string[];
  wallMs: number;
  latenciesMs: number[];
  applicationIds: string[];
}

/** N applications, at most C in flight: each submitted, then awaited to its end. */
async function runVariant(variant: Variant, count: number, sexes: Sex[], offset: number, people: Applicants, ctx: ServiceContext): Promise<RunResult> {
  const latenciesMs: number[] = [];
  const failures: string[] = [];
  const applicationIds: string[] = [];
  let next = 0;
  const started = performance.now();
  const one = async (i: number) => {
    const body = applicationBody(people.next(sexes[(offset + i) % sexes.length]!));
    const t0 = performance.now();
    // The same submission for both: only the workflow the service starts differs.
    const { applicationId } = await submitApplication({
      ctx: variant === 'interpreted' ? ctx : { ...ctx, deps: { ...ctx.deps, workflowType: 'welfareCentreHandwritten' } }, input: body,
    });
    applicationIds.push(applicationId);
    const handle = ctx.deps.temporal.workflow.getHandle(workflowIdFor(applicationId));
    const ended = handle.result() as Promise<ProcessResult>;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timed-out'>((done) => { timer = setTimeout(() => done('timed-out'), APPLICATION_TIMEOUT_MS); });
    const result = await Promise.race([ended, timedOut]).finally(() => clearTimeout(timer));
    if (result === 'timed-out') {
      // Say where it stands, then end it so that nothing is left polling.
      const where = await stuckAt(ctx.deps, applicationId);
      await handle.terminate('benchmark timeout').catch(() => undefined);
      await ended.catch(() => undefined);
      throw new Error(`application ${applicationId} (${variant}) did not end within ${APPLICATION_TIMEOUT_MS / 1000} s: ${where}`);
    }
    const t1 = performance.now();
    if (result.outcome === 'approved' && result.licences['activity-licence']) latenciesMs.push(t1 - t0);
    else failures.push(`${applicationId}: ${result.outcome} ${result.reason} at ${result.stepId}`);
  };
  await Promise.all(Array.from({ length: Math.min(C, count) }, async () => {
    while (next < count) {
      const i = next++;
      try {
        await one(i);
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
  }));
  return { variant, applications: count, approved: latenciesMs.length, failures, wallMs: performance.now() - started, latenciesMs, applicationIds };
}

/** Where a stuck application stands: its open tasks and pending inquiries, and its last events. */
async function stuckAt(deps: ServiceDeps, applicationId: string): Promise<string> {
  try {
    const state = await deps.temporal.workflow.getHandle(workflowIdFor(applicationId)).query(stateQuery);
    const events = await deps.db.select({ seq: applicationEvents.seq, kind: applicationEvents.kind, stepId: applicationEvents.stepId })
      .from(applicationEvents).where(eq(applicationEvents.applicationId, applicationId)).orderBy(desc(applicationEvents.seq)).limit(4);
    return `steps [${state.currentSteps.join(', ')}], tasks [${state.openTasks.map((t) => t.stepId).join(', ')}], `
      + `inquiries [${state.pendingInquiries.map((i) => i.registry).join(', ')}], last events ${events.reverse().map((e) => `${e.seq}:${e.kind}:${e.stepId ?? ''}`).join(' ')}`;
  } catch (error) {
    return `(state unavailable: ${(error as Error).message})`;
  }
}

/** Temporal's side of the work, over a sample of applications: mean history events and size, and workflow tasks. */
async function historySize(deps: ServiceDeps, applicationIds: string[]) {
  const sample = applicationIds.slice(0, 20);
  let events = 0, bytes = 0;
  const tasks = new Map<number, number>();
  for (const id of sample) {
    const history = await deps.temporal.workflow.getHandle(workflowIdFor(id)).fetchHistory();
    const all = history.events ?? [];
    events += all.length;
    bytes += JSON.stringify(history).length;
    const completed = all.filter((e) => e.workflowTaskCompletedEventAttributes).length;
    tasks.set(completed, (tasks.get(completed) ?? 0) + 1);
  }
  const n = Math.max(1, sample.length);
  const spread = [...tasks].sort(([a], [b]) => a - b).map(([count, apps]) => `${count}×${apps}`).join(' ');
  return `${(events / n).toFixed(0)} events, ${(bytes / n / 1024).toFixed(0)} KiB, workflow tasks ${spread}`;
}

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

const stats = (r: RunResult) => ({
  throughput: r.approved / (r.wallMs / 1000),
  p50: percentile(r.latenciesMs, 0.5),
  p99: percentile(r.latenciesMs, 0.99),
});

/** The timeline each application wrote, as `kind:step` in order, grouped into distinct shapes. */
async function timelineShapes(deps: ServiceDeps, applicationIds: string[]): Promise<Map<string, number>> {
  const shapes = new Map<string, number>();
  for (const id of applicationIds) {
    const events = await deps.db.select({ kind: applicationEvents.kind, stepId: applicationEvents.stepId })
      .from(applicationEvents).where(eq(applicationEvents.applicationId, id)).orderBy(applicationEvents.seq);
    // The three vetting branches finish in whatever order the registries answer: compare them as a set.
    const shape = events.map((e) => `${e.kind}:${e.stepId ?? ''}`);
    const key = [...shape.filter((s) => !s.startsWith('inquiry-answered:')), ...shape.filter((s) => s.startsWith('inquiry-answered:')).sort()].join(' ');
    shapes.set(key, (shapes.get(key) ?? 0) + 1);
  }
  return shapes;
}

let slowWorkflowTasks = 0;

async function main(): Promise<number> {
  // Core's warnings come through here; "workflow task took over 5 s" (TMPRL1104) is counted, not printed.
  const warn = (message: string) => {
    if (message.includes('TMPRL1104')) slowWorkflowTasks += 1;
    else console.warn(message);
  };
  Runtime.install({
    logger: { log: () => {}, trace: () => {}, debug: () => {}, info: () => {}, warn, error: (m) => console.error(m) },
    telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
  });
  await databaseUrl();
  const temporalPath = resolve(root, '.tools/bin/temporal');
  if (!existsSync(temporalPath)) throw new Error(`${temporalPath} is missing: run scripts/install.sh`);

  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const close of cleanups.reverse()) {
      try {
        await close();
      } catch (error) {
        console.error(`[bench] cleanup: ${(error as Error).message}`);
      }
    }
  };
  try {
    log(`${N} applications per variant in ${ROUNDS} rounds (ABBA), concurrency ${C}, warm-up ${WARMUP} per variant`);
    const workflowBundle = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./bench-process/workflows.ts', import.meta.url)),
      logger: { log: () => {}, trace: () => {}, debug: () => {}, info: () => {}, warn: (m) => console.warn(m), error: (m) => console.error(m) },
    });
    const env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: temporalPath }, ui: false, log: { format: 'pretty', level: 'error' } },
    });
    cleanups.push(() => env.teardown());
    const db = await freshDatabase();
    cleanups.push(() => db.close());

    const calendar = loadHolidayCalendar();
    // The hand-written baseline is version 2 of the centre: the interpreter runs the same version.
    const definitions = loadDefinitions(resolve(root, 'processes')).filter((l) => l.definition.id !== LICENCE_TYPE || l.definition.version <= 2);
    const catalogue = new DefinitionCatalogue(definitions, calendar);
    const issuer = await ephemeralDevIssuer();
    const taskQueue = `bench-licence-processes-${randomUUID().slice(0, 8)}`;
    // Payloads encrypted as in production (platform/payload-codec.ts): the benchmark measures the real cost.
    const payloadCodec = createPayloadCodec(generatePayloadKeys());
    const client = new Client({ connection: env.connection, namespace: env.namespace ?? 'default', dataConverter: encryptingDataConverter(payloadCodec) });
    const deps: ServiceDeps = { db: db.db, temporal: client, catalogue, calendar, taskQueue };
    const ctx: ServiceContext = { deps, actor: { subject: 'portal:bench', role: 'portal' } };

    // The gateway, for the signed callbacks of the asynchronous registries (as test/support/harness.ts).
    const registryKeys = registryKeyPairs();
    const signingKeys = await createSigningKeyStore();
    const gateway = createGateway({
      deps, registryKeys: registryKeys.jwks, signingKeys, checkReady: db.ping,
      auth: { issuers: [{ issuer: issuer.issuer, jwks: issuer.jwks }], audience: API_AUDIENCE },
    });
    const server: ServerType = await new Promise((done) => {
      const s = serve({ fetch: gateway.fetch, port: 0, hostname: '127.0.0.1' }, () => done(s));
    });
    cleanups.push(() => new Promise<void>((done) => {
      if ('closeAllConnections' in server) server.closeAllConnections();
      server.close(() => done());
    }));
    const gatewayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const sandbox = await startSandbox({
      port: 0, callbackBaseUrl: gatewayUrl, asyncDelayMs: 0,
      registryKeys: registryKeys.privateKeys,
    });
    cleanups.push(() => sandbox.close());

    const worker = await createLicenceWorker({
      connection: env.nativeConnection, payloadCodec, taskQueue, db: db.db, calendar, catalogue, registryBaseUrl: sandbox.url, workflowBundle,
      portal: { sign: signerFor(signingKeys) },
    });
    const running = worker.run();
    cleanups.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    });
    const decider = startDecider(deps, { label: 'bench' });
    cleanups.push(() => decider.stop());

    const sexes = Applicants.pattern(N);
    const people = new Applicants();
    if (WARMUP > 0) {
      for (const variant of ['interpreted', 'hand-written'] as const) {
        const warm = await runVariant(variant, WARMUP, sexes, 0, people, ctx);
        if (warm.failures.length) throw new Error(`warm-up (${variant}) failed: ${warm.failures.slice(0, 3).join('; ')}`);
      }
      log('warm-up done');
    }
    // ABBA: the variants take turns, so that a system slowing down (or warming up) over the run
    // weighs on both alike.
    const chunks: Record<Variant, RunResult[]> = { interpreted: [], 'hand-written': [] };
    for (let round = 0, offset = 0; round < ROUNDS; round++) {
      const size = Math.floor(N / ROUNDS) + (round < N % ROUNDS ? 1 : 0);
      const order: Variant[] = round % 2 === 0 ? ['interpreted', 'hand-written'] : ['hand-written', 'interpreted'];
      for (const variant of order) {
        const r = await runVariant(variant, size, sexes, offset, people, ctx);
        chunks[variant].push(r);
        log(`round ${round + 1}/${ROUNDS} ${variant}: ${r.approved}/${r.applications} approved in ${(r.wallMs / 1000).toFixed(1)} s (${(r.approved / (r.wallMs / 1000)).toFixed(1)}/s)`);
      }
      offset += size;
    }
    const merge = (variant: Variant): RunResult => ({
      variant,
      applications: chunks[variant].reduce((n, r) => n + r.applications, 0),
      approved: chunks[variant].reduce((n, r) => n + r.approved, 0),
      wallMs: chunks[variant].reduce((n, r) => n + r.wallMs, 0),
      failures: chunks[variant].flatMap((r) => r.failures),
      latenciesMs: chunks[variant].flatMap((r) => r.latenciesMs),
      applicationIds: chunks[variant].flatMap((r) => r.applicationIds),
    });
    const results = [merge('interpreted'), merge('hand-written')];
    const [interpreted, handwritten] = results as [RunResult, RunResult];

    const rows = results.map((r) => ({ r, s: stats(r) }));
    const line = (cells: string[]) => `${cells[0]!.padEnd(14)}${cells.slice(1).map((c) => c.padStart(10)).join('')}`;
    console.log('');
    console.log(line(['variant', 'apps', 'approved', 'wall s', 'apps/s', 'p50 ms', 'p99 ms']));
    for (const { r, s } of rows) {
      console.log(line([r.variant, String(r.applications), String(r.approved), (r.wallMs / 1000).toFixed(2), s.throughput.toFixed(1), s.p50.toFixed(0), s.p99.toFixed(0)]));
    }
    const [a, b] = [rows[0]!.s, rows[1]!.s];
    console.log('');
    console.log(`interpreted / hand-written: throughput ${(a.throughput / b.throughput).toFixed(2)}x, p50 ${(a.p50 / b.p50).toFixed(2)}x, p99 ${(a.p99 / b.p99).toFixed(2)}x`);

    // Both variants must have written the same timelines, or the comparison means nothing.
    const [shapesA, shapesB] = await Promise.all([timelineShapes(deps, interpreted.applicationIds), timelineShapes(deps, handwritten.applicationIds)]);
    const same = shapesA.size === shapesB.size && [...shapesA.keys()].every((k) => shapesB.has(k));
    const eventsPer = [...shapesA.keys()].map((k) => k.split(' ').length).sort((x, y) => x - y);
    console.log(`timelines: ${same ? 'identical' : 'DIFFERENT'} shapes in both variants (${shapesA.size} distinct: ${eventsPer.join(' / ')} events per application)`);
    console.log(`history per application (sample of 20): interpreted ${await historySize(deps, interpreted.applicationIds)}; `
      + `hand-written ${await historySize(deps, handwritten.applicationIds)}`);
    if (slowWorkflowTasks) console.log(`workflow tasks over 5 s (TMPRL1104, the worker is saturated): ${slowWorkflowTasks}`);
    if (decider.errors) console.log(`stand-ins: ${decider.errors} decision signals failed`);

    const failures = results.flatMap((r) => r.failures.map((f) => `${r.variant}: ${f}`));
    for (const f of failures.slice(0, 10)) console.error(`[bench] failed: ${f}`);
    return failures.length === 0 && same ? 0 : 1;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
    // Everything is closed; should a handle linger anyway, do not hang.
    setTimeout(() => process.exit(code), 5_000).unref();
  },
  (error: unknown) => {
    console.error('[bench] failed:', error);
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 5_000).unref();
  },
);
