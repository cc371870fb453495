/** A standalone worker serves its counters to Prometheus, and nothing else. */
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { serveMetrics } from './metrics.js';

describe('the worker\'s metrics', () => {
  it('serves its registry on GET /metrics in the Prometheus text format, and 404 elsewhere', async () => {
    const registry = new Registry();
    new Counter({ name: 'parvaneh_process_faults_total', help: 'faults', labelNames: ['definition', 'step'], registers: [registry] })
      .inc({ definition: 'welfare-services-centre', step: 'civil-registry' });
    const server = serveMetrics(registry, 0);
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const res = await fetch(`${base}/metrics`);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(await res.text()).toContain('parvaneh_process_faults_total{definition="welfare-services-centre",step="civil-registry"} 1');
      expect((await fetch(`${base}/`)).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
