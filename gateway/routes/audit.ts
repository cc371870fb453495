/** The audit chain, verified on demand by the national office (domain/audit-head.ts publishes it on a schedule). */
import type { HeadPublication } from '../../domain/audit-head.js';
import { lastPublishedHead, verifyPublication } from '../../domain/audit-head.js';
import { verifyAuditChain } from '../../domain/audit.js';
import type { ServiceDeps } from '../../services/context.js';
import { invalid } from '../../services/errors.js';
import { describeRoute } from '../openapi/route.js';
import { AuditVerificationResult, HeadPublicationBody } from '../schemas/audit.js';

const example = {
  ok: true, entries: 1204, head: '9f2c0a7e5d3b1f4c6a8e0d2b4f6a8c0e2d4b6f8a0c2e4d6b8f0a2c4e6d8b0f2a', chains: 57,
  checkedAgainst: { publishedAt: '2026-12-01T09:00:00.000Z', head: '4b1d9e7c5a3f1b8d6e4c2a0f9d7b5e3c1a8f6d4b2e0c9a7f5d3b1e8c6a4f2d0b' },
};

async function verify(deps: ServiceDeps, against: HeadPublication | undefined) {
  const result = await verifyAuditChain(deps.db, { against: against?.document });
  const checkedAgainst = against ? { publishedAt: against.document.publishedAt, head: against.document.head } : null;
  return result.ok
    ? { ok: true, entries: result.entries, head: result.head, chains: Object.keys(result.chains).length, checkedAgainst }
    : { ok: false, brokenAt: result.brokenAt, reason: result.reason, checkedAgainst };
}

export const auditRoutes = [
  describeRoute({
    method: 'get', path: '/v1/audit/verification', operationId: 'verifyAuditTrail', tags: ['operations'],
    summary: 'Verify the audit trail now', summaryFa: 'وارسی زنجیره رویدادنگاری',
    description: 'Recomputes every hash of the audit trail and checks it against the last head sent to the national portal. '
      + 'A trail rewritten together with our copy of that head is caught by `POST` with the archived head instead.',
    access: ['national-office'],
    responses: { 200: { description: 'The verdict: the verified head, or the first entry that does not verify.', schema: AuditVerificationResult, example } },
  }, async ({ ctx }) => ({ status: 200, body: await verify(ctx.deps, await lastPublishedHead(ctx.deps.db)) })),

  describeRoute({
    method: 'post', path: '/v1/audit/verification', operationId: 'verifyAuditTrailAgainstHead', tags: ['operations'],
    summary: 'Verify the audit trail against an archived head', summaryFa: 'وارسی زنجیره رویدادنگاری با سر منتشرشده',
    description: 'The operator brings a head published earlier (a file from AUDIT_HEADS_DIR): its signature is checked against '
      + 'the gateway\'s keys, then every entry it names must still be there with the hash it had.',
    access: ['national-office'],
    request: { body: { schema: HeadPublicationBody, example: () => ({ document: { type: 'parvaneh-audit-head' as const, publishedAt: '2026-12-01T09:00:00.000Z', head: '4b1d'.padEnd(64, '0'), entries: 2, chains: { 7: { id: 2, hash: 'a1'.padEnd(64, '0'), entries: 2 } } }, signature: 'eyJhbGciOiJFUzI1NiJ9..c2ln' }) } },
    responses: { 200: { description: 'The verdict.', schema: AuditVerificationResult, example } },
  }, async ({ c, ctx, body }) => {
    try {
      await verifyPublication(body as HeadPublication, c.var.gateway.jwks());
    } catch (error) {
      throw invalid('head-signature-invalid', 'signature', { fa: 'امضای سر زنجیره معتبر نیست', en: 'the head\'s signature does not verify' }, (error as Error).message);
    }
    return { status: 200, body: await verify(ctx.deps, body as HeadPublication) };
  }),
];
