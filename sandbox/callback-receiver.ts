/**
 * A tiny stand-in for the gateway's callback endpoint, for tests and demos:
 * records every POST it gets and answers with scripted status codes.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One callback as received, with the body exactly as sent. */
export interface ReceivedCallback {
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** A running receiver. */
export interface CallbackReceiver {
  url: string;
  received: ReceivedCallback[];
  /** Status codes to answer with, in order; once used up, answers 204. */
  script: number[];
  /** Resolves with the first callback matching `match`, waiting up to `timeoutMs`. */
  waitFor(match: (cb: ReceivedCallback) => boolean, timeoutMs?: number): Promise<ReceivedCallback>;
  close(): Promise<void>;
}

/** Starts a receiver on a random loopback port. */
export function startCallbackReceiver(): Promise<CallbackReceiver> {
  const received: ReceivedCallback[] = [];
  const script: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = script.shift() ?? 204;
      res.end();
    });
  });

  const waitFor = async (match: (cb: ReceivedCallback) => boolean, timeoutMs = 3000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = received.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching callback within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        received,
        script,
        waitFor,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
