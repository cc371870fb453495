import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { control, inquire, json } from './sandbox-client.js';
import { startSandbox, type RunningSandbox } from './server.js';

let sandbox: RunningSandbox;
let url: string;
let seq = 0;
const ask = (registry = 'civil-registry') => inquire(url, registry, `f-${++seq}`, '0012345679');

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  url = sandbox.url;
});
afterAll(() => sandbox.close());
beforeEach(() => control(url, 'POST', '/control/reset'));

describe('fault injection', () => {
  it('answers 503 problem+json with Retry-After during an outage, until the sandbox clock passes it', async () => {
    const { now } = json(await control(url, 'GET', '/control/clock'));
    const outageUntilMs = Date.parse(now) + 60_000;
    await control(url, 'POST', '/control/faults', { registry: 'civil-registry', outageUntilMs });
    const down = await ask();
    expect(down.status).toBe(503);
    expect(down.contentType).toBe('application/problem+json');
    expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await ask('addiction')).status).toBe(200);
    await control(url, 'POST', '/control/clock', { advanceMs: 61_000 });
    expect((await ask()).status).toBe(200);
    await control(url, 'POST', '/control/clock', { offsetMs: 0 });
  });

  it('returns a truncated body that fails JSON.parse when malformed is set', async () => {
    await control(url, 'POST', '/control/faults', { registry: 'civil-registry', malformed: true });
    const res = await ask();
    expect(res.status).toBe(200);
    expect(() => JSON.parse(res.text)).toThrow();
  });

  it('fails a seeded share of requests reproducibly', async () => {
    const run = async () => {
      await control(url, 'POST', '/control/faults', { registry: 'addiction', errorRate: 0.5, seed: 7 });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await ask('addiction')).status);
      return statuses;
    };
    const first = await run();
    expect(first).toContain(503);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });

  it('delays answers by the configured latency', async () => {
    await control(url, 'POST', '/control/faults', { registry: 'civil-registry', latencyMs: 250 });
    const start = performance.now();
    expect((await ask()).status).toBe(200);
    expect(performance.now() - start).toBeGreaterThanOrEqual(240);
  });

  it('clears faults with DELETE /control/faults and with reset', async () => {
    await control(url, 'POST', '/control/faults', { registry: 'civil-registry', errorRate: 1 });
    expect((await ask()).status).toBe(503);
    await control(url, 'DELETE', '/control/faults');
    expect((await ask()).status).toBe(200);
    await control(url, 'POST', '/control/faults', { registry: 'civil-registry', errorRate: 1 });
    await control(url, 'POST', '/control/reset');
    expect(json(await control(url, 'GET', '/control/faults'))).toEqual([]);
    expect((await ask()).status).toBe(200);
  });

  it('rejects a fault for an unknown registry', async () => {
    expect((await control(url, 'POST', '/control/faults', { registry: 'tax-office', errorRate: 1 })).status).toBe(400);
  });
});
