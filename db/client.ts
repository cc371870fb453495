/**
 * The database: PostgreSQL through postgres.js and Drizzle. `npm start` embeds a server of its
 * own (`db/embedded.ts`) unless `DATABASE_URL` names one; the tests and benchmarks do the same,
 * so every path runs on one engine and one driver, migrated by the same generated migrations.
 */
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseHandle {
  db: Database;
  /** Checks the database answers (for readiness probes). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Opens the database at `url` and brings its schema up to date. */
export async function openDatabase(opts: { url: string; maxConnections?: number }): Promise<DatabaseHandle> {
  const client = postgres(opts.url, { max: opts.maxConnections ?? 10, onnotice: () => {} });
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
  return {
    db: db as unknown as Database,
    ping: async () => { await client`select 1`; },
    close: () => client.end({ timeout: 5 }),
  };
}
