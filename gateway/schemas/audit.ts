/** The audit chain's verification on the wire. */
import { z } from 'zod';
import { requestSchema, responseSchema } from '../openapi/registry.js';

const ChainHead = z.object({ id: z.number().int(), hash: z.string().regex(/^[0-9a-f]{64}$/), entries: z.number().int() });

const HeadDocument = z.object({
  type: z.literal('parvaneh-audit-head'),
  publishedAt: z.iso.datetime(),
  head: z.string().regex(/^[0-9a-f]{64}$/),
  entries: z.number().int().min(0),
  chains: z.record(z.string().regex(/^[0-9]{1,3}$/), ChainHead),
}).strict();

export const HeadPublicationBody = requestSchema('AuditHeadPublication', z.object({
  document: HeadDocument,
  signature: z.string().max(2000).describe('Detached compact JWS (ES256) over the canonical JSON of `document`, by the gateway\'s key.'),
}).strict().describe('An audit head as published (a file from AUDIT_HEADS_DIR, or the portal\'s copy).'));

export const AuditVerificationResult = responseSchema('AuditVerification', z.object({
  ok: z.boolean(),
  entries: z.number().int().optional().describe('Entries verified (when ok).'),
  head: z.string().optional().describe('The verified head: a hash over every chain\'s last entry (when ok).'),
  chains: z.number().int().optional().describe('How many chains the trail is kept in so far (when ok).'),
  brokenAt: z.number().int().optional().describe('The first entry that does not verify (when not ok).'),
  reason: z.enum(['entry-does-not-match', 'differs-from-published']).optional(),
  checkedAgainst: z.object({ publishedAt: z.string(), head: z.string() }).nullable().describe('The published head the trail was checked against, if any.'),
}));
