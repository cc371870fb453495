/** Licences on the wire: the offices' view, the public verification, and lifecycle changes. */
import { z } from 'zod';
import { normaliseLicenceNumber } from '../../services/licences.js';
import { lineOfText, paragraphText } from '../../services/free-text.js';
import { normaliseText, typedInput } from '../../services/identifiers.js';
import { CHECKLIST_ITEM_IDS } from '../../services/supervision-checklist.js';
import { IsoDateTime, JalaliText, Title } from '../openapi/common.js';
import { requestSchema, responseSchema } from '../openapi/registry.js';

export const LicenceStatus = z.enum(['active', 'expired', 'suspended', 'revoked', 'closed'])
  .describe('`expired` includes an active licence past its end.');

export const LicenceNumberParam = z.object({
  // As typed: Latin letters of either case, digits of any of the three scripts, hyphens; normalised to `^[A-Z0-9-]+$`.
  licenceNumber: z.string().regex(/^[A-Za-z0-9\u06F0-\u06F9\u0660-\u0669-]{3,60}$/, 'letters, digits and hyphens').transform(normaliseLicenceNumber)
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
  applicationId: z.string().describe('The application that issued it: a UUID, or `<parent>.<step>.<n>` for a subprocess (a manager licence issued through a manager appointment).'),
  holderNationalCode: z.string().optional().describe('The holder\'s national code; not shown to integrators.'),
  holderName: z.string().nullable().describe('The holder\'s name; masked for integrators (`ع*** ر***`).'),
  county: z.string(),
  province: z.string(),
  status: LicenceStatus,
  ...validity,
  verificationCode: z.string().optional().describe('Printed with the number and in the QR code; public verification needs both. Not shown to integrators.'),
}));

export const LicenceList = responseSchema('LicenceList', z.object({ items: z.array(Licence) }));

export const LicenceRef = responseSchema('LicenceRef', z.object({
  number: z.string(),
  kind: z.string(),
  title: Title,
  licenceType: z.string(),
  county: z.string(),
  status: LicenceStatus,
  valid: validity.valid,
  validUntil: IsoDateTime,
  validUntilJalali: JalaliText,
}).describe('Another licence, named from this one: enough to list it and link to `GET /v1/licences/{licenceNumber}`.'));

export const LicenceDetail = responseSchema('LicenceDetail', Licence.extend({
  parent: LicenceRef.nullable().describe('The licence this one stands on and ends with (a centre manager\'s licence: the centre\'s activity licence), or null.'),
  dependents: z.array(LicenceRef).describe('The licences that stand on this one (a centre\'s activity licence: its manager\'s licence), in your scope, oldest first.'),
}));

export const LicenceListQuery = z.object({
  status: LicenceStatus.optional(),
  licenceType: z.string().regex(/^[a-z][a-z0-9-]*$/).optional(),
  county: z.string().regex(/^[a-z][a-z0-9-]*$/).optional().describe('Only this county (within your scope).'),
  // A filter, so a code whose check digit is wrong is not refused: nobody holds it, and the list is empty.
  holderNationalCode: z.string().regex(/^[0-9\u06F0-\u06F9\u0660-\u0669]{10}$/, 'ten digits').transform(normaliseText).optional().describe('Only licences held by this person (10 digits; Persian digits accepted). Not for integrators.'),
  number: z.string().regex(/^[A-Za-z0-9\u06F0-\u06F9\u0660-\u0669-]{1,60}$/, 'letters, digits and hyphens').transform(normaliseLicenceNumber).optional()
    .describe('Only licences whose number is this or starts with it (`WSC-AL-1405`; Persian digits and lower case accepted).'),
  holderName: lineOfText().trim().min(2).max(100).optional()
    .describe('Only licences whose holder\'s name contains this (case and Arabic ي/ك ignored). For offices only: the portal and integrators look people up by national code or not at all.'),
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
  checkedAt: IsoDateTime.describe('When the register was read for this answer: an answer is given again for up to 5 seconds, so a change to the licence shows within them.'),
  checkedAtJalali: JalaliText,
}).describe('Public verification: a positive answer is legally sufficient; no national code is shown.'));

const isoDay = typedInput.date();

export const RenewalRequest = requestSchema('RenewalRequest', z.object({
  requestedBy: z.enum(['holder', 'county-office']).optional().describe('Who asked for the renewal (due 3 months before expiry).'),
}).strict());

export const DueProcessRequest = requestSchema('DueProcessRequest', z.object({
  grounds: paragraphText().min(3).max(2000).describe('The violation or complaint the action rests on.'),
  legalBasis: lineOfText().min(3).max(500).describe('The article of the regulation applied.'),
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
  change: z.string().describe('The change\'s name in the licence kind\'s definition: `renewal`, `suspension`, `manager-leave`…'),
  definitionVersion: z.number().int(),
}));

const kebab = z.string().regex(/^[a-z][a-z0-9-]*$/);

export const LicenceChangeParams = LicenceNumberParam.extend({
  change: kebab.meta({ description: 'A change the licence\'s definition offers (see `GET /v1/licences/{licenceNumber}/changes`).', examples: ['manager-leave'] }),
});

export const LicenceChangeRequest = requestSchema('LicenceChangeRequest', z.record(z.string(), z.unknown())
  .describe('The fields the change\'s lifecycle process declares (`GET /v1/licences/{licenceNumber}/changes` lists them); checked by the service against that declaration.'));

