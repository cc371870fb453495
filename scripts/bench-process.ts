/**
 * `npm run bench:process`: what interpreting the DSL costs. Runs N Welfare Services Centre
 * applications end to end through the generic interpreter (`licenceProcess`), and N through the
 * same process written by hand (`welfareCentreHandwritten`), on one Temporal dev server, one
 * worker, one fresh PostgreSQL database and the sandbox registries answering at once. Offices are
 * played by a decider that polls the `tasks` table and accepts every open task (see startStandIns).
 *
 *   tsx scripts/bench-process.ts [--applications N] [--concurrency C] [--rounds R] [--warmup W]
 *
 * Beside them runs the ceiling: a trivial workflow (scripts/bench-process/trivial-workflow.ts)
 * doing nothing but as many no-op activities, local activities, timers and signals as one
 * interpreted application did in this run (counted from the warm-up's histories).
 *
 * Each variant's N applications run in R rounds, the variants taking turns (ABC, CBA, …).
 * Throughput is approved applications over the summed wall time of a variant's rounds (C in
 * flight, closed loop).
 *
 * Prints, per variant, applications per second and p50/p99 from submission to the approved
 * application (activity licence issued), history events and protobuf bytes (each by kind of event), database
 * statements the worker sent, and CPU time by part (the worker's process, the Temporal server,
 * PostgreSQL, from /proc), per application; the ratios to the hand-written process and to the
 * trivial ceiling; p50/p99 of N/R interpreted applications started at half the rate the
 * interpreted reached (open loop); and the memory of the process the worker runs in.
 *
 *   tsx scripts/bench-process.ts --open N [--concurrency C] [--worker-heap MiB]
 *
 * instead measures a worker in a process of its own holding N applications open, each waiting at
 * its first office task (scripts/lib/bench-process/open.ts).
 */
import { serve, type ServerType } from '@hono/node-server';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, bundleWorkflowCode } from '@temporalio/worker';
import { desc, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from '../db/schema/index.js';
import type { Database } from '../db/client.js';
import { createLogger } from '../gateway/middleware/logging.js';
import { EVENT_KINDS, longestGaps, measureHistories, type HistoryMeasure, type WorkCount } from './lib/bench-process/history.js';
import { createTrivialActivities, startTrivialDriver } from './lib/bench-process/trivial-activities.js';
import { trivialWorkflowIdFor } from './bench-process/trivial-interface.js';
import { measureOpenApplications } from './lib/bench-process/open.js';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
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
import { freePort } from '../test/support/ports.js';
import { createLicenceWorker } from '../worker/create-worker.js';
import { workflowBundleOptions } from '../worker/workflow-bundle.js';
import { createPayloadCodec, encryptingDataConverter, generatePayloadKeys } from '../platform/payload-codec.js';
import { signerFor } from '../worker/signer.js';
import { startDecider } from './lib/decider.js';
import { CPU_PARTS, cpuSpent, cpuTimes, type CpuTimes } from './lib/bench-process/cpu.js';
import { stateQuery, workflowIdFor, type ProcessResult } from '../domain/workflow-interfaces/licence-process.js';

const { values: args } = parseArgs({
  options: {
    applications: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '50' },
    warmup: { type: 'string' },
    rounds: { type: 'string', default: '2' },
    open: { type: 'string' },
    'worker-heap': { type: 'string' },
    statements: { type: 'boolean', default: false },
  },
});
const N = positive('applications', args.applications);
const C = positive('concurrency', args.concurrency);
const ROUNDS = Math.min(positive('rounds', args.rounds), N);
const OPEN = args.open === undefined ? undefined : positive('open', args.open);
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

type Variant = 'interpreted' | 'hand-written' | 'trivial';
const VARIANTS: Variant[] = ['interpreted', 'hand-written', 'trivial'];
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
  /** Workflow ids. */
  applicationIds: string[];
  /** Statements the worker sent to the database during the run. */
  statements: number;
  /** The run that took longest, by workflow id. */
  slowest?: { id: string; ms: number };
}

