/**
 * The one door for raw SQL: the same rows whichever shape a driver returns, checked against the
 * real driver and database too.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../test/support/database.js';
import { queryOne, queryRows, rowsOf, runStatement } from './query.js';

let handle: Awaited<ReturnType<typeof freshDatabase>>;
beforeAll(async () => { handle = await freshDatabase(); });
afterAll(async () => handle?.close());

describe('rowsOf', () => {
  it('reads an array of rows (postgres.js) and { rows } (node-postgres, PGlite) alike', () => {
    const rowList = Object.assign([{ serial: '7' }], { count: 1, command: 'SELECT' });
    expect(rowsOf(rowList)).toEqual([{ serial: '7' }]);
    expect(rowsOf({ rows: [{ serial: '7' }], fields: [], affectedRows: 0 })).toEqual([{ serial: '7' }]);
  });

  it('refuses a result it does not understand instead of guessing', () => {
    expect(() => rowsOf({ count: 1 })).toThrow(/neither an array of rows nor \{ rows \}/);
    expect(() => rowsOf(undefined)).toThrow(TypeError);
  });
});

describe('raw queries on the real database', () => {
  it('returns the rows of a query, and one row where one is expected', async () => {
    const rows = await queryRows<{ n: number }>(handle.db, sql`select generate_series(1, 3)::int as n`);
    expect(rows.map((r) => r.n)).toEqual([1, 2, 3]);
    const { serial } = await queryOne<{ serial: string }>(handle.db, sql`select nextval('licence_number_seq') as serial`);
    expect(Number(serial)).toBeGreaterThan(0);
  });

  it('fails when one row was expected and there are none or several', async () => {
    await expect(queryOne(handle.db, sql`select 1 as n where false`)).rejects.toThrow(/returned 0/);
    await expect(queryOne(handle.db, sql`select generate_series(1, 2) as n`)).rejects.toThrow(/returned 2/);
  });

  it('runs statements inside a transaction', async () => {
    const count = await handle.db.transaction(async (tx) => {
      await runStatement(tx, sql`create temporary table scratch (n int) on commit drop`);
      await runStatement(tx, sql`insert into scratch values (1), (2)`);
      return queryOne<{ count: number }>(tx, sql`select count(*)::int as count from scratch`);
    });
    expect(count).toEqual({ count: 2 });
  });
});
