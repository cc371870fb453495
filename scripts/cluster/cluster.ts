/**
 * A production-shaped Parvaneh on one machine: PostgreSQL (the embedded server, or DATABASE_URL's),
 * the official Temporal server on it, the sandbox registries, two workers, two gateways and HAProxy
 * in front of the gateways. The product's processes run the compiled build (`node dist/…`), each
 * with the settings a deployment gives it; what replicas share is shared: one database (rate
 * limits, idempotency keys, the outbox, console sessions), one signing-key file, one payload-key
 * file, one Temporal namespace and task queue.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../db/embedded.js';
import { loadDevIssuer, type DevIssuer } from '../../gateway/dev-issuer.js';
import { generatePayloadKeys } from '../../platform/payload-codec.js';
import { managedProcess, type ManagedProcess } from './processes.js';
import { ensureNamespace, prepareTemporalDatabases, servicePorts, startTemporalServer, type TemporalServer, type TemporalServerOptions } from './temporal-server.js';

export interface ClusterOptions {
  /** Everything the cluster keeps: PostgreSQL's files, keys, configuration, logs. */
  dataDir: string;
  /** The load balancer's port; the gateways take the next ones, then the sandbox; its statistics port + 30, the workers' metrics port + 20 on. */
  port: number;
  /** The Temporal frontend's port (the server's other services take the ports after it). */
  temporalPort: number;
  postgresPort: number;
  /** A PostgreSQL server to use instead of the embedded one (its user must be able to create databases). */
  databaseUrl?: string;
  gateways: number;
  workers: number;
  /** Fixed when the Temporal store is first set up (docs/operations.md). */
  historyShards: number;
  /** Where the compiled product is (`npm run build`). */
  distDir: string;
  log?: (line: string) => void;
  /** Extra settings for every product process (tests turn knobs with them). */
  env?: Record<string, string>;
}

export interface Cluster {
  balancerUrl: string;
  /** HAProxy's statistics page (`/stats;csv` for the counters per gateway). */
  balancerStatsUrl: string;
  gatewayUrls: string[];
  sandboxUrl: string;
  temporalAddress: string;
  /** Parvaneh's database. */
  databaseUrl: string;
  issuer: DevIssuer;
  gateways: ManagedProcess[];
  workers: ManagedProcess[];
  sandbox: ManagedProcess;
  balancer: ManagedProcess;
  /** The Temporal server: kill it outright, start it again on the same store. */
  temporal: { kill(): Promise<void>; start(): Promise<void>; pid(): number | undefined };
  /** Stops everything in order: balancer, gateways, workers, sandbox, Temporal, PostgreSQL. */
  stop(): Promise<void>;
}

export const DEFAULT_CLUSTER: Omit<ClusterOptions, 'dataDir' | 'distDir'> = {
  port: 8180, temporalPort: 7333, postgresPort: 54330, gateways: 2, workers: 2, historyShards: 16,
};

function haproxyConfig(port: number, gatewayPorts: number[]): string {
  return [
    '# Written by npm run cluster at each start.',
    'global',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 65s',
    '  timeout server 65s',
    // The gateways trust X-Forwarded-For from 127.0.0.1 only (TRUSTED_PROXIES), for per-client limits.
    '  option forwardfor',
    '  option redispatch',
    '  retries 2',
    // Per-server counters for operators and the fault run (sessions, requests, state): GET /stats;csv.
    'listen stats',
    `  bind 127.0.0.1:${port + 30}`,
    '  stats enable',
    '  stats uri /stats',
    'frontend api',
    `  bind 127.0.0.1:${port}`,
    '  default_backend gateways',
    'backend gateways',
    '  balance roundrobin',
    // A gateway leaves the rotation when /ready fails twice (database or Temporal unreachable, or gone).
    '  option httpchk GET /ready',
    '  http-check expect status 200',
    '  default-server inter 1s fall 2 rise 2',
    ...gatewayPorts.map((p, i) => `  server gateway-${i + 1} 127.0.0.1:${p} check`),
    '',
  ].join('\n');
}

