/**
 * The official Temporal server (built from source by `scripts/install.sh --cluster` into
 * .tools/temporal-server) on PostgreSQL: its two databases set up and upgraded by the release's own
 * SQL tool and schemas, its configuration written from a few settings, the server started as a
 * child process, and the namespace registered.
 *
 * The number of history shards is fixed when the `temporal` database is first set up and can never
 * change afterwards (a workflow's shard is a hash of its id modulo that number): it is recorded in
 * the data directory, and a start with another number is refused rather than corrupting the store.
 */
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';

const run = promisify(execFile);

export const TEMPORAL_SERVER_DIR = resolve('.tools/temporal-server');
export const TEMPORAL_RELEASE = '1.32.2';

export interface TemporalServerOptions {
  /** Where the configuration, the log and the shard record are kept. */
  dataDir: string;
  /** PostgreSQL as a URL (user, password, host, port); the databases are named below. */
  postgresUrl: string;
  /** The frontend's gRPC port; the other services take the next ports (see `servicePorts`). */
  port: number;
  /** History shards: fixed for the life of the store (docs/operations.md). */
  historyShards: number;
  namespace: string;
  /** How long a closed workflow's history is kept (days). */
  retentionDays: number;
  databases?: { main: string; visibility: string };
}

/** The ports each service listens on: gRPC and membership, from the frontend's port up. */
export function servicePorts(port: number) {
  return {
    frontend: { grpc: port, http: port + 10, membership: port + 1000 },
    history: { grpc: port + 1, membership: port + 1001 },
    matching: { grpc: port + 2, membership: port + 1002 },
    worker: { grpc: port + 3, membership: port + 1003 },
    metrics: port + 100,
  };
}

const binary = (name: string) => {
  const path = join(TEMPORAL_SERVER_DIR, 'bin', name);
  if (!existsSync(path)) throw new Error(`${path} is missing: run scripts/install.sh --cluster (it builds Temporal ${TEMPORAL_RELEASE} from source)`);
  return path;
};

/** Creates the `temporal` and `temporal_visibility` databases when missing and brings both schemas to this release. */
export async function prepareTemporalDatabases(opts: TemporalServerOptions): Promise<void> {
  const url = new URL(opts.postgresUrl);
  const dbs = opts.databases ?? { main: 'temporal', visibility: 'temporal_visibility' };
  recordShards(opts);
  const sql = binary('temporal-sql-tool');
  const env = {
    ...process.env, SQL_PLUGIN: 'postgres12', SQL_HOST: url.hostname, SQL_PORT: url.port || '5432',
    SQL_USER: decodeURIComponent(url.username), SQL_PASSWORD: decodeURIComponent(url.password),
  };
  for (const [database, schema] of [[dbs.main, 'temporal'], [dbs.visibility, 'visibility']] as const) {
    const tool = (args: string[]) => run(sql, ['--db', database, ...args], { env, maxBuffer: 16 << 20 });
    // create-database fails when it exists; setup-schema -v 0.0 only creates the version table when missing.
    await tool(['create-database']).catch((error: { stderr?: string }) => {
      if (!/already exists/.test(String(error.stderr))) throw error;
    });
    await tool(['setup-schema', '-v', '0.0']);
    await tool(['update-schema', '-d', join(TEMPORAL_SERVER_DIR, 'schema', 'postgresql', 'v12', schema, 'versioned')]);
  }
}

/** The shard count is written once; a later start with another count stops here. */
function recordShards(opts: TemporalServerOptions): void {
  mkdirSync(opts.dataDir, { recursive: true });
  const file = join(opts.dataDir, 'history-shards');
  if (existsSync(file)) {
    const recorded = Number(readFileSync(file, 'utf8'));
    if (recorded !== opts.historyShards) {
      throw new Error(`TEMPORAL_HISTORY_SHARDS is ${opts.historyShards} but this store was set up with ${recorded}: the number of history shards cannot change`);
    }
  } else {
    writeFileSync(file, String(opts.historyShards));
  }
}

