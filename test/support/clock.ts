/** Moving time in a test: the time-skipping server's, and the clocks that must follow it. */
import { expect } from 'vitest';
import type { Harness } from './harness.js';

/**
 * Moves process time to `at`. The sandbox registries' clock follows, so their answers are of that
 * day, and so does the gateway's, so a request is judged on the day the processes are at (a
 * renewal's window).
 */
export async function skipTo(h: Harness, at: string | number): Promise<void> {
  const target = typeof at === 'number' ? at : Date.parse(at);
  const offsetMs = target - Date.now();
  const res = await fetch(`${h.sandboxUrl}/control/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ offsetMs }) });
  expect(res.status).toBe(200);
  h.deps.now = () => Date.now() + offsetMs;
  const now = await h.env.currentTimeMs();
  if (target > now) await h.env.sleep(target - now);
}

