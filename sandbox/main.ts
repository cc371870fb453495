/**
 * Runnable sandbox: `tsx sandbox/main.ts`, or compiled, `node dist/sandbox/main.js`. Its settings
 * (SANDBOX_PORT, SANDBOX_HOST, SANDBOX_CALLBACK_URL, PARVANEH_JWKS_URL) are described, checked and
 * documented in platform/config.ts; a wrong one stops it with exit code 1 and a message naming it.
 * OTEL_EXPORTER_OTLP_ENDPOINT turns tracing on (platform/tracing.ts; service name parvaneh-sandbox).
 */
import { readConfig, SANDBOX_CONFIG, startProcess } from '../platform/config.js';
import { startTracing, stopTracing } from '../platform/tracing.js';
import { startSandbox } from './server.js';

startProcess('sandbox', async () => {
  const config = readConfig(SANDBOX_CONFIG);
  const tracing = startTracing('parvaneh-sandbox') !== undefined;
  const sandbox = await startSandbox({
    tracing,
    port: config.SANDBOX_PORT,
    host: config.SANDBOX_HOST,
    callbackBaseUrl: config.SANDBOX_CALLBACK_URL,
    parvanehJwksUrl: config.PARVANEH_JWKS_URL,
    log: (line) => console.log(`[sandbox] ${line}`),
  });

  console.log(`registry sandbox listening on ${sandbox.url}`);
  console.log(config.PARVANEH_JWKS_URL ? `portal verifies notifications against ${config.PARVANEH_JWKS_URL}` : 'PARVANEH_JWKS_URL unset: the portal refuses every notification signature');
  console.log(config.SANDBOX_CALLBACK_URL ? `async answers go to ${config.SANDBOX_CALLBACK_URL}` : 'SANDBOX_CALLBACK_URL unset: async answers stay pending (GET /control/inquiries)');

  const shutdown = () => {
    void sandbox.close().then(stopTracing).then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
});