/** The server's configuration for these settings (the shape of the release's development-postgres12.yaml). */
export function temporalServerConfig(opts: TemporalServerOptions): Record<string, unknown> {
  const url = new URL(opts.postgresUrl);
  const dbs = opts.databases ?? { main: 'temporal', visibility: 'temporal_visibility' };
  const ports = servicePorts(opts.port);
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12', databaseName, connectAddr: `${url.hostname}:${url.port || 5432}`, connectProtocol: 'tcp',
      user: decodeURIComponent(url.username), password: decodeURIComponent(url.password),
      maxConns, maxIdleConns: maxConns, maxConnLifetime: '1h',
    },
  });
  const service = (p: { grpc: number; membership: number; http?: number }) => ({
    rpc: { grpcPort: p.grpc, membershipPort: p.membership, bindOnLocalHost: true, ...(p.http ? { httpPort: p.http } : {}) },
  });
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default', visibilityStore: 'postgres-visibility', numHistoryShards: opts.historyShards,
      datastores: { 'postgres-default': store(dbs.main, 20), 'postgres-visibility': store(dbs.visibility, 4) },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      metrics: { prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `127.0.0.1:${ports.metrics}` } },
    },
    services: {
      frontend: service(ports.frontend), history: service(ports.history), matching: service(ports.matching), worker: service(ports.worker),
    },
    clusterMetadata: {
      enableGlobalNamespace: false, failoverVersionIncrement: 10, masterClusterName: 'active', currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${ports.frontend.grpc}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: join(opts.dataDir, 'dynamic-config.yaml'), pollInterval: '10s' },
  };
}

export interface TemporalServer {
  address: string;
  child: ChildProcess;
  /** SIGKILL, no goodbye. */
  kill(): Promise<void>;
  /** SIGTERM and wait (SIGKILL after 20 s). */
  stop(): Promise<void>;
}

/** Writes the configuration, starts the server and waits until its frontend answers. */
export async function startTemporalServer(opts: TemporalServerOptions): Promise<TemporalServer> {
  mkdirSync(opts.dataDir, { recursive: true });
  const configFile = join(opts.dataDir, 'temporal-server.yaml');
  writeFileSync(configFile, stringify(temporalServerConfig(opts)), { mode: 0o600 });
  const dynamic = join(opts.dataDir, 'dynamic-config.yaml');
  if (!existsSync(dynamic)) writeFileSync(dynamic, '# Temporal dynamic configuration (read every 10 s): docs/operations.md\n{}\n');
  const logFd = openSync(join(opts.dataDir, 'temporal-server.log'), 'a');
  const child = spawn(binary('temporal-server'), ['--config-file', configFile, '--allow-no-auth', 'start'], {
    stdio: ['ignore', logFd, logFd], detached: true,
  });
  closeSync(logFd);
  const address = `127.0.0.1:${opts.port}`;
  const exited = () => child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve() : new Promise<void>((done) => child.once('exit', () => done()));
  const server: TemporalServer = {
    address, child,
    async kill() { child.kill('SIGKILL'); await exited(); },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited();
      clearTimeout(timer);
    },
  };
  await waitForFrontend(address, child, join(opts.dataDir, 'temporal-server.log'));
  return server;
}

/** Waits until the frontend answers and the namespace exists (registering it the first time). */
export async function ensureNamespace(address: string, namespace: string, retentionDays: number): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const service = connection.workflowService;
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await service.describeNamespace({ namespace });
        return;
      } catch (error) {
        if (!/not found/i.test(String((error as Error).message))) {
          if (Date.now() > deadline) throw error;
          await new Promise((r) => setTimeout(r, 500));
          continue;
        }
      }
      try {
        await service.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(retentionDays * 86_400_000) });
      } catch (error) {
        if (!/already exists/i.test(String((error as Error).message))) throw error;
      }
    }
  } finally {
    await connection.close();
  }
}

async function waitForFrontend(address: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) {
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
      throw new Error(`the Temporal server exited with code ${child.exitCode}:\n${tail}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch {
      if (Date.now() > deadline) throw new Error(`the Temporal server did not answer on ${address} within 120 s (log: ${logFile})`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
