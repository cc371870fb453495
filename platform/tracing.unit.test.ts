import { SpanStatusCode, context, trace, type ProxyTracerProvider } from '@opentelemetry/api';
import type { ReadableSpan, Span } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { startTracing, stopTracing, traceHeaders, tracingClientInterceptors, tracingConfigured, tracingWorkerOptions } from './tracing.js';

// Nothing listens on port 9 (discard): the one span these tests end is lost at the stop, as a collector's absence costs.
const endpoint = 'http://127.0.0.1:9';

afterEach(() => stopTracing());

describe('tracing', () => {
  it('is off without an OTLP endpoint: no provider, no interceptors, no trace headers', () => {
    expect(tracingConfigured({ OTEL_SERVICE_NAME: 'x' })).toBe(false);
    expect(startTracing('parvaneh-gateway', {})).toBeUndefined();
    expect((trace.getTracerProvider() as ProxyTracerProvider).getDelegate().constructor.name).toBe('NoopTracerProvider');
    expect(tracingClientInterceptors()).toBeUndefined();
    expect(tracingWorkerOptions()).toEqual({});
    expect(traceHeaders()).toEqual({});
  });

  it('is on with either endpoint setting, named by OTEL_SERVICE_NAME or the process\'s default', () => {
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${endpoint}/v1/traces` })).toBe(true);
    const tracing = startTracing('parvaneh-worker', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
    expect(tracing?.resource.attributes['service.name']).toBe('parvaneh-worker');
    expect(startTracing('another')).toBe(tracing);
    expect(tracingClientInterceptors()?.workflow).toHaveLength(1);
    expect(Object.keys(tracingWorkerOptions().sinks ?? {})).toEqual(['exporter']);
  });

  it('takes the service name from OTEL_SERVICE_NAME when set', () => {
    const tracing = startTracing('parvaneh-worker', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'worker-east' });
    expect(tracing?.resource.attributes['service.name']).toBe('worker-east');
  });

  it('carries the active span as a W3C traceparent', () => {
    startTracing('parvaneh-gateway', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
    const span = trace.getTracer('test').startSpan('inquiry');
    const headers = context.with(trace.setSpan(context.active(), span), () => traceHeaders());
    expect(headers.traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
  });

  it('drops the query string of a request\'s URL before the span is recorded', () => {
    startTracing('parvaneh-gateway', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
    const span = trace.getTracer('test').startSpan('GET /console/callback', { attributes: { 'url.full': 'http://127.0.0.1/console/callback?code=secret&state=s' } }) as unknown as Span;
    expect(span.attributes['url.full']).toBe('http://127.0.0.1/console/callback');
  });

  it('redacts what a recorded failure quotes before the span leaves', () => {
    const tracing = startTracing('parvaneh-worker', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint })!;
    const ended: ReadableSpan[] = [];
    tracing.provider.addSpanProcessor({ onStart: () => undefined, onEnd: (s) => ended.push(s), forceFlush: async () => undefined, shutdown: async () => undefined });
    const span = trace.getTracer('test').startSpan('RunActivity:sendInquiry');
    span.recordException(new Error('the registry refused 0012345679'));
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'the registry refused 0012345679' });
    span.end();
    expect(JSON.stringify(ended.map((s) => [s.events, s.status]))).not.toContain('0012345679');
    expect(ended[0]!.events[0]!.attributes!['exception.message']).toBe('the registry refused [REDACTED]');
  });
});
