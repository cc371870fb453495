/**
 * The workflow half of tracing (platform/tracing.ts): Temporal's OpenTelemetry interceptors, bundled
 * only when tracing is on (worker/create-worker.ts). They add spans, never commands: a workflow's
 * execution, each signal it handles and each activity it schedules gets a span, joined to the
 * caller's trace by the headers the client and the activities carry; finished spans leave through
 * the worker's `exporter` sink, and only outside replay.
 *
 * One change to the SDK's interceptors: their span ids come from a counter under the run id instead
 * of the workflow's seeded `Math.random`, so a traced workflow draws the same random numbers as an
 * untraced one (the outbox delivery's jitter comes from `uuid4()`), whichever worker runs it.
 */
// First: it gives the sandbox the `performance` clock OpenTelemetry reads as it loads (from Date, which replays).
import '@temporalio/interceptors-opentelemetry/lib/workflow/runtime.js';
import { BasicTracerProvider, SimpleSpanProcessor, type IdGenerator } from '@opentelemetry/sdk-trace-base';
import {
  OpenTelemetryInboundInterceptor, OpenTelemetryInternalsInterceptor, OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow/index.js';
import { SpanExporter } from '@temporalio/interceptors-opentelemetry/lib/workflow/span-exporter.js';
import { workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

let spansStarted = 0;

/** Ids from the run id: the trace of a workflow started without one, and each span's own. */
const runIdIds: IdGenerator = {
  generateTraceId: () => workflowInfo().runId.replaceAll('-', '').padEnd(32, '0').slice(0, 32),
  generateSpanId: () => {
    spansStarted += 1;
    return `${workflowInfo().runId.replaceAll('-', '').slice(0, 8).padEnd(8, '0')}${spansStarted.toString(16).padStart(8, '0')}`;
  },
};

let tracer: ReturnType<BasicTracerProvider['getTracer']> | undefined;
const workflowTracer = () => {
  tracer ??= new BasicTracerProvider({ idGenerator: runIdIds, spanProcessors: [new SimpleSpanProcessor(new SpanExporter())] })
    .getTracer('@temporalio/interceptor-workflow');
  return tracer;
};

class Inbound extends OpenTelemetryInboundInterceptor {
  protected override readonly tracer = workflowTracer();
}

class Outbound extends OpenTelemetryOutboundInterceptor {
  protected override readonly tracer = workflowTracer();
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [new Inbound()],
  outbound: [new Outbound()],
  internals: [new OpenTelemetryInternalsInterceptor()],
});
