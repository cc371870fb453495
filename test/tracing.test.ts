/**
 * Tracing end to end: one application is one trace, from the portal's request through the gateway,
 * Temporal, the workflow and its activities to the registry, and back by the registry's signed
 * callback to the signal the workflow handles; and no span says whom it is about.
 */
import { trace, ProxyTracerProvider } from '@opentelemetry/api';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inquiries } from '../db/schema/index.js';
import { activeTracing, startTracing, stopTracing, tracingClientInterceptors, tracingWorkerOptions } from '../platform/tracing.js';
import { api, decide, eventually, generatedApplication, taskInInbox } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver.js';
import { officeTokens } from './support/tokens.js';

describe('tracing off', () => {
  it('registers no tracer provider, no interceptors and no propagator when no OTLP endpoint is set', () => {
    expect(startTracing('parvaneh-test', {})).toBeUndefined();
    expect(activeTracing()).toBeUndefined();
    const provider = trace.getTracerProvider() as ProxyTracerProvider;
    expect(provider.getDelegate().constructor.name).toBe('NoopTracerProvider');
    expect(tracingClientInterceptors()).toBeUndefined();
    expect(tracingWorkerOptions()).toEqual({});
  });
});

describe('tracing on', () => {
  let receiver: OtlpReceiver;
  let h: Harness;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    startTracing('parvaneh-test', { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    h = await startHarness({ tracing: true });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await stopTracing();
    await receiver?.close();
  });

  /** Flushes what is batched, until `found` finds what it looks for among the received spans. */
  const spansUntil = <T>(found: (spans: ReceivedSpan[]) => T | undefined, what: string) => eventually(async () => {
    await activeTracing()!.provider.forceFlush();
    return found(receiver.spans);
  }, what, 60_000);

  it('follows an application from the portal\'s request to the registry\'s callback and the signal in one trace, with no national code on any span', async () => {
    const tokens = await officeTokens(h);
    const application = await generatedApplication(61_001);
    const submitted = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: tokens.portal, body: application });
    expect(submitted.status, submitted.text).toBe(202);
    const { applicationId } = submitted.body;
    // The interview sends the file to vetting: the security office answers later, by callback.
    await decide(h, tokens.ahvaz, (await taskInInbox(h, tokens.ahvaz, applicationId, 'initial-interview')).id, 'accept');
    await eventually(async () => {
      const [row] = await h.db.db.select().from(inquiries).where(and(eq(inquiries.applicationId, applicationId), eq(inquiries.registry, 'security-clearance')));
      return row?.status === 'answered' ? row : undefined;
    }, 'the security clearance answered by callback');

    const submission = await spansUntil((spans) => spans.find((s) => s.name === 'POST /v1/applications' && s.kind === 2), 'the submission\'s span');
    const traceId = submission.traceId;
    const ofApplication = (spans: ReceivedSpan[]) => spans.filter((s) => s.traceId === traceId);
    const expected = [
      'StartWorkflow:licenceProcess', // the gateway's Temporal client
      'StartActivity:sendInquiry', // the workflow schedules the inquiry
      'RunActivity:sendInquiry', // the worker runs it
      'POST /registries/:registry/inquiries', // the sandbox registry receives it
      'POST /v1/callbacks/registries/:registry', // the gateway receives the registry's callback
      'SignalWorkflow:registryAnswer', // and signals the workflow
      'HandleSignal:registryAnswer', // which handles the answer
    ];
    // Each registry's callback is the child of the registry's span for its inquiry (the trace came
    // back with it), its signal the child of the callback, the workflow's handling the signal's.
    const callbacksOf = (spans: ReceivedSpan[]) => spans.filter((s) => s.name === 'POST /v1/callbacks/registries/:registry');
    const childOf = (spans: ReceivedSpan[], parent: ReceivedSpan | undefined, name: string) => parent && spans.find((s) => s.parentSpanId === parent.spanId && s.name === name);
    const handled = (spans: ReceivedSpan[], callback: ReceivedSpan) => childOf(spans, childOf(spans, callback, 'SignalWorkflow:registryAnswer'), 'HandleSignal:registryAnswer');
    const traced = await spansUntil((spans) => {
      const ours = ofApplication(spans);
      const names = new Set(ours.map((s) => s.name));
      const callbacks = callbacksOf(ours);
      const complete = expected.every((name) => names.has(name)) && callbacks.length === 2 && callbacks.every((callback) => handled(ours, callback));
      return complete ? ours : undefined;
    }, `${expected.join(', ')} in the application's trace, each callback's signal handled under it`);
    const callbacks = callbacksOf(traced);
    expect(callbacks.map((s) => s.attributes.find((a) => a.key === 'url.full')?.value.stringValue?.split('/').pop()).sort()).toEqual(['criminal-record', 'security-clearance']);
    for (const callback of callbacks) expect(traced.find((s) => s.spanId === callback.parentSpanId)?.name).toBe('POST /registries/:registry/inquiries');
    // The registry's inquiry span is the child of the activity that made the inquiry.
    const inquiry = traced.find((s) => s.spanId === callbacks[0]!.parentSpanId)!;
    expect(traced.find((s) => s.spanId === inquiry.parentSpanId)?.name).toBe('RunActivity:sendInquiry');
    // Workflow spans name the workflow by its ids only.
    const inquiryStart = traced.find((s) => s.name === 'StartActivity:sendInquiry')!;
    expect(inquiryStart.attributes.map((a) => a.key).sort()).toEqual(['run_id', 'temporalTaskQueue', 'temporalWorkflowId', 'temporalWorkflowType']);

    // Nobody is named: neither the applicant nor the manager, by national code or by name.
    const everything = receiver.bodies.join('\n');
    const manager = application.manager?.kind === 'nominee' ? [application.manager.person as typeof application.applicant] : [];
    for (const person of [application.applicant, ...manager]) {
      for (const personal of [person.nationalCode, person.firstName, person.lastName]) expect(everything).not.toContain(personal);
    }
    expect(everything).not.toContain('Bearer ');
  });
});

