/**
 * Schema pieces every part of the API shares: bilingual titles, dates (ISO 8601 with the Jalali
 * form beside them), the problem+json body, and the headers every response carries.
 */
import { z } from 'zod';
import { responseSchema } from './registry.js';

/** A Persian and an English text, as the definitions and the problem titles carry them. */
export const Title = responseSchema('Title', z.object({
  fa: z.string().describe('Persian'),
  en: z.string().describe('English'),
}).describe('A text in Persian and English.'));

/**
 * A moment as ISO 8601 (UTC). Accepts a `Date` (what the database gives) or an ISO string and
 * always answers the string.
 */
export const IsoDateTime = z.union([z.date(), z.iso.datetime({ offset: true })])
  .transform((v) => (typeof v === 'string' ? new Date(v).toISOString() : v.toISOString()))
  .pipe(z.iso.datetime());

/** A JSON object of any shape (facts, event details, registry answers); typed loosely on the way in. */
export const JsonObject = z.unknown().pipe(z.record(z.string(), z.unknown()));

/** The same moment or day on the Solar Hijri calendar, in Iran's time: `1405/01/01` or `1405/01/01 14:30`. */
export const JalaliText = z.string().regex(/^\d{4}\/\d{2}\/\d{2}( \d{2}:\d{2})?$/)
  .describe('The Jalali (Solar Hijri) form, in Iran time: YYYY/MM/DD, with HH:mm for moments.');

export const ProblemSchema = responseSchema('Problem', z.object({
  type: z.url().describe('Stable URI naming the kind of problem; integrators branch on it.'),
  title: z.string().describe('English title.'),
  title_fa: z.string().describe('Persian title.'),
  status: z.number().int().describe('The HTTP status.'),
  detail: z.string().optional().describe('What exactly was wrong, in English.'),
  field: z.string().optional().describe('The offending input: a body field as a dotted path (`applicant.nationalCode`), a parameter name, or `(body)`.'),
  reason: z.string().regex(/^[A-Z][A-Z0-9_]*$/).optional().describe('For `change-refused` (422): the reason code of the definition\'s rule that refused the request, e.g. `CLOSURE_NOTICE_TOO_SHORT`; `title` and `title_fa` are its message. For `migration-refused` (422): why the migration is not allowed, e.g. `STEP_NOT_IN_TARGET`. For `maintenance-window-refused` (422): the rule of seed 003 the window breaks, e.g. `MAINTENANCE_STARTS_IN_PAST`.'),
  requestId: z.string().optional().describe('The request id (also in `x-request-id`); quote it when asking for support.'),
}).describe('RFC 9457 problem details (`application/problem+json`).'));

/** Names of the headers the OpenAPI document declares once under `components.headers`. */
export const HEADERS = {
  signature: 'x-jws-signature',
  requestId: 'x-request-id',
  rateLimit: 'RateLimit',
  rateLimitPolicy: 'RateLimit-Policy',
  location: 'Location',
} as const;