/** How one run of a variant starts: an application submitted, or a trivial workflow started. */
function starter(variant: Variant, sexes: Sex[], offset: number, people: Applicants, ctx: ServiceContext, plan: WorkCount | undefined) {
  const temporal = ctx.deps.temporal;
  return async (i: number) => {
    if (variant === 'trivial') {
      const id = trivialWorkflowIdFor(randomUUID());
      const handle = await temporal.workflow.start('trivialProcess', { workflowId: id, taskQueue: ctx.deps.taskQueue!, args: [plan] });
      return { id, handle };
    }
    const body = applicationBody(people.next(sexes[(offset + i) % sexes.length]!));
    // The same submission for both: only the workflow the service starts differs.
    const { applicationId } = await submitApplication({
      ctx: variant === 'interpreted' ? ctx : { ...ctx, deps: { ...ctx.deps, workflowType: 'welfareCentreHandwritten' } }, input: body,
    });
    return { id: workflowIdFor(applicationId), handle: temporal.workflow.getHandle(workflowIdFor(applicationId)) };
  };
}

/** N runs, at most C in flight (or, given `perSecond`, started at that rate): each started, then awaited to its end. */
async function runVariant(variant: Variant, count: number, sexes: Sex[], offset: number, people: Applicants, ctx: ServiceContext, plan?: WorkCount, perSecond?: number): Promise<RunResult> {
  const start = starter(variant, sexes, offset, people, ctx, plan);
  const latenciesMs: number[] = [];
  const failures: string[] = [];
  const applicationIds: string[] = [];
  let slowest: RunResult['slowest'];
  let next = 0;
  const started = performance.now();
  const one = async (i: number) => {
    const t0 = performance.now();
    const { id, handle } = await start(i);
    applicationIds.push(id);
    const ended = handle.result() as Promise<ProcessResult>;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timed-out'>((done) => { timer = setTimeout(() => done('timed-out'), APPLICATION_TIMEOUT_MS); });
    const result = await Promise.race([ended, timedOut]).finally(() => clearTimeout(timer));
    if (result === 'timed-out') {
      // Say where it stands, then end it so that nothing is left polling.
      const where = variant === 'trivial' ? 'trivial workflow' : await stuckAt(ctx.deps, id);
      await handle.terminate('benchmark timeout').catch(() => undefined);
      await ended.catch(() => undefined);
      throw new Error(`application ${id} (${variant}) did not end within ${APPLICATION_TIMEOUT_MS / 1000} s: ${where}`);
    }
    const t1 = performance.now();
    if (result.outcome === 'approved' && (variant === 'trivial' || result.licences['activity-licence'])) {
      latenciesMs.push(t1 - t0);
      if (!slowest || t1 - t0 > slowest.ms) slowest = { id, ms: t1 - t0 };
    } else failures.push(`${id}: ${result.outcome} ${result.reason} at ${result.stepId}`);
  };
  const attempt = (i: number) => one(i).catch((error: unknown) => { failures.push((error as Error).message); });
  if (perSecond) {
    // Open loop: one start every 1/perSecond s, however many are in flight.
    await Promise.all(Array.from({ length: count }, (_, i) =>
      new Promise((r) => setTimeout(r, Math.max(0, started + (i * 1000) / perSecond - performance.now()))).then(() => attempt(i))));
  } else {
    await Promise.all(Array.from({ length: Math.min(C, count) }, async () => {
      while (next < count) await attempt(next++);
    }));
  }
  return { variant, applications: count, approved: latenciesMs.length, failures, wallMs: performance.now() - started, latenciesMs, applicationIds, statements: 0, slowest };
}

/** The application a workflow id names (`workflowIdFor`'s inverse). */
const applicationOf = (workflowId: string) => workflowId.replace(/^application-/, '');

