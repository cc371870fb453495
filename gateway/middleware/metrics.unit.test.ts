/** Prometheus metrics over real HTTP: labelled by route pattern, never by raw path. */
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../services/errors.js';
import { serveApp, type Served } from '../../test/support/serve.js';
import { problemResponse } from '../problem.js';
import { signResponses } from '../sign-responses.js';
import { createSigningKeyStore } from '../../platform/signing-keys.js';
import { createMetricsRegistry, httpMetrics, metricsRoute } from './metrics.js';

let served: Served;

beforeAll(async () => {
  const registry = createMetricsRegistry();
  const app = new Hono();
  app.use('*', requestId({ headerName: 'x-request-id' }));
  app.use('*', httpMetrics({ registry }));
  app.use('*', signResponses({ keys: await createSigningKeyStore() }));
  app.onError((error, c) => problemResponse(c, error));
  app.notFound((c) => problemResponse(c, new DomainError('not-found', 'no-such-route', { fa: 'مسیر یافت نشد', en: 'no such route' })));
  app.route('/', metricsRoute({ registry }));
  const v1 = new Hono();
  v1.get('/applications/:id', (c) => c.json({ id: c.req.param('id') }));
  v1.post('/applications', (c) => c.json({ ok: true }, 202));
  v1.get('/broken', () => { throw new Error('boom'); });
  app.route('/v1', v1);
  served = await serveApp(app);
});
afterAll(async () => { await served?.close(); });

describe('metrics', () => {
  it('counts requests by method, route pattern and status, and times them', async () => {
    await fetch(`${served.base}/v1/applications/3f1c2a9e-0012345679`);
    await fetch(`${served.base}/v1/applications/9d8e7f6a`);
    await fetch(`${served.base}/v1/applications`, { method: 'POST' });
    await fetch(`${served.base}/v1/broken`);
    await fetch(`${served.base}/v1/nowhere/0012345679`);
    const res = await fetch(`${served.base}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('http_requests_total{method="GET",route="/v1/applications/:id",status="200"} 2');
    expect(text).toContain('http_requests_total{method="POST",route="/v1/applications",status="202"} 1');
    expect(text).toContain('http_requests_total{method="GET",route="/v1/broken",status="500"} 1');
    expect(text).toContain('http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/v1\/applications\/:id",status="200"\} \d/);
    expect(text).toContain('http_request_duration_seconds_count{method="GET",route="/v1/applications/:id",status="200"} 2');
    expect(text).not.toContain('0012345679');
    expect(text).not.toContain('9d8e7f6a');
  });

  it('includes the default process metrics', async () => {
    const text = await (await fetch(`${served.base}/metrics`)).text();
    expect(text).toContain('# TYPE parvaneh_process_cpu_user_seconds_total counter');
    expect(text).toContain('parvaneh_nodejs_eventloop_lag_seconds');
    expect(text).toContain('parvaneh_process_resident_memory_bytes');
  });
});
