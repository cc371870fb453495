/**
 * The fixed parts of the OpenAPI document: the introduction, the tags (English and Persian), the
 * headers every response carries, and one problem response per error status.
 */
import type { HeaderObject, TagObject } from 'openapi3-ts/oas31';
import { HEADERS } from './common.js';
import type { ProblemStatus } from './route.js';

export const API_DESCRIPTION = `The licensing gateway for the national permits portal, county and province offices and integrators.

**Authentication.** \`Authorization: Bearer <JWT>\`. Each operation lists the roles it admits in \`x-roles\`; a county office
sees only its county, a province office only its province; \`public\` operations need no token.

**Signed responses.** Every response carries \`x-jws-signature\`: a compact JWS (ES256) with a detached payload over the exact
response body. Its protected header holds \`kid\`, \`iat\`, \`htm\` (method), \`htu\` (path and query) and \`rid\` (the
\`x-request-id\`). Verify it against \`/.well-known/jwks.json\`; keys rotate and retired keys stay published.

**Idempotency.** Every \`POST\` needs an \`Idempotency-Key\`; a retry with the same key and body replays the first response.

**Errors.** RFC 9457 \`application/problem+json\` with a stable \`type\`, English \`title\`, Persian \`title_fa\`, the offending
\`field\` and the \`requestId\`.

**Dates.** ISO 8601 (UTC); wherever a person reads a date, its Jalali form (Iran time) stands beside it as \`…Jalali\`.

The guide for integrators is \`docs/api.md\`; this reference is also served as a web page at \`/docs\`.`;

export const TAGS: TagObject[] = [
  { name: 'applications', description: 'Applications for a licence: submit, follow, withdraw, attach documents.', 'x-title-fa': 'درخواست‌ها' },
  { name: 'tracking', description: 'The citizen\'s view by tracking code.', 'x-title-fa': 'پیگیری' },
  { name: 'tasks', description: 'The offices\' inbox and decisions.', 'x-title-fa': 'کارتابل' },
  { name: 'licences', description: 'Issued licences: read, verify, renew, suspend, revoke, close.', 'x-title-fa': 'پروانه‌ها' },
  { name: 'licence-types', description: 'The licence processes and their versions.', 'x-title-fa': 'انواع پروانه' },
  { name: 'service-levels', description: 'The service-level statement kept: planned maintenance announced in advance (seed 003).', 'x-title-fa': 'سطح خدمات' },
  { name: 'office', description: 'An office\'s own figures: its tasks, the time each step takes, the inquiries waiting.', 'x-title-fa': 'آمار دفتر' },
  { name: 'calls', description: 'Competitive calls: registration, exam results and the published ranking.', 'x-title-fa': 'فراخوان‌ها' },
  { name: 'callbacks', description: 'Late answers from slow registries (called by the registries).', 'x-title-fa': 'پاسخ استعلام‌ها' },
  { name: 'operations', description: 'For the national office: the portal link\'s dead letters, the audit chain, the Temporal codec server.', 'x-title-fa': 'عملیات' },
  { name: 'gateway', description: 'Health, signing keys and this description.', 'x-title-fa': 'درگاه' },
];

export const HEADER_COMPONENTS: Record<string, HeaderObject> = {
  [HEADERS.signature]: {
    description: 'Compact JWS (ES256) with a detached payload over the exact response body: `<protected>..<signature>`. The protected header has `kid`, `iat`, `htm`, `htu`, `rid`.',
    required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]+\\.\\.[A-Za-z0-9_-]+$' },
  },
  [HEADERS.requestId]: { description: 'The request id: yours if you sent one, otherwise generated. Quote it when asking for support.', required: true, schema: { type: 'string' } },
  [HEADERS.rateLimit]: { description: 'Remaining quota in the current window (IETF RateLimit header fields), e.g. `"default";r=59;t=30`.', schema: { type: 'string' } },
  [HEADERS.rateLimitPolicy]: { description: 'The quota policy, e.g. `"default";q=60;w=60`.', schema: { type: 'string' } },
  [HEADERS.location]: { description: 'Where the created or started resource can be read.', schema: { type: 'string' } },
  'Cache-Control': { description: 'How long the answer may be cached.', schema: { type: 'string' } },
  'Content-Disposition': { description: 'A download: `attachment; filename="<ASCII fallback>"; filename*=UTF-8\'\'<the stored name, percent-encoded>` (RFC 6266, RFC 5987).', required: true, schema: { type: 'string' } },
  'X-Content-Type-Options': { description: 'Always `nosniff`: the content is to be taken as the media type it is sent as, and nothing else.', required: true, schema: { type: 'string', const: 'nosniff' } },
};

const example = (code: string, title: string, titleFa: string, detail: string, field?: string) => ({
  type: `https://parvaneh.example/problems/${code}`, title, title_fa: titleFa, detail, ...(field ? { field } : {}), requestId: '0f8e2b1c-5d4a-4e3b-9c2d-1a0b9c8d7e6f',
});

export const PROBLEM_RESPONSES: Record<ProblemStatus, { name: string; description: string; example: object }> = {
  400: {
    name: 'BadRequest', description: 'The request is invalid: malformed JSON, a missing, unknown or wrong field (named in `field`), or a body too large.',
    example: example('national-code', 'invalid national code', 'کد ملی نامعتبر است', 'applicant.nationalCode: the check digit is wrong', 'applicant.nationalCode'),
  },
  401: {
    name: 'Unauthenticated', description: 'No valid bearer token (or, for callbacks, no valid registry signature).',
    example: example('unauthenticated', 'not authenticated', 'احراز هویت نشد', 'listLicences needs a bearer token'),
  },
  403: {
    name: 'Forbidden', description: 'Your role may not do this, or the resource is outside your county or province.',
    example: example('out-of-scope', 'outside your scope', 'خارج از حوزه دسترسی شما', 'licence WSC-AL-1405-000001 is outside your scope'),
  },
  404: {
    name: 'NotFound', description: 'No such resource.',
    example: example('not-found', 'licence not found', 'پروانه یافت نشد', 'no licence WSC-AL-1405-999999'),
  },
  409: {
    name: 'Conflict', description: 'The resource is not in a state that allows this (e.g. the application has ended), or the Idempotency-Key was used with another body.',
    example: example('application-ended', 'the application has ended', 'درخواست پایان یافته است', 'status is approved'),
  },
  429: {
    name: 'TooManyRequests', description: 'Rate limit exceeded; retry after the time the `RateLimit` header gives.',
    example: example('rate-limited', 'too many requests', 'درخواست‌ها بیش از حد مجاز است', 'retry in 30 seconds'),
  },
  503: {
    name: 'Unavailable', description: 'A dependency (the database, the process engine) is not answering; retry later with the same Idempotency-Key.',
    example: example('workflow-unavailable', 'the process engine is unavailable', 'موتور فرایند در دسترس نیست', 'the process could not be started or reached; retry later'),
  },
};
