/**
 * Raw SQL through one door. Drizzle's `execute()` returns whatever the driver returns (postgres.js
 * an array of rows, other drivers `{ rows }`); code that destructured one shape broke on the
 * other (`npm start` on PGlite could not issue a licence). Every raw query goes through these
 * helpers, and lint forbids calling `execute()` anywhere else.
 */
import type { SQL } from 'drizzle-orm';

/** A database or a transaction: anything Drizzle can `execute()` a raw query on. */
export interface Executor {
  execute(query: SQL): PromiseLike<unknown>;
}

type Row = Record<string, unknown>;

/** The rows a driver's result holds, whichever shape it has. */
export function rowsOf<T extends Row>(result: unknown): T[] {
  if (Array.isArray(result)) return Array.from(result as T[]);
  const rows = (result as { rows?: unknown } | null | undefined)?.rows;
  if (Array.isArray(rows)) return Array.from(rows as T[]);
  throw new TypeError('a raw query returned neither an array of rows nor { rows }');
}

/** Runs `query` and returns its rows. */
export async function queryRows<T extends Row>(db: Executor, query: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(query));
}

/** Runs `query`, which must return exactly one row, and returns it. */
export async function queryOne<T extends Row>(db: Executor, query: SQL): Promise<T> {
  const rows = await queryRows<T>(db, query);
  if (rows.length !== 1) throw new Error(`a query expected to return one row returned ${rows.length}`);
  return rows[0]!;
}

/** Runs a statement whose rows, if any, are not needed (locks, updates). */
export async function runStatement(db: Executor, query: SQL): Promise<void> {
  await db.execute(query);
}
