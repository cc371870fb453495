/**
 * A registry's endpoint: the URL it is asked at, whether it answers at once or later by callback,
 * the request body of an inquiry, and the schema of what it may answer. The HTTP caller and the
 * audit record are shared; only the endpoint differs per registry (the SMS gateway has one too).
 */
import { z } from 'zod';
import type { Text } from '../../dsl/schema.js';

/** What an adapter needs to build a request body; the same input always builds the same body. */
export interface InquiryBody {
  inquiryId: string;
  nationalCode: string;
  /** Why we ask, in English (registries log it next to the inquiry). */
  purpose?: string;
  /** Who asks, e.g. `welfare-services-centre@v1#securityClearance`. */
  requester: string;
  /** SMS only: the message text. */
  message?: string;
}

/** One system's inquiry endpoint: request body and answer schema. */
export interface InquiryEndpoint {
  /** Name as used in process definitions and URLs, e.g. `civil-registry`. */
  name: string;
  /** `sync` answers in the response; `async` accepts (202) and calls back later. */
  mode: 'sync' | 'async';
  /** Path under the registries' base URL. */
  path: string;
  title: Text;
  /** The body to POST; it must be deterministic, since the registry fingerprints it per idempotency key. */
  body(input: InquiryBody): Record<string, unknown>;
  /** Every shape of answer the system may give. */
  answer: z.ZodType<Record<string, unknown>>;
}

/** The answer every person registry gives for a national code it does not know. */
export const notFound = z.object({ nationalCode: z.string(), found: z.literal(false) });

/** A calendar date as the registries write it (YYYY-MM-DD). */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-03-31');

/** The body every person registry takes: the inquiry id, the subject, and who asks why. */
export function personInquiry(input: InquiryBody): Record<string, unknown> {
  return {
    inquiryId: input.inquiryId,
    subject: { nationalCode: input.nationalCode },
    ...(input.purpose ? { purpose: input.purpose } : {}),
    requester: input.requester,
  };
}

/** Path of a registry's inquiry endpoint. @example inquiryPath('addiction') // '/registries/addiction/inquiries' */
export const inquiryPath = (name: string): string => `/registries/${name}/inquiries`;
