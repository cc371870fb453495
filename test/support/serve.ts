/** Serves a Hono app over real HTTP on loopback (port 0), for middleware tests. */
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AddressInfo } from 'node:net';

export interface Served {
  base: string;
  close(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function serveApp(app: Hono<any>): Promise<Served> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({
      base: `http://127.0.0.1:${info.port}`,
      close: () => new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done()))),
    }));
  });
}
