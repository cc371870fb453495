/** Licences on the wire: the offices' view, the public verification, and lifecycle changes. */
import { z } from 'zod';
import { normaliseLicenceNumber } from '../../services/licences.js';
import { normaliseText } from '../../services/identifiers.js';
import { IsoDateTime, JalaliText, Title } from '../openapi/common.js';
import { requestSchema, responseSchema } from '../openapi/registry.js';

export const LicenceStatus = z.enum(['active', 'expired', 'suspended', 'revoked', 'closed'])
  .describe('`expired` includes an active licence past its end.');

export const LicenceNumberParam = z.object({
  licenceNumber: z.string().min(3).max(60).transform(normaliseLicenceNumber).pipe(z.string().regex(/^[A-Z0-9-]+$/))
    .meta({ description: 'The licence number, e.g. `WSC-AL-1405-000123` (Persian digits and lower case accepted).', examples: ['WSC-AL-1405-000001'] }),
});

const validity = {
  validFrom: IsoDateTime,
  validFromJalali: JalaliText,
  validUntil: IsoDateTime,
  validUntilJalali: JalaliText,
  valid: z.boolean().describe('Genuine and in force now: active and within its validity.'),
};

export const Licence = responseSchema('Licence', z.object({
  number: z.string(),
  kind: z.string().describe('The licence kind in its definition, e.g. `principle-agreement`, `activity-licence`.'),
  title: Title,
  licenceType: z.string(),
  licenceTypeTitle: Title.nullable(),
  applicationId: z.uuid().describe('The application that issued it.'),
  holderNationalCode: z.string(),
  holderName: z.string().nullable(),
  county: z.string(),
  province: z.string(),
  status: LicenceStatus,
  ...validity,
}));

export const LicenceList = responseSchema('LicenceList', z.object({ items: z.array(Licence) }));

export const LicenceListQuery = z.object({
  status: LicenceStatus.optional(),
  licenceType: z.string().regex(/^[a-z][a-z0-9-]*$/).optional(),
  county: z.string().regex(/^[a-z][a-z0-9-]*$/).optional().describe('Only this county (within your scope).'),
  holderNationalCode: z.string().transform(normaliseText).pipe(z.string().regex(/^\d{10}$/)).optional().describe('Only licences held by this person.'),
  limit: z.coerce.number().int().min(1).max(200).optional().describe('At most this many, newest first (default 50).'),
}).strict();

export const LicenceVerification = responseSchema('LicenceVerification', z.object({
  number: z.string(),
  kind: z.string(),
  title: Title,
  licenceType: z.object({ id: z.string(), title: Title.nullable() }),
  status: LicenceStatus,
  ...validity,
  holderName: z.string().nullable().describe('Masked: only the first letter of each name, e.g. `ع*** ر***`.'),
  county: z.object({ id: z.string(), title: Title.nullable() }),
  checkedAt: IsoDateTime,
  checkedAtJalali: JalaliText,
}).describe('Public verification: a positive answer is legally sufficient; no national code is shown.'));

const isoDay = z.string().transform(normaliseText).pipe(z.iso.date());

export const RenewalRequest = requestSchema('RenewalRequest', z.object({
  requestedBy: z.enum(['holder', 'county-office']).optional().describe('Who asked for the renewal (due 3 months before expiry).'),
}).strict());

export const DueProcessRequest = requestSchema('DueProcessRequest', z.object({
  grounds: z.string().min(3).max(2000).describe('The violation or complaint the action rests on.'),
  legalBasis: z.string().min(3).max(500).describe('The article of the regulation applied.'),
  responseDays: z.number().int().min(1).max(60).optional().describe('Days the holder has to answer before the action takes effect.'),
}).strict().describe('A suspension or revocation (Art. 26 regulation).'));

export const ClosureNoticeRequest = requestSchema('ClosureNoticeRequest', z.object({
  kind: z.enum(['temporary', 'permanent']),
  effectiveDate: isoDay.meta({ description: 'The day the centre closes (ISO 8601); at least 3 months after the notice.' }),
}).strict().describe('The holder\'s written notice of a temporary or permanent closure (≥ 3 months ahead, Art. 8).'));

export const LicenceChangeStarted = responseSchema('LicenceChangeStarted', z.object({
  applicationId: z.uuid().describe('The change runs as an application of its own lifecycle process.'),
  trackingCode: z.string(),
  licenceNumber: z.string(),
  change: z.string().pipe(z.enum(['renewal', 'suspension', 'revocation', 'closure-notice'])),
  definitionVersion: z.number().int(),
}));
