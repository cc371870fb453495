/**
 * The cluster's fault run: the production-shaped cluster (scripts/cluster/cluster.ts) takes N of
 * the soak's applications through its load balancer, so through both gateways, while one worker,
 * one gateway and the Temporal server are each killed outright (SIGKILL) and started again. Offices
 * are played by the decider. Then it counts what came out: completed, stuck, duplicated inquiries,
 * lost and doubled notifications.
 */
import { Client, Connection } from '@temporalio/client';
import { join } from 'node:path';
import { count, isNull } from 'drizzle-orm';
import { openDatabase, type DatabaseHandle } from '../../db/client.js';
import { outbox } from '../../db/schema/index.js';
import { TASK_QUEUE, outboxWorkflowIdFor } from '../../domain/workflow-interfaces/licence-process.js';
import { createPayloadCodec, encryptingDataConverter, payloadKeysFile } from '../../platform/payload-codec.js';
import { startDecider } from '../lib/decider.js';
import { countOutcome, drained, progress, type RunOutcome } from '../soak/checks.js';
import { submit } from '../soak/submissions.js';
import { startCluster, type Cluster, type ClusterOptions } from './cluster.js';

export interface ClusterFaultOptions extends ClusterOptions {
  applications: number;
  concurrency: number;
  /** Submissions a second at most, so the faults meet submissions in flight. */
  submitPerSecond: number;
  /**
   * The longest to wait, once all are submitted, for the last applications and notifications;
   * the wait ends sooner when nothing has moved for `stallMs`.
   */
  drainMs: number;
  /**
   * How long the run may go without a process ending or a notification being delivered before what
   * is left counts as stuck (default 300 s). A slow machine drains slowly; a stuck cluster stalls.
   */
  stallMs?: number;
}

export interface ClusterFaultReport extends RunOutcome {
  /** HTTP requests each gateway answered through the balancer (HAProxy's counters). */
  answeredBy: Record<string, number>;
  /** What was killed and when (seconds from the first submission), and how long it was down. */
  kills: string[];
  /** Where the applications still running stand: step → count. */
  stuckAt: Record<string, number>;
  drainSeconds?: number;
  /** When the drain ended without draining: seconds it had gone without a process ending or a notification delivered. */
  stalledSeconds?: number;
  /** When it did not drain, what the undelivered notifications and the delivery workflow were waiting on. */
  undrained?: { undeliveredByError: Record<string, number>; delivery: string };
  wallSeconds: number;
}

/**
 * At `atSeconds` from `began`: kills `what` outright, waits `downMs`, and starts it again as a
 * supervisor would (systemd's Restart=always): a start that fails, e.g. a worker whose Temporal is
 * down too at that moment, is tried again every 2 s. Records what happened.
 */
