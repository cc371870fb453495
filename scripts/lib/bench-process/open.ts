/**
 * `bench:process --open N`: the memory of a worker holding N open applications. The worker runs
 * in a child process of its own (open-worker.ts); N applications are submitted through the
 * service, C at a time, and no office decides, so each stops at its first task (the county's
 * initial interview). Once all N wait, the child's resident memory is read from /proc.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { count, eq } from 'drizzle-orm';
import { tasks } from '../../../db/schema/index.js';
import type { PayloadKeys } from '../../../platform/payload-codec.js';
import { submitApplication } from '../../../services/applications.js';
import { DEFAULT_WORKER_SLOTS } from '../../../worker/create-worker.js';
import type { ServiceContext } from '../../../services/context.js';

const GIB = 2 ** 30;
const log = (line: string) => console.log(`[bench] ${line}`);

export interface OpenRun {
  count: number;
  concurrency: number;
  ctx: ServiceContext;
  people: { next(sex: 'male' | 'female'): string };
  body: (nationalCode: string) => unknown;
  /** The worker's V8 old-space limit in MiB (`--max-old-space-size`; Node's default when unset). */
  heapMiB?: number;
  worker: { temporalAddress: string; databaseUrl: string; registryBaseUrl: string; taskQueue: string; payloadKeys: PayloadKeys; bundlePath: string };
}

/** A /proc/<pid>/status field in bytes (VmRSS: resident now; VmHWM: the peak). */
function procKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** The worker's last report of its memory (open-worker.ts prints one every 2 s). */
let lastMemory: NodeJS.MemoryUsage | undefined;
/** Receives the worker's answer to `settle` (its memory after a full collection of its main thread's heap). */
let settledMemory: ((memory: NodeJS.MemoryUsage) => void) | undefined;

/** The worker's memory after a full garbage collection, with its resident size read then. */
async function settle(child: ChildProcess): Promise<{ memory: NodeJS.MemoryUsage; rss: number } | undefined> {
  const answer = new Promise<NodeJS.MemoryUsage | undefined>((done) => {
    settledMemory = done;
    setTimeout(() => done(undefined), 30_000).unref();
  });
  child.stdin!.write('settle\n');
  const memory = await answer;
  settledMemory = undefined;
  return memory ? { memory, rss: procKiB(child.pid!, 'VmRSS') } : undefined;
}

const heapOf = () => (lastMemory ? `, main thread's V8 heap ${mib(lastMemory.heapUsed)} used of ${mib(lastMemory.heapTotal)}, external+buffers ${mib(lastMemory.external + lastMemory.arrayBuffers)}` : '');

