/**
 * OpenTelemetry tracing, off unless configured: `startTracing` registers a tracer provider only
 * when `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set, so an
 * unconfigured process registers nothing and its hot paths run no middleware and no interceptors.
 * Spans go out in batches over OTLP/HTTP (the standard `OTEL_*` settings), context travels as W3C
 * trace context, and every span passes `redactSpan` first.
 *
 * @example
 * const tracing = startTracing('parvaneh-gateway'); // undefined when not configured
 * const client = new Client({ connection, interceptors: tracingClientInterceptors() });
 * await stopTracing(); // flushes what is still batched
 */
import { ROOT_CONTEXT, context, propagation, trace, type Attributes, type Context } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource, envDetectorSync } from '@opentelemetry/resources';
import { BatchSpanProcessor, type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_URL_FULL } from '@opentelemetry/semantic-conventions';
import {
  OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor, OpenTelemetryWorkflowClientInterceptor, makeWorkflowExporter,
  type OpenTelemetryWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { InjectedSink, WorkerOptions } from '@temporalio/worker';
import type { WorkflowInfo } from '@temporalio/workflow';
import { redactText } from './redact.js';

/** A started tracer provider and what the worker's workflow span sink needs of it. */
export interface Tracing {
  provider: NodeTracerProvider;
  /** Where finished spans go (redacted, then batched to the exporter); workflow spans are handed to it by the worker's sink. */
  spanProcessor: SpanProcessor;
  resource: Resource;
}

let active: Tracing | undefined;

/** Whether the environment asks for traces (an OTLP endpoint is set). */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * Starts tracing for this process when configured, once (a second call returns the first's).
 * `serviceName` is the default of `OTEL_SERVICE_NAME`. The exporter reads the endpoint, headers,
 * timeout and compression from the standard `OTEL_EXPORTER_OTLP_*` variables itself.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (active) return active;
  if (!tracingConfigured(env)) return undefined;
  // OTEL_RESOURCE_ATTRIBUTES (read by envDetectorSync) wins over the default, OTEL_SERVICE_NAME over both.
  const resource = Resource.default().merge(new Resource({ [ATTR_SERVICE_NAME]: serviceName })).merge(envDetectorSync.detect())
    .merge(env.OTEL_SERVICE_NAME ? new Resource({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME }) : Resource.empty());
  // The signal's own endpoint as given, the general one with the signal's path (as the OTLP specification says).
  const url = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || `${env.OTEL_EXPORTER_OTLP_ENDPOINT!.replace(/\/+$/, '')}/v1/traces`;
  const spanProcessor = redacting(new BatchSpanProcessor(new OTLPTraceExporter({ url })));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  active = { provider, spanProcessor, resource };
  return active;
}

/** The tracing `startTracing` started, if any. */
export function activeTracing(): Tracing | undefined {
  return active;
}

/** Exports what is still batched and stops the provider (on shutdown); nothing when tracing is off. */
export async function stopTracing(): Promise<void> {
  const stopping = active;
  active = undefined;
  if (!stopping) return;
  // A collector that is down must not fail the process's stop: its last spans are lost, and said so.
  await stopping.provider.shutdown().catch((error: unknown) => console.warn(`[tracing] the last spans were not exported: ${(error as Error).message}`));
  trace.disable();
  propagation.disable();
  context.disable();
}

/** Temporal client interceptors that carry the caller's trace into workflow starts and signals; `undefined` when tracing is off. */
export function tracingClientInterceptors(): { workflow: WorkflowClientInterceptor[] } | undefined {
  return active ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : undefined;
}

/**
 * What a worker adds when tracing is on: the activity interceptors (an activity's span joins the
 * workflow's trace, and its outgoing calls run inside it) and the sink workflow spans leave by.
 * Empty when tracing is off. The workflow interceptors themselves are bundled by the worker
 * (workflows/tracing-interceptors.ts).
 */
export function tracingWorkerOptions(): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  if (!active) return {};
  const sdkExporter = makeWorkflowExporter(active.spanProcessor, active.resource);
  // The SDK's sink copies the whole workflow info onto every workflow span (memo, search
  // attributes, the last failure and result); ours hands it the ids only.
  const exporter: InjectedSink<OpenTelemetryWorkflowExporter> = {
    export: { fn: (info, spans) => sdkExporter.export.fn(workflowIds(info) as unknown as WorkflowInfo, spans) },
  };
  return {
    interceptors: {
      activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })],
    },
    sinks: { exporter },
  };
}

/** The ids of a workflow, as span attributes (the names the SDK's interceptors use). */
function workflowIds(info: WorkflowInfo): Record<string, string> {
  return { temporalWorkflowId: info.workflowId, run_id: info.runId, temporalWorkflowType: info.workflowType, temporalTaskQueue: info.taskQueue };
}

/**
 * The trace context of `of` (default: the active one) as W3C headers (`traceparent`,
 * `tracestate`), for an outgoing request or to keep with something answered later. Empty when
 * tracing is off or there is no span.
 */
export function traceHeaders(of: Context = context.active()): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(of, headers);
  return headers;
}

/**
 * Links the span in progress (a registry's callback) to the trace `traceparent` names (the
 * activity that sent the inquiry), when that span belongs to another trace: a callback from a
 * registry that carries no trace context of its own starts a new trace, and the link joins it to
 * the application's. Nothing when tracing is off or there is nothing to link.
 */
export function linkToTrace(traceparent: string | null | undefined): void {
  const span = trace.getActiveSpan();
  if (!traceparent || !span) return;
  const linked = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, { traceparent }));
  if (!linked || linked.traceId === span.spanContext().traceId) return;
  span.addLink({ context: linked });
}

/**
 * Wraps a processor so that no span leaves with a query string in its URL (`url.full`): a query
 * may hold personal data or a secret (the console's sign-in `code`, the sandbox's `nationalCode`
 * filter). Everything else on our spans is set by our own code or the interceptors, which record
 * ids, never payloads (docs/operations.md, Tracing); what a failure's message may quote (an
 * exception recorded on a span, its status) is redacted as a log line is (platform/redact.ts).
 */
/** Redacts the string values of an ended span's (or event's) attributes in place. */
function redactStrings(attributes: Attributes | undefined): void {
  if (!attributes) return;
  const writable = attributes as Record<string, unknown>;
  for (const [key, value] of Object.entries(writable)) if (typeof value === 'string') writable[key] = redactText(value);
}

function redacting(next: SpanProcessor): SpanProcessor {
  return {
    onStart(span: Span, parent: Context) {
      const url = span.attributes[ATTR_URL_FULL];
      if (typeof url === 'string' && url.includes('?')) span.setAttribute(ATTR_URL_FULL, url.slice(0, url.indexOf('?')));
      next.onStart(span, parent);
    },
    onEnd(span: ReadableSpan) {
      redactStrings(span.attributes);
      for (const event of span.events) redactStrings(event.attributes);
      if (span.status.message) (span.status as { message?: string }).message = redactText(span.status.message);
      next.onEnd(span);
    },
    forceFlush: () => next.forceFlush(),
    shutdown: () => next.shutdown(),
  };
}