async function killAndRestart(kills: { at: number; line: string }[], began: number, atSeconds: number, what: string,
  proc: { kill(): Promise<void>; start(): Promise<void> }, downMs: number, log: (line: string) => void): Promise<void> {
  await new Promise((r) => setTimeout(r, Math.max(0, began + atSeconds * 1000 - Date.now())));
  const killed = Date.now();
  await proc.kill();
  await new Promise((r) => setTimeout(r, downMs));
  let attempts = 0;
  for (;;) {
    attempts += 1;
    try {
      await proc.start();
      break;
    } catch (error) {
      if (attempts >= 30) throw error;
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }
  const line = `${Math.round((killed - began) / 1000)}s ${what} killed (SIGKILL), back after ${Math.round((Date.now() - killed) / 1000)} s${attempts > 1 ? ` (${attempts} starts)` : ''}`;
  kills.push({ at: killed, line });
  log(line);
}

export async function runClusterFaults(opts: ClusterFaultOptions): Promise<ClusterFaultReport> {
  const log = opts.log ?? (() => {});
  const started = Date.now();
  const cluster: Cluster = await startCluster(opts);
  // The run's own view: Parvaneh's database, and Temporal (with the cluster's payload keys) for the decider's signals.
  const database = await openDatabase({ url: cluster.databaseUrl, maxConnections: 4 });
  const connection = await Connection.connect({ address: cluster.temporalAddress });
  const codec = createPayloadCodec(payloadKeysFile(join(opts.dataDir, 'payload-keys.json')));
  const temporal = new Client({ connection, dataConverter: encryptingDataConverter(codec) });
  const decider = startDecider({ db: database.db, temporal }, { label: 'cluster', pollMs: 250 });
  const kills: { at: number; line: string }[] = [];
  try {
    const token = await cluster.issuer.mint({ role: 'portal', sub: 'portal:cluster-faults' });
    const retries = { count: 0 };
    const ids: string[] = [];
    let next = 0;
    const began = Date.now();
    // The faults on a fixed timeline while submissions go on, each part restarted by its supervisor.
    const faults = Promise.all([
      killAndRestart(kills, began, 5, 'worker-1', cluster.workers[0]!, 3_000, log),
      killAndRestart(kills, began, 20, 'gateway-2', cluster.gateways[1]!, 3_000, log),
      killAndRestart(kills, began, 35, 'Temporal server', cluster.temporal, 3_000, log),
    ]);
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, opts.applications) }, async () => {
      while (next < opts.applications) {
        const seed = next++;
        const due = began + (seed * 1000) / opts.submitPerSecond;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        ids.push(await submit(cluster.balancerUrl, token, seed, retries));
        if (ids.length % 50 === 0) log(`${ids.length} submitted`);
      }
    }));
    log(`all ${ids.length} submitted; draining`);
    await faults;
    const drainStarted = Date.now();
    const stallMs = opts.stallMs ?? 300_000;
    let drainSeconds: number | undefined;
    let stalledSeconds: number | undefined;
    let moved = { figure: -1, at: Date.now() };
    let logged = Date.now();
    for (;;) {
      if (await drained({ db: database }, ids)) {
        drainSeconds = Math.round((Date.now() - drainStarted) / 1000);
        break;
      }
      const figure = await progress({ db: database });
      if (figure > moved.figure) moved = { figure, at: Date.now() };
      if (Date.now() - moved.at > stallMs || Date.now() - drainStarted > opts.drainMs) {
        stalledSeconds = Math.round((Date.now() - moved.at) / 1000);
        log(`not drained after ${Math.round((Date.now() - drainStarted) / 1000)} s; the last process ended or notification was delivered ${stalledSeconds} s before`);
        break;
      }
      if (Date.now() - logged >= 60_000) {
        logged = Date.now();
        log(`draining for ${Math.round((logged - drainStarted) / 1000)} s: ${figure} processes ended and notifications delivered so far`);
      }
      await new Promise((r) => setTimeout(r, 2_000));
    }
    return {
      ...await countOutcome({ sandboxUrl: cluster.sandboxUrl, db: database }, ids, retries.count),
      answeredBy: await requestsPerGateway(cluster.balancerStatsUrl),
      kills: kills.sort((x, y) => x.at - y.at).map((k) => k.line), drainSeconds, stalledSeconds,
      ...drainSeconds === undefined ? { undrained: await whyUndrained(database, temporal) } : {},
      wallSeconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    await decider.stop();
    await connection.close();
    await database.close();
    await cluster.stop();
  }
}

/**
 * What an undrained run's notifications wait on: the undelivered rows by their last error, and
 * the delivery workflow's pending activity or last event (a backoff timer, say).
 */
async function whyUndrained(database: DatabaseHandle, temporal: Client): Promise<NonNullable<ClusterFaultReport['undrained']>> {
  const rows = await database.db.select({ error: outbox.lastError, n: count() }).from(outbox)
    .where(isNull(outbox.deliveredAt)).groupBy(outbox.lastError);
  const undeliveredByError = Object.fromEntries(rows.map((r) => [r.error ?? 'no error recorded', r.n]));
  let delivery: string;
  try {
    const handle = temporal.workflow.getHandle(outboxWorkflowIdFor(TASK_QUEUE));
    const described = await handle.describe();
    const pending = described.raw.pendingActivities?.[0];
    const history = await handle.fetchHistory();
    const last = history.events?.at(-1);
    const lastType = last ? Object.keys(last).find((k) => k.endsWith('EventAttributes') && (last as Record<string, unknown>)[k]) : undefined;
    delivery = `${described.status.name}; ${pending ? `activity attempt ${pending.attempt}${pending.lastFailure?.message ? ` (last failure: ${pending.lastFailure.message})` : ''}` : 'no activity pending'}; last event ${lastType ?? '?'}`;
  } catch (error) {
    delivery = `not described: ${(error as Error).message}`;
  }
  return { undeliveredByError, delivery };
}

/** HTTP requests each gateway answered through the balancer, from HAProxy's own counters (a restart does not reset them). */
async function requestsPerGateway(statsUrl: string): Promise<Record<string, number>> {
  const csv = await (await fetch(`${statsUrl};csv`)).text();
  const [header, ...lines] = csv.replace(/^# /, '').trim().split('\n');
  const columns = header!.split(',');
  const at = (name: string) => columns.indexOf(name);
  const counts: Record<string, number> = {};
  for (const line of lines) {
    const cells = line.split(',');
    if (cells[at('pxname')] === 'gateways' && cells[at('svname')]!.startsWith('gateway-')) counts[cells[at('svname')]!] = Number(cells[at('req_tot')] || cells[at('stot')]);
  }
  return counts;
}
