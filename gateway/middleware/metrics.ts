/**
 * Prometheus metrics: a request counter and a latency histogram by method, route pattern and
 * status, plus prom-client's default process metrics, served as text on `GET /metrics`.
 *
 * Mount `httpMetrics` right after `requestId` (outside `signResponses`, so the time includes
 * signing). `/metrics` tells about the service's load and internals: expose it to the monitoring
 * network only (see docs/security.md).
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { routePattern } from './route-pattern.js';

const LABELS = ['method', 'route', 'status'] as const;

/**
 * A registry with the default process metrics (CPU, memory, event loop lag, GC, handles).
 *
 * @example
 * const registry = createMetricsRegistry();
 * app.use('*', httpMetrics({ registry }));
 * app.route('/', metricsRoute({ registry }));
 */
export function createMetricsRegistry({ prefix = 'parvaneh_' }: { prefix?: string } = {}): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix });
  return registry;
}

function httpInstruments(registry: Registry) {
  const counter = (registry.getSingleMetric('http_requests_total') as Counter<(typeof LABELS)[number]> | undefined)
    ?? new Counter({ name: 'http_requests_total', help: 'HTTP requests answered, by method, route pattern and status', labelNames: LABELS, registers: [registry] });
  const latency = (registry.getSingleMetric('http_request_duration_seconds') as Histogram<(typeof LABELS)[number]> | undefined)
    ?? new Histogram({
      name: 'http_request_duration_seconds', help: 'Time to answer an HTTP request, by method, route pattern and status',
      labelNames: LABELS, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry],
    });
  return { counter, latency };
}

/** Counts and times every request passing through it. */
export function httpMetrics({ registry }: { registry: Registry }): MiddlewareHandler {
  const { counter, latency } = httpInstruments(registry);
  return async function measureRequest(c, next) {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const labels = { method: c.req.method, route: routePattern(c), status: String(c.res.status) };
      counter.inc(labels);
      latency.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    }
  };
}

/** `GET /metrics` in the Prometheus text exposition format. */
export function metricsRoute({ registry, path = '/metrics' }: { registry: Registry; path?: string }): Hono {
  const app = new Hono();
  app.get(path, async (c) => c.body(await registry.metrics(), 200, { 'content-type': registry.contentType }));
  return app;
}
