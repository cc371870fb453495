/**
 * A fresh PostgreSQL database per test file, on the real server `npm test` starts
 * (DATABASE_URL), migrated with the same migrations as production.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type DatabaseHandle } from '../../db/client.js';

export async function freshDatabase(serverUrl = process.env.DATABASE_URL): Promise<DatabaseHandle & { url: string }> {
  if (!serverUrl) throw new Error('DATABASE_URL is not set: run the tests with `npm test`, which starts PostgreSQL');
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

/** DATABASE_URL, starting the local test server (`scripts/pg.sh start`) when it is not set. */
export function ensureDatabaseUrl(): string {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const out = execFileSync('bash', ['scripts/pg.sh', 'start'], { encoding: 'utf8' }).trim().split('\n').at(-1)!;
  if (!out.startsWith('postgres://')) throw new Error(`scripts/pg.sh start printed no URL: ${out}`);
  process.env.DATABASE_URL = out;
  return out;
}
