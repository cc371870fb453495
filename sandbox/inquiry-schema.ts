/**
 * Request bodies accepted by `POST /registries/{registry}/inquiries`.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { InquirySubject, RegistryName } from './simulated-registries.js';

const nationalCode = z.string().regex(/^\d{10}$/, 'must be exactly 10 digits');
const mobile = z.string().regex(/^09\d{9}$/, 'must be an Iranian mobile number like 09121234567');

const common = {
  inquiryId: z.string().min(1).max(200),
  purpose: z.string().max(500).optional(),
  requester: z.string().max(200).optional(),
};

/** Body for every registry except sms. */
export const personInquirySchema = z.object({ ...common, subject: z.object({ nationalCode }) });

/** Body for the sms registry: subject by national code or mobile, plus the message text. */
export const smsInquirySchema = z.object({
  ...common,
  subject: z.union([z.object({ nationalCode }), z.object({ mobile })]),
  message: z.string().min(1).max(1000),
});

/** A validated inquiry, without any sms message text (which is never kept). */
export interface ParsedInquiry {
  inquiryId: string;
  subject: InquirySubject;
  purpose?: string;
  requester?: string;
  /** SHA-256 of the validated body, to recognise a reused inquiryId with a different body. */
  fingerprint: string;
}

/** Validation outcome: the inquiry, or a human-readable list of problems. */
export type ParseResult = { ok: true; inquiry: ParsedInquiry } | { ok: false; detail: string };

/** Validates a JSON body for `registry`. */
export function parseInquiry(registry: RegistryName, body: unknown): ParseResult {
  const schema = registry === 'sms' ? smsInquirySchema : personInquirySchema;
  const result = schema.safeParse(body);
  if (!result.success) {
    const detail = result.error.issues
      .map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`)
      .join('; ');
    return { ok: false, detail };
  }
  const data = result.data;
  return {
    ok: true,
    inquiry: {
      inquiryId: data.inquiryId,
      subject: data.subject,
      purpose: data.purpose,
      requester: data.requester,
      fingerprint: createHash('sha256').update(JSON.stringify(data)).digest('hex'),
    },
  };
}
