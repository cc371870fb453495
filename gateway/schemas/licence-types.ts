/** Licence types on the wire: the processes written in the DSL and their versions. */
import { z } from 'zod';
import { JsonObject, Title } from '../openapi/common.js';
import { responseSchema } from '../openapi/registry.js';

export const Fee = responseSchema('Fee', z.object({
  status: z.enum(['set', 'not-set', 'not-applicable'])
    .describe('`set`: the authority set the fee (`amount` 0 is free); `not-set`: no fee set yet; `not-applicable`: nobody requests this process (a standing process, a change only an office starts).'),
  amount: z.number().int().min(0).nullable().describe('Whole rials, when set.'),
  currency: z.literal('IRR').nullable(),
  basis: Title.nullable().describe('The tariff the fee rests on.'),
  text: Title.describe('The fee as a person reads it: `۳۲۲٬۰۰۰ ریال`, `no fee set`.'),
}).describe('The fee of the service (seed 003, §5: stated separately for each service), from the authority\'s tariff (`processes/tariffs/fees.yaml`).'));

export const LicenceTypeSummary = responseSchema('LicenceTypeSummary', z.object({
  id: z.string(),
  kind: z.enum(['application', 'lifecycle', 'call', 'standing']).describe('`application`: citizens apply for it; `lifecycle`: runs a change to an issued licence; `call`: a competitive call, registered in through `POST /v1/calls/{callId}/registrations`; `standing`: runs beside an issued licence from its issue (renewal reminders, expiry, recurring obligations).'),
  title: Title,
  currentVersion: z.number().int().nullable().describe('The version a new application takes today; null before the first takes effect.'),
  versions: z.array(z.number().int()),
  fee: Fee,
}));

export const LicenceTypeList = responseSchema('LicenceTypeList', z.object({ items: z.array(LicenceTypeSummary) }));

export const LicenceTypeVersion = responseSchema('LicenceTypeVersion', z.object({
  version: z.number().int(),
  effectiveFrom: z.string().describe('Jalali date the version takes effect: YYYY/MM/DD.'),
  hash: z.string(),
  title: Title,
  catalogue: JsonObject.nullable().describe('The national permits portal\'s catalogue entry: authority, legal basis, documents, days to issue, validity.'),
  licences: JsonObject.describe('The licences the process issues, by kind.'),
}));

export const LicenceTypeDetail = responseSchema('LicenceTypeDetail', z.object({
  id: z.string(),
  currentVersion: z.number().int().nullable(),
  fee: Fee,
  versions: z.array(LicenceTypeVersion).describe('Newest first.'),
}));

export const LicenceTypeId = z.object({ typeId: z.string().regex(/^[a-z][a-z0-9-]*$/).meta({ examples: ['welfare-services-centre'] }) });
export const DiagramQuery = z.object({ version: z.coerce.number().int().min(1).optional().describe('A version number; default the current one.') }).strict();
