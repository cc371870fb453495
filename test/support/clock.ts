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
  await sleepUntil(h, target);
}

/**
 * Moves the test server's time `ms` forward (the other clocks stay where they are), a day per call
 * as `skipTo` does: use it rather than one `env.sleep` of days.
 */
export async function advance(h: Pick<Harness, 'env'>, ms: number): Promise<void> {
  await sleepUntil(h, (await h.env.currentTimeMs()) + ms);
}

/**
 * A day at a time, from the server's own clock each time. One sleep of months keeps its call open
 * for minutes; the test server closes the connection now and then over the client's keepalive
 * pings ("excess pings" in the log), and the SDK's retry of a call cut off that way sends the same
 * relative sleep again from where time had got to: months past the target (a CI run's 57-month
 * skip timed out after such a close). A retried day overshoots by a day at most.
 */
async function sleepUntil(h: Pick<Harness, 'env'>, target: number): Promise<void> {
  for (;;) {
    const now = await h.env.currentTimeMs();
    if (now >= target) return;
    await h.env.sleep(Math.min(target - now, DAY_MS));
  }
}

const DAY_MS = 86_400_000;

