/**
 * PostgreSQL for the tests and benchmarks: the same embedded server `npm start` runs
 * (`db/embedded.ts`), a throwaway cluster per run, or the server `DATABASE_URL` names. Each test
 * file gets a fresh database on it, migrated with the same migrations as production.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { openDatabase, type DatabaseHandle } from '../../db/client.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../db/embedded.js';
import { freePort } from './ports.js';

export async function freshDatabase(serverUrl = process.env.DATABASE_URL): Promise<DatabaseHandle & { url: string }> {
  if (!serverUrl) throw new Error('DATABASE_URL is not set: run the tests with `npm test` or `npx vitest`, whose global setup starts PostgreSQL');
  const name = `parvaneh_test_${randomBytes(5).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), maxConnections: 20 });
  return {
    ...handle,
    url: url.toString(),
    async close() {
      await handle.close();
      const cleanup = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/**
 * A throwaway embedded cluster in a temporary directory on a free port. Tests do not need the
 * durability of `npm start`'s cluster, so `fsync` is off. `remove()` stops it and deletes it.
 */
export async function throwawayPostgres(): Promise<EmbeddedPostgres & { remove(): Promise<void> }> {
  const parent = mkdtempSync(join(tmpdir(), 'parvaneh-pg-'));
  chmodSync(parent, 0o711); // run as root, the server (the postgres user) must reach its directory
  const dataDir = join(parent, 'cluster');
  const removeDir = () => rmSync(parent, { recursive: true, force: true });
  const pg = await startEmbeddedPostgres({ dataDir, port: await freePort(), settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } })
    .catch((error: unknown) => { removeDir(); throw error; });
  // The server runs in a session of its own (pg_ctl), so no terminal's Ctrl-C reaches it: it goes
  // with the process that started it, however that process ends short of SIGKILL.
  const cleanup = () => { pg.stopSync(); removeDir(); };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const onSignal = (signal: NodeJS.Signals) => { cleanup(); process.kill(process.pid, signal); };
  process.once('exit', cleanup);
  for (const signal of signals) process.once(signal, onSignal);
  return Object.assign(pg, {
    async remove() {
      process.off('exit', cleanup);
      for (const signal of signals) process.off(signal, onSignal);
      await pg.stop();
      removeDir();
    },
  });
}

/** DATABASE_URL, starting a throwaway embedded cluster for this process when it is not set. */
export async function ensureDatabaseUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const pg = await throwawayPostgres();
  process.env.DATABASE_URL = pg.url;
  return pg.url;
}