async function startWorker(run: OpenRun): Promise<ChildProcess> {
  const heap = run.heapMiB ? [`--max-old-space-size=${run.heapMiB}`] : [];
  const child = spawn(process.execPath, [...heap, '--expose-gc', '--import', 'tsx', fileURLToPath(new URL('./open-worker.ts', import.meta.url))], {
    env: {
      ...process.env, TEMPORAL_ADDRESS: run.worker.temporalAddress, DATABASE_URL: run.worker.databaseUrl, REGISTRY_BASE_URL: run.worker.registryBaseUrl,
      TASK_QUEUE: run.worker.taskQueue, PAYLOAD_KEYS: JSON.stringify(run.worker.payloadKeys), WORKFLOW_BUNDLE: run.worker.bundlePath,
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise<void>((ready, failed) => {
    child.once('exit', (code) => failed(new Error(`the worker exited (${code}) before it ran`)));
    child.stdout!.on('data', (chunk: Buffer) => { if (chunk.toString().includes('[worker] running')) ready(); });
  });
  child.removeAllListeners('exit');
  child.stdout!.on('data', (chunk: Buffer) => {
    const report = /\[worker\] memory (\{.*\})/.exec(chunk.toString().split('\n').filter((l) => l.includes('[worker] memory')).at(-1) ?? '');
    if (report) lastMemory = JSON.parse(report[1]!) as NodeJS.MemoryUsage;
    const settled = /\[worker\] settled (\{.*\})/.exec(chunk.toString());
    if (settled) settledMemory?.(JSON.parse(settled[1]!) as NodeJS.MemoryUsage);
  });
  return child;
}

async function openTasks(run: OpenRun): Promise<number> {
  const [row] = await run.ctx.deps.db.select({ n: count() }).from(tasks).where(eq(tasks.status, 'open'));
  return row?.n ?? 0;
}

/** Runs the measure and prints it; @returns the exit code (0 when all N waited under 1 GiB). */
export async function measureOpenApplications(run: OpenRun): Promise<number> {
  const child = await startWorker(run);
  const pid = child.pid!;
  let progress: NodeJS.Timeout | undefined;
  try {
    const idle = await settle(child);
    log(`worker pid ${pid} (WORKER_CACHED_WORKFLOWS ${process.env.WORKER_CACHED_WORKFLOWS || `unset: the product's ${DEFAULT_WORKER_SLOTS.cachedWorkflows}`}, heap limit ${run.heapMiB ? `${run.heapMiB} MiB` : 'Node default'}), idle RSS ${mib(procKiB(pid, 'VmRSS'))}; submitting ${run.count}, ${run.concurrency} at a time`);
    const started = performance.now();
    // Progress every 15 s, submissions still going or not: a long run shows its memory as it grows.
    let waiting = 0;
    progress = setInterval(() => {
      void openTasks(run).then((n) => {
        waiting = Math.max(waiting, n);
        log(`${n} waiting at a task after ${((performance.now() - started) / 1000).toFixed(0)} s, worker RSS ${mib(procKiB(pid, 'VmRSS'))}${heapOf()}`);
      }, () => undefined);
    }, 15_000);
    let next = 0;
    let failed = 0;
    // Two halves, each measured after a full collection once all its applications wait: the second
    // half's growth over its count is what one more open application costs (the first half's also
    // carries what any first use costs: compiled code, connections, buffers).
    const half = Math.max(1, Math.floor(run.count / 2));
    const settledAt: { open: number; memory: NodeJS.MemoryUsage; rss: number }[] = [];
    let submittedS = 0;
    for (const target of half < run.count ? [half, run.count] : [run.count]) {
      await Promise.all(Array.from({ length: Math.min(run.concurrency, target - next) }, async () => {
        while (next < target) {
          const i = next++;
          try {
            await submitApplication({ ctx: run.ctx, input: run.body(run.people.next(i % 2 ? 'male' : 'female')) });
          } catch (error) {
            if (++failed <= 3) console.error(`[bench] submission failed: ${(error as Error).message}`);
          }
        }
      }));
      submittedS = (performance.now() - started) / 1000;
      log(`${target - failed} submitted in ${submittedS.toFixed(1)} s, worker RSS ${mib(procKiB(pid, 'VmRSS'))}`);
      // Wait until every application stands at its first task (no progress for 120 s: give up).
      let lastProgress = performance.now();
      while (waiting < target - failed && performance.now() - lastProgress < 120_000) {
        await new Promise((r) => setTimeout(r, 1000));
        const now = await openTasks(run);
        if (now > waiting) lastProgress = performance.now();
        waiting = Math.max(waiting, now);
      }
      const settled = await settle(child);
      if (settled) settledAt.push({ open: waiting, ...settled });
    }
    clearInterval(progress);
    const allS = (performance.now() - started) / 1000;
    const rss = procKiB(pid, 'VmRSS'), peak = procKiB(pid, 'VmHWM');
    console.log('');
    console.log(`open applications waiting at their first task: ${waiting} of ${run.count} (all waiting ${allS.toFixed(1)} s after the first submission: ${(waiting / allS).toFixed(1)}/s)`);
    console.log(`submission rate: ${((run.count - failed) / submittedS).toFixed(1)}/s`);
    console.log(`worker RSS: ${mib(rss)} now, ${mib(peak)} peak; ${(rss / Math.max(1, waiting) / 1024).toFixed(1)} KiB per open application; under 1 GiB: ${peak < GIB ? 'yes' : 'NO'}${heapOf()}`);
    if (idle) {
      // The workflows live in the SDK's workflow thread, an isolate of its own: its heap is in the RSS,
      // not in the main thread's figures, and the collection asked for here does not reach it.
      console.log(`after a full collection of the main thread's heap: idle worker RSS ${mib(idle.rss)}, main thread's V8 heap ${mib(idle.memory.heapUsed)}; ${settledAt.map((m) => `holding ${m.open}: RSS ${mib(m.rss)}, main thread's V8 heap ${mib(m.memory.heapUsed)}, external+buffers ${mib(m.memory.external + m.memory.arrayBuffers)}`).join('; ')}`);
      const [first, second] = settledAt;
      if (first && second && second.open > first.open) {
        const per = (a: number, b: number) => `${((b - a) / (second.open - first.open) / 1024).toFixed(0)} KiB`;
        console.log(`each open application from ${first.open} to ${second.open}: RSS ${per(first.rss, second.rss)}, main thread's V8 heap ${per(first.memory.heapUsed, second.memory.heapUsed)}`);
      }
    }
    return waiting === run.count && peak < GIB ? 0 : 1;
  } finally {
    clearInterval(progress);
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}
