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

/**
 * Runs a Drizzle prepared query (`.prepare(name)`) with its placeholders' values: its rows typed
 * and mapped by Drizzle, not raw SQL, so it lives here beside the one door only for `execute`.
 * @example await runPrepared(queries.row, { number: 'WSC-AL-1405-000001' })
 */
export function runPrepared<T>(query: { execute(values: Record<string, unknown>): Promise<T> }, values: Record<string, unknown>): Promise<T> {
  return query.execute(values);
}

/**
 * Queries built once per database and kept with it: Drizzle builds their SQL once, and postgres.js
 * keeps each prepared on every connection, so PostgreSQL neither parses nor plans it again.
 * @example const queriesOf = preparedPerDatabase((db: Database) => ({ row: db.select().from(licences).where(…).prepare('licence_row') }));
 */
export function preparedPerDatabase<D extends object, Q>(build: (db: D) => Q): (db: D) => Q {
  const built = new WeakMap<D, Q>();
  return (db) => {
    let queries = built.get(db);
    if (!queries) built.set(db, queries = build(db));
    return queries;
  };
}