/** A declared field of a request body, as `GET /v1/licences/{licenceNumber}/changes` lists it. */
export const ChangeField = z.object({
  type: z.enum(['text', 'date', 'integer', 'choice', 'boolean', 'person']).describe('`person`: an applicant as `POST /v1/applications` takes one.'),
  optional: z.boolean(),
  title: Title.optional(),
  min: z.number().int().optional(),
  max: z.number().int().optional(),
  values: z.array(z.string()).optional().describe('For `choice`: the allowed values.'),
  many: z.boolean().optional().describe('For `choice`: a list of distinct values, not one.'),
});

export const OfferedChange = responseSchema('OfferedChange', z.object({
  change: z.string(),
  process: z.string().describe('The lifecycle process that runs it.'),
  title: Title,
  startedBy: z.array(z.string()).describe('The roles that may start it.'),
  exclusive: z.boolean().describe('Runs alone among the exclusive changes of a licence (a renewal never races a revocation).'),
  input: z.record(z.string(), ChangeField).describe('The request body\'s fields, by name.'),
}));

export const OfferedChangeList = responseSchema('OfferedChangeList', z.object({ items: z.array(OfferedChange) }));

const Finding = z.object({
  code: kebab.describe('A short code for the finding, e.g. `staff-not-insured`.'),
  description: paragraphText().min(3).max(2000),
});

const SupervisionKind = z.enum(['self-assessment', 'inspection', 'guild-review', 'stakeholder-report', 'expert-review'])
  .describe('`self-assessment`: the holder, through the portal; `inspection`: a county, province or national supervisor; `guild-review` (صنفی و شبه صنفی), '
    + '`stakeholder-report` (ذی نفعان), `expert-review` (نخبگانی): a report of a supervisor with no role here, recorded on its behalf by the county or province office that received it.');
const SupervisionLevel = z.enum(['self', 'county', 'province', 'national', 'guild', 'stakeholder', 'expert'])
  .describe('The level of supervision (seed 004): self-assessment; organisational (county, province, national); guild; stakeholder; expert.');

const ChecklistEntry = z.object({
  item: z.string().regex(/^[a-z][a-z0-9.-]*$/).describe(`A standing rule of the licence's checklist (\`GET /v1/licences/{licenceNumber}/supervision/checklist\`), e.g. ${CHECKLIST_ITEM_IDS.map((i) => `\`${i}\``).join(', ')}.`),
  result: z.enum(['pass', 'fail']),
  note: paragraphText().min(3).max(1000).optional().describe('What was seen; required when the item fails.'),
});

const SupervisionSource = z.object({
  name: lineOfText().min(3).max(200).describe('The guild association, stakeholder or expert who reported.'),
  reference: lineOfText().min(3).max(200).optional().describe('Their letter or report number.'),
});

export const SupervisionRequest = requestSchema('SupervisionRequest', z.object({
  kind: SupervisionKind,
  visitedOn: typedInput.date().meta({ description: 'The day of the visit or assessment (ISO 8601).' }),
  result: z.enum(['compliant', 'minor-violation', 'major-violation']).describe('Not `compliant` when a checklist item failed.'),
  findings: z.array(Finding).max(50).optional(),
  checklist: z.array(ChecklistEntry.strict()).max(50).optional()
    .describe('Each standing rule checked (seed 002, Art. 8). An office\'s inspection of a licence with a checklist records every item; other kinds may record some.'),
  source: SupervisionSource.strict().optional().describe('Required for a guild, stakeholder or expert report; refused on any other.'),
  opens: z.enum(['violation-report', 'suspension', 'revocation']).optional()
    .describe('The change the finding opens: a county or the national office reports to the province (`violation-report`); a province opens a `suspension` or `revocation`, each with due process. '
      + 'A failed checklist item recorded by a county or the national office opens the violation report without being asked (Art. 15).'),
  legalBasis: lineOfText().min(3).max(500).optional().describe('Required with `opens`, unless checklist items failed (their articles are the basis).'),
}).strict());

export const SupervisionRecord = responseSchema('SupervisionRecord', z.object({
  id: z.uuid(),
  licenceNumber: z.string(),
  kind: SupervisionKind,
  level: SupervisionLevel,
  visitedOn: z.string(),
  result: z.enum(['compliant', 'minor-violation', 'major-violation']),
  findings: z.array(Finding),
  checklist: z.array(ChecklistEntry),
  failedItems: z.array(z.string()).describe('The standing rules that failed, by rule id.'),
  source: SupervisionSource.nullable(),
  opened: z.string().nullable(),
  changeApplicationId: z.string().nullable().describe('The process the finding opened.'),
  recordedBy: z.string().describe('Who recorded it: the portal, or the office (for a guild, stakeholder or expert report, the office that received it).'),
  recordedAt: IsoDateTime,
}));

export const SupervisionChecklistItem = responseSchema('SupervisionChecklistItem', z.object({
  id: z.string().describe('The rule id.'),
  source: z.string().describe('Where the seed says it.'),
  title: Title,
  followedBy: z.string().nullable().describe('A standing process that follows the rule between visits (`centre-staff-insurance`).'),
}));

export const SupervisionChecklist = responseSchema('SupervisionChecklist', z.object({ items: z.array(SupervisionChecklistItem) }));

export const SupervisionList = responseSchema('SupervisionList', z.object({ items: z.array(SupervisionRecord) }));

export const SupervisionRecorded = responseSchema('SupervisionRecorded', SupervisionRecord.extend({
  change: LicenceChangeStarted.nullable().describe('The change the finding opened, if any.'),
}));
