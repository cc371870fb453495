/**
 * CPU time by part of the system, read from Linux's /proc: this process (the worker, with the
 * gateway, the sandbox and the decider the benchmark runs beside it), the Temporal server, and
 * PostgreSQL (its postmaster and every backend). Taken before and after a variant's rounds, the
 * difference says where an application's cost lands. Processes are told apart by their command
 * name, so anything else named `temporal` or `postgres` on the machine counts too: run it alone.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export const CPU_PARTS = ['worker process', 'temporal', 'postgres'] as const;
export type CpuPart = (typeof CPU_PARTS)[number];
export type CpuTimes = Record<CpuPart, number>;

let tickMs: number | undefined;
/** Milliseconds per clock tick, the unit of /proc's times (CLK_TCK; 100 a second on Linux). */
function msPerTick(): number {
  if (tickMs === undefined) {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    tickMs = 1000 / (Number.isFinite(ticks) && ticks > 0 ? ticks : 100);
  }
  return tickMs;
}

/** The command name and the user and system time (ticks) of a /proc/<pid>/stat line. */
function parseStat(line: string): { comm: string; ticks: number } {
  // The name is in parentheses and may hold spaces; the fields after it are space-separated.
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  const fields = line.slice(close + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name and state.
  return { comm: line.slice(open + 1, close), ticks: Number(fields[11]) + Number(fields[12]) };
}

/** CPU milliseconds used so far by each part (processes that ended are not counted). */
export function cpuTimes(): CpuTimes {
  const times: CpuTimes = { 'worker process': 0, temporal: 0, postgres: 0 };
  const tick = msPerTick();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: { comm: string; ticks: number };
    try {
      stat = parseStat(readFileSync(`/proc/${entry}/stat`, 'utf8'));
    } catch {
      continue; // ended while we looked
    }
    if (Number(entry) === process.pid) times['worker process'] += stat.ticks * tick;
    else if (stat.comm === 'temporal') times.temporal += stat.ticks * tick;
    else if (stat.comm === 'postgres') times.postgres += stat.ticks * tick;
  }
  return times;
}

/** `after` less `before`, part by part. */
export function cpuSpent(before: CpuTimes, after: CpuTimes): CpuTimes {
  return Object.fromEntries(CPU_PARTS.map((part) => [part, after[part] - before[part]])) as CpuTimes;
}
