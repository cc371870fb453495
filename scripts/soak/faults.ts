/**
 * The soak's fault schedule, applied through the sandbox control API and the harness: error rates,
 * latency, outages, malformed replies, duplicate and reordered callbacks, a portal outage, and a
 * worker restart mid-run. Times are real seconds from the start of the soak.
 */
import { control, json } from '../../sandbox/sandbox-client.js';
import type { Harness } from '../../test/support/harness.js';

/** What was injected, for the report. */
export interface FaultLog {
  applied: string[];
  workerRestarts: number;
}

type Fault = Record<string, unknown> & { registry: string };

async function setFault(h: Harness, fault: Fault): Promise<void> {
  const res = await control(h.sandboxUrl, 'POST', '/control/faults', fault);
  if (res.status !== 200) throw new Error(`sandbox refused fault ${JSON.stringify(fault)}: ${res.status} ${res.text}`);
}

const sandboxNow = async (h: Harness): Promise<number> => Date.parse(json<{ now: string }>(await control(h.sandboxUrl, 'GET', '/control/clock')).now);

/** Starts the schedule; `stop()` clears every fault and waits for a restart in progress. */
export function injectFaults(h: Harness, log: (line: string) => void) {
  const faults: FaultLog = { applied: [], workerRestarts: 0 };
  const timers: NodeJS.Timeout[] = [];
  let inFlight: Promise<unknown> = Promise.resolve();
  let scheduled = 0;
  let fired = 0;
  const at = (seconds: number, what: string, action: () => Promise<void>) => {
    scheduled += 1;
    timers.push(setTimeout(() => {
      inFlight = action().then(() => { faults.applied.push(`${seconds}s ${what}`); log(`fault: ${what}`); },
        (error: unknown) => log(`fault ${what} failed: ${(error as Error).message}`)).finally(() => { fired += 1; });
    }, seconds * 1000));
  };
  const outage = async (registry: string, seconds: number, extra: Record<string, unknown> = {}) =>
    setFault(h, { registry, ...extra, outageUntilMs: (await sandboxNow(h)) + seconds * 1000 });

  at(0, 'civil registry: 10% errors, 20 ms latency', () => setFault(h, { registry: 'civil-registry', errorRate: 0.1, latencyMs: 20 }));
  at(0, 'addiction registry: 10% errors', () => setFault(h, { registry: 'addiction', errorRate: 0.1 }));
  at(0, 'security clearance: duplicate and reordered callbacks', () => setFault(h, { registry: 'security-clearance', duplicateCallbacks: true, reorderCallbacks: true }));
  at(0, 'portal: down for 20 s', () => outage('national-portal', 20));
  at(5, 'criminal record: down for 15 s, callbacks duplicated', () => outage('criminal-record', 15, { duplicateCallbacks: true }));
  at(10, 'military service: malformed replies for 4 s', () => setFault(h, { registry: 'military-service', malformed: true }));
  at(14, 'military service: healthy again', () => setFault(h, { registry: 'military-service' }));
  at(15, 'worker restarted', async () => {
    await h.stopWorker();
    await h.startWorker();
    faults.workerRestarts += 1;
  });
  at(30, 'portal: 20% errors', () => setFault(h, { registry: 'national-portal', errorRate: 0.2 }));
  at(45, 'higher education: down for 10 s', () => outage('higher-education', 10));

  return {
    log: faults,
    /** True once every scheduled fault has been applied (or failed to apply). */
    finished: () => fired === scheduled,
    async stop() {
      for (const t of timers) clearTimeout(t);
      await inFlight;
      await control(h.sandboxUrl, 'DELETE', '/control/faults');
    },
  };
}
