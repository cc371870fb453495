/**
 * `npm run cluster`: Parvaneh in its production shape on one machine (scripts/cluster/cluster.ts):
 * PostgreSQL, the official Temporal server, two workers, two gateways behind HAProxy and the
 * sandbox, every product process from the compiled build. Settings (all optional):
 *
 *   CLUSTER_DATA_DIR        where it keeps everything (default .data/cluster)
 *   CLUSTER_PORT            the load balancer (default 8180; gateways 8181…, then the sandbox)
 *   TEMPORAL_PORT           the Temporal frontend (default 7333; its services take the next ports)
 *   POSTGRES_PORT           the embedded PostgreSQL (default 54330)
 *   DATABASE_URL            a PostgreSQL server instead of the embedded one
 *   CLUSTER_GATEWAYS, CLUSTER_WORKERS   replicas of each (default 2 and 2)
 *   TEMPORAL_HISTORY_SHARDS the history shards, fixed when the store is first set up (default 16)
 *   PARVANEH_DIST_DIR       the compiled build to run (default dist, what npm run build writes)
 *
 * Ctrl-C (or SIGTERM) stops it in order; the next start finds every application where it left it.
 */
import { join, resolve } from 'node:path';
import { DEFAULT_CLUSTER, startCluster, type Cluster } from './cluster/cluster.js';

function whole(name: string, fallback: number, min: number, max: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`[cluster] ${name} must be a whole number from ${min} to ${max}, not "${text}"`);
    process.exit(1);
  }
  return value;
}

const dataDir = resolve(process.env.CLUSTER_DATA_DIR || '.data/cluster');
const options = {
  dataDir, distDir: resolve(process.env.PARVANEH_DIST_DIR || 'dist'), databaseUrl: process.env.DATABASE_URL || undefined,
  port: whole('CLUSTER_PORT', DEFAULT_CLUSTER.port, 1024, 65000),
  temporalPort: whole('TEMPORAL_PORT', DEFAULT_CLUSTER.temporalPort, 1024, 64000),
  postgresPort: whole('POSTGRES_PORT', DEFAULT_CLUSTER.postgresPort, 1024, 65535),
  gateways: whole('CLUSTER_GATEWAYS', DEFAULT_CLUSTER.gateways, 1, 8),
  workers: whole('CLUSTER_WORKERS', DEFAULT_CLUSTER.workers, 1, 8),
  historyShards: whole('TEMPORAL_HISTORY_SHARDS', DEFAULT_CLUSTER.historyShards, 1, 16_384),
};

let cluster: Cluster | undefined;
let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  const began = Date.now();
  console.log(`[cluster] ${signal}: stopping`);
  await cluster?.stop();
  console.log(`[cluster] stopped in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));

try {
  cluster = await startCluster(options);
} catch (error) {
  console.error('[cluster] failed to start:', (error as Error).message);
  process.exit(1);
}
const log = (line: string) => console.log(`[cluster] ${line}`);
log(`API:          ${cluster.balancerUrl}/v1/licence-types  (docs ${cluster.balancerUrl}/docs)`);
log(`JWKS:         ${cluster.balancerUrl}/.well-known/jwks.json`);
log(`Temporal:     ${cluster.temporalAddress}  (temporal --address ${cluster.temporalAddress} workflow list)`);
log(`Sandbox:      ${cluster.sandboxUrl}/fixtures/persons`);
log(`logs:         ${join(dataDir, 'logs')}`);
log(`tokens:       PARVANEH_DATA_DIR=${dataDir} npm run token -- --role portal`);
log('ready (Ctrl-C stops)');
