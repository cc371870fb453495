/**
 * A PostgreSQL cluster of a test's own, from `scripts/pg.sh` on another port (its data lives in
 * /tmp/parvaneh-pg-<port>), so the test can stop and start it without touching the cluster
 * every other test file shares.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface OwnPostgres {
  /** The server's URL (its `parvaneh` database); `startHarness({ databaseUrl })` makes a fresh one on it. */
  url: string;
  port: number;
  /** `pg.sh stop`: a fast shutdown, every connection is cut. */
  stop(): Promise<void>;
  /** `pg.sh start` again on the same data directory. */
  start(): Promise<void>;
}

const pgSh = async (port: number, command: 'start' | 'stop'): Promise<string> => {
  const { stdout } = await run('bash', ['scripts/pg.sh', command], { env: { ...process.env, PARVANEH_PG_PORT: String(port) } });
  return stdout.trim().split('\n').at(-1) ?? '';
};

/** Starts (initialising on first use) the cluster on `port`. */
export async function startOwnPostgres(port: number): Promise<OwnPostgres> {
  const url = await pgSh(port, 'start');
  if (!url.startsWith('postgres://')) throw new Error(`scripts/pg.sh start printed no URL: ${url}`);
  return {
    url, port,
    stop: async () => { await pgSh(port, 'stop'); },
    start: async () => { await pgSh(port, 'start'); },
  };
}
