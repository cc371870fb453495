/**
 * The database: PostgreSQL through postgres.js and Drizzle. `npm start` embeds a server of its
 * own (`db/embedded.ts`) unless `DATABASE_URL` names one; the tests and benchmarks do the same,
 * so every path runs on one engine and one driver, migrated by the same generated migrations.
 */
import { PgTransaction, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

/**
 * Runs `write` in the caller's transaction when `db` is one, otherwise in a transaction of its
 * own. Inside a caller's transaction no savepoint is taken: nothing here rolls back to one, and
 * each costs a statement.
 */
export function inTransaction<T>(db: Database, write: (tx: Database) => Promise<T>): Promise<T> {
  return (db as unknown) instanceof PgTransaction ? write(db) : db.transaction((tx) => write(tx as unknown as Database));
}

export interface DatabaseHandle {
  db: Database;
  /** Checks the database answers (for readiness probes). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** The advisory lock replicas take in turn to migrate: any fixed number of our own. */
const MIGRATION_LOCK = 7_261_950_101;

/**
 * Opens the database at `url` and brings its schema up to date. Replicas starting together (two
 * gateways, two workers) migrate one at a time under an advisory lock: the first applies what is
 * missing, the others then find nothing left to apply.
 */
export async function openDatabase(opts: { url: string; maxConnections?: number }): Promise<DatabaseHandle> {
  const client = postgres(opts.url, { max: opts.maxConnections ?? 10, onnotice: () => {} });
  const db = drizzle(client, { schema });
  const lock = await client.reserve();
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(db, { migrationsFolder });
  } finally {
    await lock`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => undefined);
    lock.release();
  }
  return {
    db: db as unknown as Database,
    ping: async () => { await client`select 1`; },
    close: () => client.end({ timeout: 5 }),
  };
}
