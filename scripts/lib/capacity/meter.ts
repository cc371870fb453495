/**
 * What a run has cost so far, read from the outside: every workflow's history (through
 * bench:process's measureHistories), every table's rows and bytes, and the CPU seconds of the
 * processes taking part. Two snapshots subtracted give the cost of what ran between them.
 */
import type { Client } from '@temporalio/client';
import { readdirSync, readFileSync } from 'node:fs';
import postgres from 'postgres';
import { workflowIdFor } from '../../../domain/workflow-interfaces/licence-process.js';
import { measureHistories } from '../bench-process/history.js';

/** Temporal's side: sums over every workflow's (latest run's) history. */
export interface TemporalCost {
  executions: number;
  events: number;
  bytes: number;
  activities: number;
  localActivities: number;
  timers: number;
  signals: number;
  workflowTasks: number;
}

export interface Snapshot {
  temporal: TemporalCost;
  /** Rows and `pg_total_relation_size` bytes by table. */
  tables: Record<string, { rows: number; bytes: number }>;
  /** CPU seconds (user + system) by process role. */
  cpu: Record<string, number>;
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on Linux). */
const TICKS = 100;

/** User + system CPU seconds of a process, from /proc/<pid>/stat (fields 14 and 15). */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** The pid of this process's child whose command name starts with `name` (the Temporal server the SDK spawned). */
export function childNamed(name: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && comm.startsWith(name)) return Number(entry);
    } catch {
      // the process ended while the list was read
    }
  }
  return undefined;
}

async function tableSizes(url: string): Promise<Snapshot['tables']> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const relations = await sql<{ schema: string; name: string; bytes: string }[]>`
      select n.nspname as schema, c.relname as name, pg_total_relation_size(c.oid)::text as bytes
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'`;
    const tables: Snapshot['tables'] = {};
    for (const r of relations) {
      const [{ n }] = await sql<[{ n: string }]>`select count(*)::text as n from ${sql(r.schema)}.${sql(r.name)}`;
      tables[r.schema === 'public' ? r.name : `${r.schema}.${r.name}`] = { rows: Number(n), bytes: Number(r.bytes) };
    }
    return tables;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Every process of the run: applications, their children and standing processes all have an `applications` row. */
async function workflowIds(url: string): Promise<string[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return (await sql<{ id: string }[]>`select id from applications order by id`).map((r) => workflowIdFor(r.id));
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function temporalCost(client: Client, ids: string[]): Promise<TemporalCost> {
  const h = await measureHistories(client, ids, ids.length);
  const n = h.sampled;
  // taskSpread is `tasks×workflows …`: the total of workflow tasks completed.
  const workflowTasks = h.taskSpread.split(' ').filter(Boolean).reduce((sum, part) => {
    const [tasks, runs] = part.split('×').map(Number) as [number, number];
    return sum + tasks * runs;
  }, 0);
  return {
    executions: n, events: h.events * n, bytes: h.bytes * n, activities: h.work.activities * n,
    localActivities: h.work.localActivities * n, timers: h.work.timers * n, signals: h.work.signals * n, workflowTasks,
  };
}

/** Reads everything; `pids`: the processes whose CPU is counted, by role (`self` is this process). */
export async function snapshot(client: Client, databaseUrl: string, pids: Record<string, number | undefined>): Promise<Snapshot> {
  const cpu: Record<string, number> = {};
  for (const [role, pid] of Object.entries(pids)) {
    if (pid === undefined) continue;
    if (pid === process.pid) {
      const { user, system } = process.cpuUsage();
      cpu[role] = (user + system) / 1e6;
    } else {
      cpu[role] = cpuSecondsOf(pid);
    }
  }
  const [temporal, tables] = await Promise.all([temporalCost(client, await workflowIds(databaseUrl)), tableSizes(databaseUrl)]);
  return { temporal, tables, cpu };
}

/** A cost: what ran between two snapshots, divided by `per`. */
export interface Cost {
  temporal: TemporalCost;
  tables: Record<string, { rows: number; bytes: number }>;
  rows: number;
  bytes: number;
  cpu: Record<string, number>;
}

/** (after − before) / per. */
export function costBetween(before: Snapshot, after: Snapshot, per: number): Cost {
  const temporal = Object.fromEntries(Object.keys(after.temporal).map((k) => {
    const key = k as keyof TemporalCost;
    return [key, (after.temporal[key] - before.temporal[key]) / per];
  })) as unknown as TemporalCost;
  const tables: Cost['tables'] = {};
  for (const [name, t] of Object.entries(after.tables)) {
    const b = before.tables[name] ?? { rows: 0, bytes: 0 };
    if (t.rows === b.rows && t.bytes === b.bytes) continue;
    tables[name] = { rows: (t.rows - b.rows) / per, bytes: (t.bytes - b.bytes) / per };
  }
  const cpu = Object.fromEntries(Object.entries(after.cpu).map(([role, s]) => [role, (s - (before.cpu[role] ?? 0)) / per]));
  const rows = Object.values(tables).reduce((s, t) => s + t.rows, 0);
  const bytes = Object.values(tables).reduce((s, t) => s + t.bytes, 0);
  return { temporal, tables, rows, bytes, cpu };
}

/** a − b × k, figure by figure (what a span cost beyond `k` units of another cost). */
export function costMinus(a: Cost, b: Cost, k: number): Cost {
  const temporal = Object.fromEntries(Object.keys(a.temporal).map((key) => {
    const f = key as keyof TemporalCost;
    return [f, a.temporal[f] - b.temporal[f] * k];
  })) as unknown as TemporalCost;
  const tables: Cost['tables'] = {};
  for (const name of new Set([...Object.keys(a.tables), ...Object.keys(b.tables)])) {
    const x = a.tables[name] ?? { rows: 0, bytes: 0 }, y = b.tables[name] ?? { rows: 0, bytes: 0 };
    tables[name] = { rows: x.rows - y.rows * k, bytes: x.bytes - y.bytes * k };
  }
  const cpu = Object.fromEntries(Object.keys(a.cpu).map((role) => [role, (a.cpu[role] ?? 0) - (b.cpu[role] ?? 0) * k]));
  return { temporal, tables, rows: a.rows - b.rows * k, bytes: a.bytes - b.bytes * k, cpu };
}
