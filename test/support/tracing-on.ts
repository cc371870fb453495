/**
 * A vitest setup file that runs a test file with tracing on, exported to a receiver in the test's
 * own process: `npx vitest run --setupFiles test/support/tracing-on.ts test/replay.test.ts`. The
 * workflow bundle then takes the tracing interceptors, and the workers the activity interceptors
 * and the span sink (what the replay tests must show changes no command).
 */
import { afterAll } from 'vitest';
import { activeTracing, startTracing, stopTracing } from '../../platform/tracing.js';
import { startOtlpReceiver } from './otlp-receiver.js';

const receiver = await startOtlpReceiver();
startTracing('parvaneh-test', { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });

afterAll(async () => {
  await activeTracing()?.provider.forceFlush();
  console.log(`[tracing-on] ${receiver.spans.length} spans received`);
  await stopTracing();
  await receiver.close();
});