describe('tracing on, with registries that bring no trace back (as real ones do not)', () => {
  let receiver: OtlpReceiver;
  let h: Harness;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    startTracing('parvaneh-test', { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    h = await startHarness({ tracing: true, untracedSandbox: true });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await stopTracing();
    await receiver?.close();
  });

  it('links each registry\'s callback, a trace of its own, to the activity that sent the inquiry in the application\'s trace', async () => {
    const tokens = await officeTokens(h);
    const submitted = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: tokens.portal, body: await generatedApplication(61_002) });
    expect(submitted.status, submitted.text).toBe(202);
    const { applicationId } = submitted.body;
    await decide(h, tokens.ahvaz, (await taskInInbox(h, tokens.ahvaz, applicationId, 'initial-interview')).id, 'accept');
    const rows = await eventually(async () => {
      const found = await h.db.db.select().from(inquiries).where(eq(inquiries.applicationId, applicationId));
      const late = found.filter((r) => r.registry === 'security-clearance' || r.registry === 'criminal-record');
      return late.length === 2 && late.every((r) => r.status === 'answered') ? late : undefined;
    }, 'both late registries answered by callback');

    const flushed = <T>(found: (spans: ReceivedSpan[]) => T | undefined, what: string) => eventually(async () => {
      await activeTracing()!.provider.forceFlush();
      return found(receiver.spans);
    }, what, 60_000);
    const submission = await flushed((spans) => spans.find((s) => s.name === 'POST /v1/applications' && s.kind === 2), 'the submission\'s span');
    // Each inquiry recorded the trace of the activity that sent it: the application's.
    for (const row of rows) expect(row.traceParent?.split('-')[1]).toBe(submission.traceId);
    const senders = (spans: ReceivedSpan[]) => spans.filter((s) => s.traceId === submission.traceId && s.name === 'RunActivity:sendInquiry');
    const callbacks = await flushed((spans) => {
      const found = spans.filter((s) => s.name === 'POST /v1/callbacks/registries/:registry');
      const handled = found.filter((c) => {
        const signal = spans.find((s) => s.parentSpanId === c.spanId && s.name === 'SignalWorkflow:registryAnswer');
        return signal && spans.some((s) => s.parentSpanId === signal.spanId && s.name === 'HandleSignal:registryAnswer');
      });
      return handled.length === 2 ? handled : undefined;
    }, 'both callbacks, each signalled and handled');
    const sent = senders(receiver.spans).map((s) => s.spanId);
    for (const callback of callbacks) {
      // A trace of its own (no traceparent came with it), linked to the span of the inquiry's activity.
      expect(callback.traceId).not.toBe(submission.traceId);
      expect(callback.parentSpanId ?? '').toBe('');
      expect(callback.links?.map((l) => l.traceId)).toEqual([submission.traceId]);
      expect(sent).toContain(callback.links![0]!.spanId);
    }
  });
});
