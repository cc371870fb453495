/**
 * The audit chain's signed head (issue 13): published to a file and to the portal; the national
 * office verifies the trail on demand, against the last published head, so a table rewritten and
 * re-hashed from the start is caught.
 */
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../db/schema/index.js';
import { runStatement } from '../db/query.js';
import { appendAudit, entryHash, GENESIS_HASH } from '../domain/audit.js';
import { outboxChangedSignal } from '../domain/workflow-interfaces/licence-process.js';
import { control, json } from '../sandbox/sandbox-client.js';
import { latestArchivedHead, publishAuditHead, type HeadPublication } from '../domain/audit-head.js';
import { signerFor } from '../worker/signer.js';
import { api, applicationFor, eventually, processEnded } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';
import { tokenFor } from './support/tokens.js';

let h: Harness;
const dir = mkdtempSync(join(tmpdir(), 'edge-evidence-audit-heads-'));

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

type Verdict = { ok: boolean; entries?: number; head?: string; brokenAt?: number; reason?: string; checkedAgainst: { head: string } | null };

describe('the audit chain\'s published head', () => {
  let published: HeadPublication;

  it('is verified, signed and published to a file and to the portal; the national office verifies against it', async () => {
    const res = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: await tokenFor(h, 'portal'), body: await applicationFor(h, '0023456787') });
    expect(res.status, res.text).toBe(202);
    await processEnded(h, res.body.applicationId);
    for (let i = 0; i < 5; i++) await appendAudit(h.db.db, { actor: 'test', action: 'licence.noted', subjectType: 'licence', subjectId: `L-${i}`, detail: { i } });

    const { verification, file } = await publishAuditHead({ db: h.db.db, sign: signerFor(h.signingKeys), dir });
    expect(verification.ok).toBe(true);
    published = latestArchivedHead(dir)!;
    expect(JSON.parse(readFileSync(file!, 'utf8'))).toEqual(published);
    expect(published.document).toMatchObject({ type: 'parvaneh-audit-head', head: (verification as { head: string }).head });
    expect(published.document.entries).toBeGreaterThan(5);

    await h.client.workflow.getHandle(h.outboxWorkflowId).signal(outboxChangedSignal);
    const atPortal = await eventually(async () => json<{ accepted: { event: string; payload: HeadPublication }[] }>(await control(h.sandboxUrl, 'GET', '/control/portal/notifications?subject=audit-chain')).accepted[0], 'the head at the portal');
    expect(atPortal).toMatchObject({ event: 'audit-head-published', payload: { document: { head: published.document.head } } });

    const national = await tokenFor(h, 'national');
    const now = await api<Verdict>(h, 'GET', '/v1/audit/verification', { token: national });
    expect(now.status, now.text).toBe(200);
    expect(now.body).toMatchObject({ ok: true, checkedAgainst: { head: published.document.head } });
    const withFile = await api<Verdict>(h, 'POST', '/v1/audit/verification', { token: national, body: published });
    expect(withFile.body).toMatchObject({ ok: true });
    for (const caller of ['portal', 'integrator', 'khuzestan'] as const) {
      expect((await api(h, 'GET', '/v1/audit/verification', { token: await tokenFor(h, caller) })).status).toBe(403);
    }
  });

  it('refuses a head whose signature does not verify, naming the field', async () => {
    const forged = { ...published, document: { ...published.document, entries: published.document.entries + 1 } };
    const res = await api<{ field?: string }>(h, 'POST', '/v1/audit/verification', { token: await tokenFor(h, 'national'), body: forged });
    expect(res.status, res.text).toBe(400);
    expect(res.body.field).toBe('signature');
  });

  it('catches a table rewritten and re-hashed from the start, against the last published head', async () => {
    // The forger edits the first entry and recomputes every hash after it, chain by chain.
    await runStatement(h.db.db, sql`update audit_log set actor = 'someone-else' where id = (select min(id) from audit_log)`);
    const rows = await h.db.db.select().from(auditLog).orderBy(auditLog.chain, auditLog.id);
    const prev = new Map<number, string>();
    for (const row of rows) {
      const prevHash = prev.get(row.chain) ?? GENESIS_HASH;
      const hash = entryHash(prevHash, row);
      await runStatement(h.db.db, sql`update audit_log set prev_hash = ${prevHash}, hash = ${hash} where id = ${row.id}`);
      prev.set(row.chain, hash);
    }
    const national = await tokenFor(h, 'national');
    const now = await api<Verdict>(h, 'GET', '/v1/audit/verification', { token: national });
    expect(now.body).toMatchObject({ ok: false, reason: 'differs-from-published' });
    const withFile = await api<Verdict>(h, 'POST', '/v1/audit/verification', { token: national, body: published });
    expect(withFile.body).toMatchObject({ ok: false, reason: 'differs-from-published' });
    // A broken chain is not published again.
    const again = await publishAuditHead({ db: h.db.db, sign: signerFor(h.signingKeys), dir });
    expect(again.verification.ok).toBe(false);
    expect(again.file).toBeUndefined();
  });
});
