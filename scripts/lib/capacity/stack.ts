/**
 * The deployment a capacity run measures: the time-skipping Temporal server, a fresh database, the
 * sandbox registries answering at once (test/support/harness.ts), the product's worker
 * (`worker/main.ts`) and gateway (`gateway/main.ts`) each in a process of its own so their CPU is
 * theirs, and the decider playing every office. Applications are the soak's, submitted over HTTP;
 * time moves a month at a time, with the sandbox's clock, once everything has settled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import postgres from 'postgres';
import { createLogger } from '../../../gateway/middleware/logging.js';
import { startGatewayProcess, freePort, type GatewayProcess } from '../../../test/support/gateway-process.js';
import { startHarness, type Harness } from '../../../test/support/harness.js';
import { tokenFor } from '../../../test/support/tokens.js';
import { startDecider } from '../decider.js';
import { submit } from '../../soak/submissions.js';
import { childNamed } from './meter.js';

/** A month of process time: a twelfth of a Gregorian year (the reminders' Jalali months differ by days, not in count). */
export const MONTH_MS = 365.2425 / 12 * 86_400_000;

export interface Stack {
  h: Harness;
  gateway: GatewayProcess;
  worker: ChildProcess;
  /** The processes whose CPU is counted. */
  pids: Record<string, number | undefined>;
  /** Submitted, refused after retries, and retried submissions. */
  submitted: number;
  retries: { count: number };
  /** Submits the soak's application for each seed over the gateway, `concurrency` at a time; @returns the application ids. */
  submitAll(seeds: number[], concurrency: number): Promise<string[]>;
  /** Waits until the given applications are decided and nothing has moved for a while. */
  settle(applicationIds?: string[]): Promise<void>;
  /** The applications' outcomes, as `approved 9, rejected 1`. */
  outcomes(applicationIds: string[]): Promise<string>;
  /** Moves process time on by `months`, one month at a time, settling after each; `each` runs after every month. */
  skipMonths(months: number, each?: (month: number) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

function startWorkerProcess(h: Harness): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    env: {
      ...process.env, TEMPORAL_ADDRESS: h.env.address, DATABASE_URL: h.db.url, REGISTRY_BASE_URL: h.sandboxUrl, TASK_QUEUE: h.taskQueue,
      SIGNING_KEYS_PATH: h.signingKeysPath, PAYLOAD_KEYS_PATH: h.payloadKeysPath,
      // The audit head is published hourly by default: once a run here, not per application (under 2^31 ms, or Node fires it every 1 ms).
      AUDIT_HEAD_INTERVAL_MINUTES: '30000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (d) => { output = (output + d).slice(-4000); });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      output = (output + d).slice(-4000);
      if (output.includes('[worker] running')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${output}`)));
  });
}

/** Something that changes whenever any process does anything the database sees. */
async function fingerprint(sql: postgres.Sql): Promise<string> {
  const [row] = await sql<[{ f: string }]>`select
    (select count(*) from application_events)::text || '/' || (select count(*) from applications where status = 'running')::text
    || '/' || (select count(*) from inquiries)::text || '/' || (select count(*) from tasks where status = 'open')::text as f`;
  return row.f;
}

export async function startStack(opts: { log: (line: string) => void }): Promise<Stack> {
  // No outbox delivery: its daily poll is a cost per deployment, not per licence (test/licence-term.test.ts does the same).
  const h = await startHarness({ temporal: 'time-skipping', startWorker: false, outboxDelivery: false, sandboxDelayMs: 0, logger: createLogger({ level: 'silent' }) });
  const worker = await startWorkerProcess(h);
  const gateway = await startGatewayProcess(h, { port: await freePort(), env: { LOG_LEVEL: 'silent' } });
  const decider = startDecider(h.deps, { label: 'capacity', pollMs: 50 });
  const token = await tokenFor(h, 'portal');
  const sql = postgres(h.db.url, { max: 2, onnotice: () => {} });
  const pids = { worker: worker.pid, gateway: gateway.child.pid, temporal: childNamed('temporal'), harness: process.pid };
  opts.log(`stack: worker pid ${pids.worker}, gateway pid ${pids.gateway}, time-skipping server pid ${pids.temporal ?? 'not found'}`);

  // How far process time is ahead of the wall clock (the sandbox's and the in-process gateway's offset).
  let offsetMs = 0;
  /**
   * Starts `start` with Date.now() at process time: the soak's `submit` builds its body (the
   * applicant as the civil registry will describe them that day) before its first await, so a
   * later month's applicant matches the sandbox's registry, which follows process time.
   */
  const atProcessTime = <T>(start: () => Promise<T>): Promise<T> => {
    const wallNow = Date.now;
    Date.now = () => wallNow() + offsetMs;
    try {
      return start();
    } finally {
      Date.now = wallNow;
    }
  };

  const stack: Stack = {
    h, gateway, worker, pids, submitted: 0, retries: { count: 0 },
    async submitAll(seeds, concurrency) {
      const ids: string[] = [];
      let next = 0;
      await Promise.all(Array.from({ length: Math.min(concurrency, seeds.length) }, async () => {
        while (next < seeds.length) {
          const seed = seeds[next++]!;
          ids.push(await atProcessTime(() => submit(gateway.url, token, seed, stack.retries)));
          stack.submitted += 1;
        }
      }));
      return ids;
    },
    async settle(applicationIds = []) {
      const started = Date.now();
      let last = '', still = 0;
      for (;;) {
        await new Promise((r) => setTimeout(r, 400));
        const undecided = applicationIds.length === 0 ? 0 : Number((await sql<[{ n: string }]>`
          select count(*)::text as n from applications where id in ${sql(applicationIds)} and status = 'running'`)[0].n);
        const now = await fingerprint(sql);
        still = now === last && undecided === 0 ? still + 1 : 0;
        last = now;
        if (still >= 3) return;
        if (Date.now() - started > 600_000) throw new Error(`not settled after 600 s (${undecided} applications undecided, ${now})`);
      }
    },
    async outcomes(applicationIds) {
      const rows = await sql<{ status: string; n: string }[]>`
        select status, count(*)::text as n from applications where id in ${sql(applicationIds)} group by status order by status`;
      return rows.map((r) => `${r.status} ${r.n}`).join(', ');
    },
    async skipMonths(months, each) {
      for (let m = 1; m <= months; m++) {
        const target = (await h.env.currentTimeMs()) + MONTH_MS;
        offsetMs = target - Date.now();
        const res = await fetch(`${h.sandboxUrl}/control/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ offsetMs }) });
        if (res.status !== 200) throw new Error(`the sandbox's clock: ${res.status}`);
        h.deps.now = () => Date.now() + offsetMs;
        await h.env.sleep(target - (await h.env.currentTimeMs()));
        await stack.settle();
        await each?.(m);
      }
    },
    async close() {
      await decider.stop();
      await gateway.stop();
      const exited = new Promise((done) => worker.once('exit', done));
      worker.kill('SIGTERM');
      const timer = setTimeout(() => worker.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      await sql.end({ timeout: 5 });
      await h.close();
    },
  };
  return stack;
}
