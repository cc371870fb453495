/**
 * The standalone worker's `GET /metrics`: its own counters (`parvaneh_process_faults_total`) in the
 * Prometheus text format. A worker inside `npm start` shares the gateway's registry instead. Like
 * the gateway's, expose it to the monitoring network only.
 */
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

/**
 * @example serveMetrics(registry, 9464) // http://127.0.0.1:9464/metrics
 */
export function serveMetrics(registry: Registry, port: number, host = '127.0.0.1'): Server {
  return createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  }).listen(port, host);
}
