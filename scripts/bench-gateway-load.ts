/**
 * The load side of `npm run bench:gateway`, in its own process so that it does not share the
 * gateway's core: runs autocannon against one URL and prints its result as JSON on stdout.
 * Arguments: a JSON object { url, method, headers, body, connections, durationSeconds, uniqueIdempotencyKey }.
 */
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';

const options = JSON.parse(process.argv[2] ?? '{}') as {
  url: string; method: 'GET' | 'POST'; headers: Record<string, string>; body?: string;
  connections: number; durationSeconds: number; uniqueIdempotencyKey?: boolean;
};
const result = await autocannon({
  url: options.url, method: options.method, headers: options.headers, body: options.body,
  connections: options.connections, duration: options.durationSeconds,
  // A fresh Idempotency-Key for every POST, or the gateway would (rightly) answer replays.
  setupClient: options.uniqueIdempotencyKey
    ? (client) => {
      client.setHeaders({ ...options.headers, 'idempotency-key': randomUUID() });
      client.on('response', () => client.setHeaders({ ...options.headers, 'idempotency-key': randomUUID() }));
    }
    : undefined,
});
process.stdout.write(JSON.stringify({
  requests: result.requests.total, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99,
  non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts,
}));