/** The payload keys every worker and gateway shares, made once. */
function payloadKeysFile(dataDir: string): string {
  const path = join(dataDir, 'payload-keys.json');
  if (!existsSync(path)) writeFileSync(path, JSON.stringify(generatePayloadKeys()), { mode: 0o600 });
  return path;
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const log = opts.log ?? ((line: string) => console.log(`[cluster] ${line}`));
  const dataDir = resolve(opts.dataDir);
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const node = (entry: string) => {
    const path = join(opts.distDir, entry);
    if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build`);
    return [process.execPath, [path]] as const;
  };
  const gatewayPorts = Array.from({ length: opts.gateways }, (_, i) => opts.port + 1 + i);
  const sandboxPort = opts.port + 1 + opts.gateways;
  const balancerUrl = `http://127.0.0.1:${opts.port}`;
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const haproxy = process.env.HAPROXY_PATH || 'haproxy';
  const undo: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const step of undo.splice(0).reverse()) await step().catch((error: unknown) => log(`stopping: ${(error as Error).message}`));
  };

  try {
    // 1. PostgreSQL: one server, three databases (Parvaneh's, Temporal's two).
    let postgresUrl = opts.databaseUrl;
    let embedded: EmbeddedPostgres | undefined;
    if (!postgresUrl) {
      embedded = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: opts.postgresPort, settings: { max_connections: 300 } });
      undo.push(() => embedded!.stop());
      postgresUrl = embedded.url;
      log(`PostgreSQL ${embedded.version} (embedded) on 127.0.0.1:${opts.postgresPort}`);
    }

    // 2. Temporal: schemas brought to this release, the server, the namespace.
    const temporalOptions: TemporalServerOptions = {
      dataDir: join(dataDir, 'temporal'), postgresUrl, port: opts.temporalPort, historyShards: opts.historyShards,
      namespace: 'default', retentionDays: 30,
    };
    await prepareTemporalDatabases(temporalOptions);
    let server: TemporalServer = await startTemporalServer(temporalOptions);
    undo.push(() => server.stop());
    await ensureNamespace(server.address, temporalOptions.namespace, temporalOptions.retentionDays);
    log(`Temporal ${server.address} (official server, ${opts.historyShards} history shards, namespace default)`);

    // 3. What the replicas share.
    const issuer = await loadDevIssuer(join(dataDir, 'dev-issuer.jwk.json'));
    const shared = {
      ...process.env, ...opts.env,
      DATABASE_URL: postgresUrl, TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: 'default',
      SIGNING_KEYS_PATH: join(dataDir, 'response-signing-keys.json'), PAYLOAD_KEYS_PATH: payloadKeysFile(dataDir),
    };

    const sandbox = managedProcess({
      name: 'sandbox', ...spawnOf(node('sandbox/main.js')), logDir, ready: /registry sandbox listening on/,
      env: { ...shared, SANDBOX_PORT: String(sandboxPort), SANDBOX_HOST: '127.0.0.1', SANDBOX_CALLBACK_URL: balancerUrl, PARVANEH_JWKS_URL: `${balancerUrl}/.well-known/jwks.json` },
    });
    await sandbox.start();
    undo.push(() => sandbox.stop());
    const registryJwks = await (await fetch(`${sandboxUrl}/registries/jwks.json`)).json() as Record<string, JSONWebKeySet>;

    // 4. Workers, then gateways (the first gateway alone: it migrates Parvaneh's database, the
    // others wait on its lock and find nothing to do).
    const workers = Array.from({ length: opts.workers }, (_, i) => managedProcess({
      name: `worker-${i + 1}`, ...spawnOf(node('worker/main.js')), logDir, ready: /\[worker\] running/,
      env: { ...shared, REGISTRY_BASE_URL: sandboxUrl, METRICS_PORT: String(opts.port + 20 + i), AUDIT_HEADS_DIR: join(dataDir, 'audit-heads') },
    }));
    const gateways = gatewayPorts.map((port, i) => managedProcess({
      name: `gateway-${i + 1}`, ...spawnOf(node('gateway/main.js')), logDir, ready: /\[gateway\] listening on/,
      env: {
        ...shared, PORT: String(port), HOST: '127.0.0.1', AUTH_ISSUER: issuer.issuer, AUTH_JWKS: JSON.stringify(issuer.jwks),
        REGISTRY_JWKS: JSON.stringify(registryJwks), TRUSTED_PROXIES: '127.0.0.1',
      },
    }));
    await gateways[0]!.start();
    undo.push(() => gateways[0]!.stop());
    await Promise.all([...gateways.slice(1), ...workers].map(async (p) => {
      await p.start();
      undo.push(() => p.stop());
    }));
    log(`workers: ${workers.map((w) => `${w.name} (pid ${w.pid()})`).join(', ')}`);
    log(`gateways: ${gatewayPorts.map((p) => `http://127.0.0.1:${p}`).join(', ')}`);

    // 5. The load balancer.
    const haproxyCfg = join(dataDir, 'haproxy.cfg');
    writeFileSync(haproxyCfg, haproxyConfig(opts.port, gatewayPorts));
    const balancer = managedProcess({
      name: 'haproxy', command: haproxy, args: ['-f', haproxyCfg, '-db', '-V'], env: process.env, logDir, ready: /polling mechanism/,
    });
    await balancer.start();
    undo.push(() => balancer.stop());
    await waitForReady(balancerUrl);
    log(`load balancer: ${balancerUrl} (HAProxy, round robin over ${opts.gateways} gateways)`);

    return {
      balancerUrl, balancerStatsUrl: `http://127.0.0.1:${opts.port + 30}/stats`, gatewayUrls: gatewayPorts.map((p) => `http://127.0.0.1:${p}`), sandboxUrl, temporalAddress: server.address,
      databaseUrl: postgresUrl, issuer, gateways, workers, sandbox, balancer,
      temporal: {
        pid: () => (server.child.exitCode === null && server.child.signalCode === null ? server.child.pid : undefined),
        kill: () => server.kill(),
        async start() { server = await startTemporalServer(temporalOptions); },
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

const spawnOf = ([command, args]: readonly [string, readonly string[]]) => ({ command, args: [...args] });

/** Waits until the balancer answers /ready with 200 (a gateway behind it is up and healthy). */
async function waitForReady(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const status = await fetch(`${url}/ready`).then((r) => r.status, () => 0);
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url}/ready did not answer 200 within 30 s (last: ${status})`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Every port a cluster with these settings listens on (balancer, gateways, sandbox, metrics, stats; Temporal's; PostgreSQL's). */
export function clusterPorts(opts: Pick<ClusterOptions, 'port' | 'temporalPort' | 'postgresPort' | 'gateways' | 'workers'>): number[] {
  const t = servicePorts(opts.temporalPort);
  return [
    ...Array.from({ length: opts.gateways + 2 }, (_, i) => opts.port + i), ...Array.from({ length: opts.workers }, (_, i) => opts.port + 20 + i), opts.port + 30,
    t.frontend.grpc, t.frontend.http, t.frontend.membership, t.history.grpc, t.history.membership, t.matching.grpc, t.matching.membership,
    t.worker.grpc, t.worker.membership, t.metrics, opts.postgresPort,
  ];
}

const portFree = (port: number) => new Promise<boolean>((resolve) => {
  const server = createServer();
  server.once('error', () => resolve(false));
  server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
});

/**
 * Ports for a throwaway cluster (tests, the fault run): bases below the kernel's ephemeral range
 * (where the other tests' servers get theirs) at which every port the cluster needs is free now.
 */
export async function freeClusterPorts(gateways: number, workers: number): Promise<Pick<ClusterOptions, 'port' | 'temporalPort' | 'postgresPort'>> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 90) * 100;
    const candidate = { port: base, temporalPort: base + 40, postgresPort: base + 60 };
    const ports = clusterPorts({ ...candidate, gateways, workers });
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return candidate;
  }
  throw new Error('no free ports for a cluster between 20000 and 29999');
}
