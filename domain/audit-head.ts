/**
 * The audit trail's head, signed and published: on a schedule the chain is verified and its head
 * (every chain's last entry: id and hash) is signed with the gateway's signing key and
 *
 *  - written to a file in AUDIT_HEADS_DIR, for operators to archive off the database;
 *  - sent to the national permits portal (subject `audit-chain`, event `audit-head-published`),
 *    a witness outside our control.
 *
 * A table rewritten and re-hashed from the start verifies on its own; against a head published
 * before the rewrite it does not (domain/audit.ts `verifyAuditChain({ against })`). A broken chain
 * is not published: the schedule logs an operator alert instead.
 */
import { desc, eq } from 'drizzle-orm';
import type { JSONWebKeySet } from 'jose';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Database } from '../db/client.js';
import { outbox } from '../db/schema/index.js';
import { canonicalJson, verifyAuditChain, type AuditVerification, type PublishedHead } from './audit.js';
import { enqueueNotification } from './outbox.js';
import { verifyDetached } from '../platform/jws.js';

/** What is signed: the head and when it was published. */
export interface HeadDocument extends PublishedHead {
  type: 'parvaneh-audit-head';
  publishedAt: string;
}

/** A publication as archived: the document and a detached JWS (ES256, the gateway's key) over its canonical JSON. */
export interface HeadPublication {
  document: HeadDocument;
  signature: string;
}

/** Signs bytes: a compact detached JWS by the gateway's active key (the portal adapter's signer). */
export type RequestSigner = (body: Uint8Array, claims: Record<string, unknown>) => string;

export const AUDIT_HEAD_SUBJECT = 'audit-chain';
const encode = (document: HeadDocument) => new TextEncoder().encode(canonicalJson(document));

/** Verifies the chain and, when it holds, signs and publishes its head. */
export async function publishAuditHead({ db, sign, dir, now = () => new Date() }: { db: Database; sign: RequestSigner; dir?: string; now?: () => Date }): Promise<{ verification: AuditVerification; publication?: HeadPublication; file?: string }> {
  const last = await lastPublishedHead(db);
  const verification = await verifyAuditChain(db, { against: last?.document });
  if (!verification.ok) return { verification };
  const document: HeadDocument = { type: 'parvaneh-audit-head', publishedAt: now().toISOString(), head: verification.head, entries: verification.entries, chains: verification.chains };
  const publication: HeadPublication = { document, signature: sign(encode(document), { purpose: 'parvaneh-audit-head' }) };
  let file: string | undefined;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    file = join(dir, `audit-head-${document.publishedAt.replace(/[:.]/g, '-')}.json`);
    writeFileSync(`${file}.tmp`, `${JSON.stringify(publication, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
  }
  await enqueueNotification(db, { dedupeKey: `audit-head:${document.publishedAt}:${document.head}`, subject: AUDIT_HEAD_SUBJECT, event: 'audit-head-published', payload: { ...publication } });
  return { verification, publication, file };
}

/** The last head sent to the portal (our database's copy of it), if any. */
export async function lastPublishedHead(db: Database): Promise<HeadPublication | undefined> {
  const [row] = await db.select({ payload: outbox.payload }).from(outbox).where(eq(outbox.subject, AUDIT_HEAD_SUBJECT)).orderBy(desc(outbox.sequence)).limit(1);
  return row?.payload as HeadPublication | undefined;
}

/** The newest publication in an archive directory. */
export function latestArchivedHead(dir: string): HeadPublication | undefined {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^audit-head-.*\.json$/.test(n)).sort();
  } catch {
    return undefined;
  }
  const name = names.at(-1);
  return name ? JSON.parse(readFileSync(join(dir, name), 'utf8')) as HeadPublication : undefined;
}

/** Throws unless `publication` is signed by one of `jwks` (the gateway's, retired keys included). */
export async function verifyPublication(publication: HeadPublication, jwks: JSONWebKeySet): Promise<void> {
  if (publication.document?.type !== 'parvaneh-audit-head') throw new TypeError('not an audit head publication');
  await verifyDetached(publication.signature, encode(publication.document), jwks);
}

/**
 * Publishes the head now and every `intervalMs` (default an hour); a broken chain is logged as an
 * operator alert (ids only) and not published. Returns a stop function.
 */
export function scheduleAuditHeadPublication(opts: { db: Database; sign: RequestSigner; dir?: string; intervalMs?: number; logger: Pick<Logger, 'error' | 'info'> }): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const { verification, file } = await publishAuditHead(opts);
      if (!verification.ok) opts.logger.error({ alert: 'audit-chain-broken', brokenAt: verification.brokenAt, reason: verification.reason }, 'the audit chain does not verify');
      else opts.logger.info({ head: verification.head, entries: verification.entries, file }, 'audit head published');
    } catch (error) {
      opts.logger.error({ alert: 'audit-head-not-published', error: (error as Error).message }, 'the audit head could not be published');
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), opts.intervalMs ?? 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}
