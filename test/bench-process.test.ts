/**
 * `npm run bench:process` still runs and still compares like with like: a few applications of each
 * variant through the real script, its tables read back. Nothing here judges speed (the machines
 * are noisy); it checks that every application was approved, that the interpreted and hand-written
 * processes wrote the same timelines and sent statements the trivial one did not, and that the
 * CPU table found each part of the system at work.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

/** The cells of the row of `table` (the lines after its header) that starts with `name`. */
function row(lines: string[], header: string, name: string): number[] {
  const start = lines.findIndex((l) => l.startsWith(header));
  expect(start, `a table headed "${header}"`).toBeGreaterThanOrEqual(0);
  const line = lines.slice(start + 1).find((l) => l.startsWith(`${name} `));
  expect(line, `a "${name}" row under "${header}"`).toBeDefined();
  return line!.slice(name.length).trim().split(/\s+/).map((cell) => Number(cell.replace('%', '')));
}

describe('bench:process', () => {
  it('runs each variant to its licence and prints the tables with their baselines and ratios', async () => {
    const { stdout } = await run('npx', ['tsx', 'scripts/bench-process.ts', '--applications', '3', '--concurrency', '3', '--rounds', '1', '--warmup', '1'],
      { cwd: root, env: process.env, maxBuffer: 16 * 2 ** 20, timeout: 600_000 });
    const lines = stdout.split('\n');
    for (const variant of ['interpreted', 'hand-written', 'trivial']) {
      const [runs, approved, , throughput, , , events, , statements] = row(lines, 'variant ', variant);
      expect([runs, approved], `${variant}: every application approved`).toEqual([3, 3]);
      expect(throughput).toBeGreaterThan(0);
      expect(events).toBeGreaterThan(50);
      if (variant === 'trivial') expect(statements).toBe(0);
      else expect(statements).toBeGreaterThan(50);
      const [worker, temporal, postgres, total] = row(lines, 'CPU ms/run', variant);
      expect(worker, `${variant}: the worker's CPU`).toBeGreaterThan(0);
      expect(temporal, `${variant}: the Temporal server's CPU`).toBeGreaterThan(0);
      if (variant !== 'trivial') expect(postgres, `${variant}: PostgreSQL's CPU`).toBeGreaterThan(0);
      expect(total).toBeCloseTo(worker! + temporal! + postgres!, -1);
    }
    // The history's bytes by kind of event add up to the whole history (less protobuf's few bytes of framing per event).
    const kinds = ['workflow tasks', 'local activities', 'activity tasks', 'timers', 'signals in', 'signals out', 'children', 'patch markers', 'other'];
    const byKind = kinds.map((kind) => row(lines, 'KiB/run', kind));
    ['interpreted', 'hand-written', 'trivial'].forEach((variant, column) => {
      const whole = row(lines, 'variant ', variant)[7]!;
      const summed = byKind.reduce((sum, cells) => sum + cells[column]!, 0);
      expect(summed, `${variant}: KiB by kind against the history's ${whole} KiB`).toBeGreaterThan(whole * 0.9);
      expect(summed).toBeLessThanOrEqual(whole + 0.1 * kinds.length);
    });
    expect(stdout).toMatch(/^interpreted \/ trivial: +throughput \d+\.\d+x/m);
    expect(stdout).toMatch(/^interpreted \/ hand-written: throughput \d+\.\d+x/m);
    expect(stdout).toMatch(/^interpreted at half its reached rate .* p99 \d+ ms/m);
    expect(stdout).toMatch(/^timelines: identical shapes in both variants/m);
  }, 900_000);
});
