/**
 * The standalone gateway (`gateway/main.ts`) as a child process on a harness's database and
 * Temporal, so a test can SIGKILL it mid-request and start it again on the same port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { JSONWebKeySet } from 'jose';
import { verifyDetached } from '../../platform/jws.js';
import type { Harness } from './harness.js';

export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  /** SIGKILL: no request gets to finish, nothing is cleaned up. */
  kill(): Promise<void>;
  /** SIGTERM, and waits for the exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export { freePort } from './ports.js';

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once('exit', (code) => r(code)));

/** Starts `node --import tsx gateway/main.ts` and resolves once it prints that it listens. */
export async function startGatewayProcess(h: Harness, opts: { port: number; env?: Record<string, string> }): Promise<GatewayProcess> {
  // Each async registry's own key set, by registry, as REGISTRY_JWKS takes them.
  const registryJwks = (await (await fetch(`${h.sandboxUrl}/registries/jwks.json`)).json()) as Record<string, JSONWebKeySet>;
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts'], {
    env: {
      ...process.env,
      PORT: String(opts.port), HOST: '127.0.0.1', DATABASE_URL: h.db.url, TEMPORAL_ADDRESS: h.env.address,
      TEMPORAL_NAMESPACE: h.env.namespace ?? 'default', TASK_QUEUE: h.taskQueue, SIGNING_KEYS_PATH: h.signingKeysPath, PAYLOAD_KEYS_PATH: h.payloadKeysPath,
      AUTH_ISSUER: h.issuer.issuer, AUTH_JWKS: JSON.stringify(h.issuer.jwks), REGISTRY_JWKS: JSON.stringify(registryJwks),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (d) => { output += d; });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      output += d;
      const listening = /\[gateway\] listening on (\S+)/.exec(output);
      if (listening) resolve(listening[1]!);
    });
    child.once('exit', (code, signal) => reject(new Error(`gateway exited (${code ?? signal}) before listening: ${output}`)));
  });
  return {
    url, child,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      child.kill('SIGTERM');
      return exited(child);
    },
  };
}

/** Checks a response's detached JWS against a key set, bound to this method, path and request id. */
export async function verifySigned(jwks: JSONWebKeySet, method: string, path: string, headers: Headers, bytes: Uint8Array): Promise<void> {
  const signature = headers.get('x-jws-signature');
  if (!signature) throw new Error(`${method} ${path}: response is not signed`);
  const header = await verifyDetached(signature, bytes, jwks);
  if (header.htm !== method || header.htu !== path || header.rid !== headers.get('x-request-id')) {
    throw new Error(`${method} ${path}: signature bound to ${String(header.htm)} ${String(header.htu)} ${String(header.rid)}`);
  }
}
