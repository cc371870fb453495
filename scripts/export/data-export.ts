/**
 * The export an operator takes before a service is terminated (seed 003, §7: "ارائه کننده ابتدا یک
 * نسخه پشتیبان از اطلاعات بهره برداران تهیه نموده و سپس نسبت به قطع خدمت اقدام خواهد کرد"): every
 * table of the schema, one JSON line per row, read in one snapshot, into a dated directory with a
 * manifest of row counts and hashes; each document's content as a file of its own, checked against
 * the hash its metadata records. `verifyExport` reads an export back and checks it whole.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { asc, eq, getTableColumns, getTableName, sql } from 'drizzle-orm';
import { getTableConfig, PgTable, type PgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client.js';
import { queryRows } from '../../db/query.js';
import * as schema from '../../db/schema/index.js';
import { documents } from '../../db/schema/index.js';
import { formatJalali, type HolidayCalendar } from '../../dsl/calendar.js';

/** Tables not exported, and why: each holds nothing of the users' that is not elsewhere in the export. */
export const NOT_EXPORTED: Record<string, string> = {
  idempotency_keys: 'a replay cache of the gateway\'s responses, kept for hours; every state change it replays is in the other tables',
};

/** Every table of the schema, by SQL name. */
export function schemaTables(): Map<string, PgTable> {
  const tables = new Map<string, PgTable>();
  for (const value of Object.values(schema)) if (value instanceof PgTable) tables.set(getTableName(value), value);
  return tables;
}

/** The tables an export holds: every table of the schema but those `NOT_EXPORTED` names. */
export function exportedTables(): [string, PgTable][] {
  return [...schemaTables()].filter(([name]) => !(name in NOT_EXPORTED)).sort(([a], [b]) => a.localeCompare(b));
}

function primaryKeyOf(table: PgTable): PgColumn[] {
  const config = getTableConfig(table);
  const single = config.columns.filter((c) => c.primary);
  return single.length > 0 ? single : config.primaryKeys[0]?.columns ?? config.columns;
}

export interface ExportManifest {
  format: 'parvaneh-export/1';
  createdAt: string;
  createdAtJalali: string;
  /** The last migration the database ran: the schema the rows have. */
  migration: { hash: string; createdAt: number } | null;
  tables: Record<string, { file: string; rows: number; sha256: string }>;
  /** Each document's content, `documents/<id>`, named by its metadata's sha256. */
  documentFiles: { directory: string; files: number; bytes: number };
  notExported: Record<string, string>;
}

const PAGE = 1000;
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** A row as one JSON line: dates as ISO strings, bigints as numbers, bytes as base64. */
const jsonLine = (row: Record<string, unknown>) => JSON.stringify(row, (_key, value: unknown) => (Buffer.isBuffer(value) ? value.toString('base64') : value));

/**
 * Writes the export into `<outDir>/parvaneh-export-<UTC date-time>/` and returns its directory and
 * manifest. Every table is read in one repeatable-read, read-only transaction: the counts are one
 * moment's, even while the product runs.
 * @example const { directory } = await exportData({ db, outDir: 'exports', calendar })
 */
export async function exportData({ db, outDir, calendar, now = new Date() }: { db: Database; outDir: string; calendar: HolidayCalendar; now?: Date }) {
  const directory = join(outDir, `parvaneh-export-${now.toISOString().replace(/[:.]/g, '-')}`);
  if (existsSync(directory)) throw new Error(`${directory} exists already`);
  mkdirSync(join(directory, 'documents'), { recursive: true });
  const manifest: ExportManifest = {
    format: 'parvaneh-export/1', createdAt: now.toISOString(), createdAtJalali: formatJalali(now.getTime(), calendar, true),
    migration: null, tables: {}, documentFiles: { directory: 'documents', files: 0, bytes: 0 }, notExported: NOT_EXPORTED,
  };
  await db.transaction(async (tx) => {
    const [last] = await queryRows<{ hash: string; created_at: string }>(tx, sql`select hash, created_at from drizzle.__drizzle_migrations order by id desc limit 1`);
    manifest.migration = last ? { hash: last.hash, createdAt: Number(last.created_at) } : null;
    // A document's content goes to a file of its own; its line keeps the metadata.
    const { content: _content, ...documentMetadata } = getTableColumns(documents);
    for (const [name, table] of exportedTables()) {
      const columns = table === documents ? documentMetadata : getTableColumns(table);
      const file = `${name}.ndjson`;
      const out = openSync(join(directory, file), 'w');
      const hash = createHash('sha256');
      let count = 0;
      try {
        for (let offset = 0; ; offset += PAGE) {
          const page = await tx.select(columns).from(table).orderBy(...primaryKeyOf(table).map((c) => asc(c))).limit(PAGE).offset(offset) as Record<string, unknown>[];
          const text = page.map((row) => `${jsonLine(row)}\n`).join('');
          writeSync(out, text);
          hash.update(text);
          count += page.length;
          if (table === documents) {
            for (const row of page) {
              const [doc] = await tx.select({ content: documents.content }).from(documents).where(eq(documents.id, row.id as string));
              writeFileSync(join(directory, 'documents', row.id as string), doc!.content);
              manifest.documentFiles.files += 1;
              manifest.documentFiles.bytes += doc!.content.length;
            }
          }
          if (page.length < PAGE) break;
        }
      } finally {
        closeSync(out);
      }
      manifest.tables[name] = { file, rows: count, sha256: hash.digest('hex') };
    }
  }, { isolationLevel: 'repeatable read', accessMode: 'read only' });
  writeFileSync(join(directory, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { directory, manifest };
}

/** The rows of one table of an export, parsed. */
export async function readExportedTable(directory: string, table: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  const lines = createInterface({ input: createReadStream(join(directory, `${table}.ndjson`), 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) if (line !== '') rows.push(JSON.parse(line) as Record<string, unknown>);
  return rows;
}

/**
 * Reads an export back: each table file's hash and row count against the manifest, every line
 * parsed, and each document's file against the sha256 its metadata records. Returns the problems
 * found (none: the export is whole) and the rows per table.
 */
export async function verifyExport(directory: string): Promise<{ manifest: ExportManifest; rows: Record<string, number>; problems: string[] }> {
  const manifest = JSON.parse(readFileSync(join(directory, 'manifest.json'), 'utf8')) as ExportManifest;
  const problems: string[] = [];
  const rows: Record<string, number> = {};
  for (const [table, entry] of Object.entries(manifest.tables)) {
    const text = readFileSync(join(directory, entry.file), 'utf8');
    if (sha256(text) !== entry.sha256) problems.push(`${entry.file}: its sha256 differs from the manifest's`);
    let parsed: Record<string, unknown>[] = [];
    try {
      parsed = await readExportedTable(directory, table);
    } catch (error) {
      problems.push(`${entry.file}: a line is not JSON (${(error as Error).message})`);
    }
    rows[table] = parsed.length;
    if (parsed.length !== entry.rows) problems.push(`${entry.file}: ${parsed.length} rows, the manifest says ${entry.rows}`);
    if (table === 'documents') {
      for (const doc of parsed) {
        const path = join(directory, manifest.documentFiles.directory, String(doc.id));
        if (!existsSync(path)) problems.push(`documents/${String(doc.id)}: missing`);
        else if (sha256(readFileSync(path)) !== doc.sha256) problems.push(`documents/${String(doc.id)}: its content does not match its sha256`);
      }
    }
  }
  return { manifest, rows, problems };
}
