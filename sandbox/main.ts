/**
 * Runnable sandbox: `tsx sandbox/main.ts`.
 * Env: SANDBOX_PORT (default 7400), SANDBOX_HOST (default 127.0.0.1),
 * SANDBOX_CALLBACK_URL (gateway base URL for async answers),
 * PARVANEH_JWKS_URL (Parvaneh's JWKS, to verify notifications sent to the portal simulator).
 */
import { startSandbox } from './server.js';

const port = Number(process.env.SANDBOX_PORT ?? 7400);
const host = process.env.SANDBOX_HOST ?? '127.0.0.1';
const callbackBaseUrl = process.env.SANDBOX_CALLBACK_URL || undefined;
const parvanehJwksUrl = process.env.PARVANEH_JWKS_URL || undefined;

const sandbox = await startSandbox({
  port,
  host,
  callbackBaseUrl,
  parvanehJwksUrl,
  log: (line) => console.log(`[sandbox] ${line}`),
});

console.log(`registry sandbox listening on ${sandbox.url}`);
console.log(parvanehJwksUrl ? `portal verifies notifications against ${parvanehJwksUrl}` : 'PARVANEH_JWKS_URL unset: the portal refuses every notification signature');
console.log(callbackBaseUrl ? `async answers go to ${callbackBaseUrl}` : 'SANDBOX_CALLBACK_URL unset: async answers stay pending (GET /control/inquiries)');

const shutdown = () => {
  void sandbox.close().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
