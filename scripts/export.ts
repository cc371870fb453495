/**
 * Exports everything before a service is terminated (seed 003, §7), or checks an export:
 *
 *   tsx scripts/export.ts [--out <dir>]      writes <dir>/parvaneh-export-<UTC date-time>/ (default dir: exports)
 *   tsx scripts/export.ts --verify <export>  reads an export back; exits 1 on any problem
 *
 * The database is DATABASE_URL's; without it, the one `npm start` keeps in .data/postgres (on
 * POSTGRES_PORT, default 54320), reached while the product runs, or started for the export when
 * it is stopped. docs/operations.md says when to run it and what the directory holds.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Database } from '../db/client.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import * as schema from '../db/schema/index.js';
import { loadHolidayCalendar } from '../dsl/calendar-load.js';
import { exportData, verifyExport } from './export/data-export.js';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'exports' }, verify: { type: 'string' } } });

if (values.verify) {
  const { manifest, rows, problems } = await verifyExport(resolve(values.verify));
  for (const [table, n] of Object.entries(rows)) console.log(`${table.padEnd(24)} ${String(n).padStart(8)} rows`);
  console.log(`documents                ${String(manifest.documentFiles.files).padStart(8)} files`);
  for (const problem of problems) console.error(`problem: ${problem}`);
  console.log(problems.length === 0 ? `${values.verify}: whole (${manifest.createdAt})` : `${values.verify}: ${problems.length} problems`);
  process.exit(problems.length === 0 ? 0 : 1);
}

/** The database to export: DATABASE_URL, the running product's embedded one, or that one started for the export. */
async function database(): Promise<{ url: string; stop?: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL };
  const dataDir = join(resolve(process.env.PARVANEH_DATA_DIR ?? '.data'), 'postgres');
  if (!existsSync(`${dataDir}.password`)) throw new Error(`no DATABASE_URL, and no embedded database in ${dataDir}`);
  const port = Number(process.env.POSTGRES_PORT ?? 54320);
  const url = `postgres://parvaneh:${encodeURIComponent(readFileSync(`${dataDir}.password`, 'utf8').trim())}@127.0.0.1:${port}/parvaneh`;
  const probe = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await probe`select 1`;
    return { url };
  } catch {
    // Not running: start it for the export (never while `npm start` holds it), and stop it after.
    const cluster = await startEmbeddedPostgres({ dataDir, port });
    return { url: cluster.url, stop: () => cluster.stop() };
  } finally {
    await probe.end();
  }
}

const target = await database();
const client = postgres(target.url, { max: 2, onnotice: () => {} });
try {
  // No migration: the export takes the database as it is.
  const db = drizzle(client, { schema }) as unknown as Database;
  const { directory, manifest } = await exportData({ db, outDir: resolve(values.out!), calendar: loadHolidayCalendar() });
  for (const [table, entry] of Object.entries(manifest.tables)) console.log(`${table.padEnd(24)} ${String(entry.rows).padStart(8)} rows`);
  console.log(`documents                ${String(manifest.documentFiles.files).padStart(8)} files`);
  const check = await verifyExport(directory);
  if (check.problems.length > 0) throw new Error(`the export reads back with problems: ${check.problems.join('; ')}`);
  console.log(`exported to ${directory} (read back whole); keep it before the service is stopped`);
} finally {
  await client.end({ timeout: 5 });
  await target.stop?.();
}
