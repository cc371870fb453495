/**
 * The registry sandbox: HTTP simulators of the external registries Parvaneh
 * makes inquiries (استعلام) to, of the national permits portal it notifies,
 * plus a control API for tests and demos.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { httpInstrumentationMiddleware } from '@hono/otel';
import { Hono } from 'hono';
import { controlRoutes } from './control-routes.js';
import { portalControlRoutes } from './portal/control-routes.js';
import { portalRoutes } from './portal/routes.js';
import { problem, sendProblem } from './problem.js';
import { registryRoutes } from './registry-routes.js';
import { SandboxState, type SandboxOptions } from './state.js';

export { SandboxState, type SandboxOptions } from './state.js';

/** Builds the sandbox app and its state; call `state.close()` when done to stop its ticker. */
export function createSandboxApp(opts: SandboxOptions = {}): { app: Hono; state: SandboxState } {
  const state = new SandboxState(opts);
  const app = new Hono();
  if (opts.tracing) app.use('*', httpInstrumentationMiddleware());
  app.route('/', registryRoutes(state));
  app.route('/', controlRoutes(state));
  app.route('/', portalRoutes(state));
  app.route('/', portalControlRoutes(state));
  app.notFound((c) => sendProblem(c, problem(404, 'not-found', 'Not found', `${c.req.method} ${c.req.path} does not exist.`)));
  app.onError((err, c) => {
    state.log(`sandbox error: ${err.message}`);
    return sendProblem(c, problem(500, 'internal', 'Sandbox error', 'The sandbox failed to handle the request.'));
  });
  return { app, state };
}

/** A listening sandbox. */
export interface RunningSandbox {
  url: string;
  state: SandboxState;
  close(): Promise<void>;
}

/** Starts the sandbox over HTTP; port 0 (the default) picks a free port. Host defaults to 127.0.0.1. */
export function startSandbox(opts: SandboxOptions & { port?: number; host?: string } = {}): Promise<RunningSandbox> {
  const { port = 0, host = '127.0.0.1', ...options } = opts;
  const { app, state } = createSandboxApp(options);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info: AddressInfo) => {
      const urlHost = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${urlHost}:${info.port}`,
        state,
        close: () =>
          new Promise<void>((done, fail) => {
            state.close();
            if ('closeAllConnections' in server) server.closeAllConnections();
            server.close((err) => (err ? fail(err) : done()));
          }),
      });
    });
    server.once('error', (err) => {
      state.close();
      reject(err);
    });
  });
}