/** Where a stuck application stands: its open tasks and pending inquiries, and its last events. */
async function stuckAt(deps: ServiceDeps, workflowId: string): Promise<string> {
  const applicationId = applicationOf(workflowId);
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
  for (const id of applicationIds.map(applicationOf)) {
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
    if (OPEN === undefined) log(`${N} runs per variant in ${ROUNDS} rounds (ABC CBA …), concurrency ${C}, warm-up ${WARMUP} per variant`);
    // The product's bundle options (shared modules included), with the benchmark's workflows beside the product's.
    const workflowBundle = await bundleWorkflowCode({
      ...workflowBundleOptions(),
      workflowsPath: fileURLToPath(new URL('./bench-process/workflows.ts', import.meta.url)),
    });
    const temporalPort = await freePort();
    const env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: temporalPath }, ip: '127.0.0.1', port: temporalPort, ui: false, log: { format: 'pretty', level: 'error' } },
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
    const payloadKeys = generatePayloadKeys();
    const payloadCodec = createPayloadCodec(payloadKeys);
    const client = new Client({ connection: env.connection, namespace: env.namespace ?? 'default', dataConverter: encryptingDataConverter(payloadCodec) });
    const deps: ServiceDeps = { db: db.db, temporal: client, catalogue, calendar, taskQueue };
    const ctx: ServiceContext = { deps, actor: { subject: 'portal:bench', role: 'portal' } };

    // The gateway, for the signed callbacks of the asynchronous registries (as test/support/harness.ts),
    // silent: a log line per request would be the benchmark's cost, not the product's.
    const registryKeys = registryKeyPairs();
    const signingKeys = await createSigningKeyStore();
    const gateway = createGateway({
      deps, registryKeys: registryKeys.jwks, signingKeys, checkReady: db.ping, logger: createLogger({ level: 'silent' }),
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

    if (OPEN !== undefined) {
      const bundlePath = join(mkdtempSync(join(tmpdir(), 'bench-process-')), 'workflows.js');
      writeFileSync(bundlePath, workflowBundle.code);
      cleanups.push(async () => rmSync(dirname(bundlePath), { recursive: true, force: true }));
      return await measureOpenApplications({
        count: OPEN, concurrency: C, ctx, ...(args['worker-heap'] ? { heapMiB: positive('worker-heap', args['worker-heap']) } : {}), people: new Applicants(), body: applicationBody,
        worker: { temporalAddress: `127.0.0.1:${temporalPort}`, databaseUrl: db.url, registryBaseUrl: sandbox.url, taskQueue, payloadKeys, bundlePath },
      });
    }

    // The worker's own database client, which counts the statements it sends.
    // With --statements, also by text (whitespace folded), per variant: what the 'stmts' column is made of.
    let statements = 0;
    let byText: Map<string, number> | undefined;
    const workerSql = postgres(db.url, {
      max: 10, onnotice: () => {},
      debug: (_connection: number, query: string) => {
        statements += 1;
        if (byText) { const key = query.replace(/\s+/g, ' ').trim(); byText.set(key, (byText.get(key) ?? 0) + 1); }
      },
    });
    const textsByVariant = new Map<Variant, Map<string, number>>();
    cleanups.push(() => workerSql.end({ timeout: 5 }));
    const workerDb = drizzle(workerSql, { schema }) as unknown as Database;
    const worker = await createLicenceWorker({
      connection: env.nativeConnection, payloadCodec, taskQueue, db: workerDb, calendar, catalogue, registryBaseUrl: sandbox.url, workflowBundle,
      portal: { sign: signerFor(signingKeys) }, extraActivities: createTrivialActivities(),
    });
    const running = worker.run();
    cleanups.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    });
    const decider = startDecider(deps, { label: 'bench' });
    cleanups.push(() => decider.stop());
    const trivialDriver = startTrivialDriver(client);
    cleanups.push(() => trivialDriver.stop());

    const sexes = Applicants.pattern(N);
    const people = new Applicants();
    // The trivial workflow's work: what one interpreted application did, counted from the warm-up
    // (or from one calibration application when there is no warm-up).
    const calibration = await runVariant('interpreted', Math.max(1, WARMUP), sexes, 0, people, ctx);
    if (calibration.failures.length) throw new Error(`warm-up (interpreted) failed: ${calibration.failures.slice(0, 3).join('; ')}`);
    const counted = (await measureHistories(client, calibration.applicationIds)).work;
    const plan: WorkCount = {
      activities: Math.round(counted.activities), localActivities: Math.round(counted.localActivities),
      timers: Math.round(counted.timers), signals: Math.round(counted.signals),
    };
    log(`trivial plan (one interpreted application): ${plan.activities} activities, ${plan.localActivities} local activities, ${plan.timers} timers, ${plan.signals} signals`);
    for (const variant of ['hand-written', 'trivial'] as const) {
      if (WARMUP === 0) break;
      const warm = await runVariant(variant, WARMUP, sexes, 0, people, ctx, plan);
      if (warm.failures.length) throw new Error(`warm-up (${variant}) failed: ${warm.failures.slice(0, 3).join('; ')}`);
    }
    log('warm-up done');
    // The variants take turns (ABC, CBA, …), so that a system slowing down (or warming up) over
    // the run weighs on all alike.
    const chunks: Record<Variant, RunResult[]> = { interpreted: [], 'hand-written': [], trivial: [] };
    const noCpu = (): CpuTimes => ({ 'worker process': 0, temporal: 0, postgres: 0 });
    const cpuByVariant: Record<Variant, CpuTimes> = { interpreted: noCpu(), 'hand-written': noCpu(), trivial: noCpu() };
    for (let round = 0, offset = 0; round < ROUNDS; round++) {
      const size = Math.floor(N / ROUNDS) + (round < N % ROUNDS ? 1 : 0);
      const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
      for (const variant of order) {
        const before = statements;
        if (args.statements) byText = textsByVariant.get(variant) ?? textsByVariant.set(variant, new Map()).get(variant);
        const cpuBefore = cpuTimes();
        const r = await runVariant(variant, size, sexes, offset, people, ctx, plan);
        const spent = cpuSpent(cpuBefore, cpuTimes());
        for (const part of CPU_PARTS) cpuByVariant[variant][part] += spent[part];
        byText = undefined;
        r.statements = statements - before;
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
      statements: chunks[variant].reduce((n, r) => n + r.statements, 0),
      slowest: chunks[variant].map((r) => r.slowest).reduce((a, b) => (!a || (b && b.ms > a.ms) ? b : a), undefined),
    });
    const results = VARIANTS.map(merge);
    const [interpreted, handwritten] = results as [RunResult, RunResult, RunResult];
    const failuresOfPaced: string[] = [];
    const histories = new Map<Variant, HistoryMeasure>();
    for (const r of results) histories.set(r.variant, await measureHistories(client, r.applicationIds));
    const memory = process.memoryUsage();

    const rows = results.map((r) => ({ r, s: stats(r), h: histories.get(r.variant)! }));
    const line = (cells: string[]) => `${cells[0]!.padEnd(18)}${cells.slice(1).map((c) => c.padStart(13)).join('')}`;
    console.log('');
    console.log(line(['variant', 'runs', 'approved', 'wall s', 'apps/s', 'p50 ms', 'p99 ms', 'events', 'KiB', 'stmts']));
    for (const { r, s, h } of rows) {
      console.log(line([r.variant, String(r.applications), String(r.approved), (r.wallMs / 1000).toFixed(2), s.throughput.toFixed(2), s.p50.toFixed(0), s.p99.toFixed(0),
        h.events.toFixed(0), (h.bytes / 1024).toFixed(1), (r.statements / Math.max(1, r.applications)).toFixed(1)]));
    }
    console.log('(events and KiB: mean history per run, protobuf-encoded, sample of 20; stmts: statements the worker sent per run, over its rounds)');
    // Where an application's cost lands: CPU time per run by part, over the variant's rounds.
    console.log('');
    console.log(line(['CPU ms/run', ...CPU_PARTS.map((part) => part.replace(' process', '')), 'total', 'busy']));
    for (const r of results) {
      const cpu = cpuByVariant[r.variant];
      const total = CPU_PARTS.reduce((sum, part) => sum + cpu[part], 0);
      const runs = Math.max(1, r.applications);
      console.log(line([r.variant, ...CPU_PARTS.map((part) => (cpu[part] / runs).toFixed(0)), (total / runs).toFixed(0), `${((100 * total) / (r.wallMs * availableParallelism())).toFixed(0)} %`]));
    }
    console.log(`(from /proc: the worker's process (with the gateway, sandbox and decider), the Temporal server, PostgreSQL; busy: their CPU over the variant's wall time × ${availableParallelism()} cores)`);
    console.log('');
    console.log(line(['events/run', ...VARIANTS]));
    for (const kind of EVENT_KINDS) console.log(line([kind, ...rows.map(({ h }) => h.byKind[kind].toFixed(1))]));
    console.log('');
    console.log(line(['KiB/run', ...VARIANTS]));
    for (const kind of EVENT_KINDS) console.log(line([kind, ...rows.map(({ h }) => (h.bytesByKind[kind] / 1024).toFixed(1))]));
    for (const { r, h } of rows) console.log(`workflow tasks completed per run (tasks×runs), ${r.variant}: ${h.taskSpread}`);
    for (const [variant, texts] of textsByVariant) {
      const runs = Math.max(1, results.find((r) => r.variant === variant)!.applications);
      console.log('');
      console.log(`statements per run by text, ${variant} (--statements):`);
      for (const [text, n] of [...texts].sort((x, y) => y[1] - x[1])) console.log(`${(n / runs).toFixed(2).padStart(8)}  ${text.slice(0, 160)}`);
    }
    const [a, b, t] = rows.map(({ s }) => s) as [ReturnType<typeof stats>, ReturnType<typeof stats>, ReturnType<typeof stats>];
    const ratio = (x: ReturnType<typeof stats>, y: ReturnType<typeof stats>) =>
      `throughput ${(x.throughput / y.throughput).toFixed(2)}x, p50 ${(x.p50 / y.p50).toFixed(2)}x, p99 ${(x.p99 / y.p99).toFixed(2)}x`;
    console.log('');
    console.log(`interpreted / hand-written: ${ratio(a, b)}   (target throughput >= 0.9x)`);
    console.log(`interpreted / trivial:      ${ratio(a, t)}   (target throughput >= 0.5x)`);
    console.log(`hand-written / trivial:     ${ratio(b, t)}`);
    // The latency target is set at half the rate reached: the interpreted process, started at that pace.
    const paced = await runVariant('interpreted', Math.max(1, Math.floor(N / ROUNDS)), sexes, 0, people, ctx, plan, a.throughput / 2);
    const p = stats(paced);
    console.log(`interpreted at half its reached rate (${(a.throughput / 2).toFixed(2)}/s, open loop, ${paced.approved}/${paced.applications} approved): `
      + `p50 ${p.p50.toFixed(0)} ms, p99 ${p.p99.toFixed(0)} ms   (target p99 < 2000 ms)`);
    failuresOfPaced.push(...paced.failures);
    console.log(`memory of the process the worker runs in (with the gateway, sandbox and driver): RSS ${(memory.rss / 2 ** 20).toFixed(0)} MiB, V8 heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB of ${(memory.heapTotal / 2 ** 20).toFixed(0)} MiB`);

    // Both variants must have written the same timelines, or the comparison means nothing.
    const [shapesA, shapesB] = await Promise.all([timelineShapes(deps, interpreted.applicationIds), timelineShapes(deps, handwritten.applicationIds)]);
    const same = shapesA.size === shapesB.size && [...shapesA.keys()].every((k) => shapesB.has(k));
    const eventsPer = [...shapesA.keys()].map((k) => k.split(' ').length).sort((x, y) => x - y);
    // Where the slowest run of each variant waited: the longest gaps between its history's events.
    for (const r of results) {
      if (!r.slowest) continue;
      const gaps = await longestGaps(client, r.slowest.id, 4);
      console.log(`slowest ${r.variant} (${(r.slowest.ms / 1000).toFixed(1)} s), its longest waits: ${gaps.join('; ')}`);
    }
    console.log(`timelines: ${same ? 'identical' : 'DIFFERENT'} shapes in both variants (${shapesA.size} distinct: ${eventsPer.join(' / ')} events per application)`);
    if (!same) for (const k of shapesB.keys()) if (!shapesA.has(k)) console.log(`  hand-written only: ${k}`);
    if (!same) for (const k of shapesA.keys()) if (!shapesB.has(k)) console.log(`  interpreted only: ${k}`);
    if (slowWorkflowTasks) console.log(`workflow tasks over 5 s (TMPRL1104, the worker is saturated): ${slowWorkflowTasks}`);
    if (decider.errors) console.log(`stand-ins: ${decider.errors} decision signals failed`);
    if (trivialDriver.errors) console.log(`trivial driver: ${trivialDriver.errors} signals failed`);

    const failures = [...results.flatMap((r) => r.failures.map((f) => `${r.variant}: ${f}`)), ...failuresOfPaced.map((f) => `paced: ${f}`)];
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
