/** The shape of a submitted application, validated and normalised before anything is written. */
import { z } from 'zod';
import { typedText } from './free-text.js';
import { typedInput } from './identifiers.js';
import { COUNTY_IDS } from './geography.js';

/** A national code's refusal has its own problem type. */
export const NATIONAL_CODE_PROBLEM = { 'applicant.nationalCode': { code: 'national-code', title: { fa: 'کد ملی نامعتبر است', en: 'invalid national code' } } };

const name = typedText({ max: 200 });

export const ApplicantInput = z.object({
  nationalCode: typedInput.nationalCode(),
  firstName: name,
  lastName: name,
  birthDate: typedInput.date(),
  sex: z.enum(['male', 'female']),
  mobile: typedInput.mobile().optional(),
  religionRecognised: z.boolean(),
}).strict();

/**
 * Who is to manage the centre (مسئول مرکز), for a licence type whose process asks (the Welfare
 * Services Centre from version 3: seed 002, Art. 4(c)(2), Art. 5 note 3): the holder himself
 * (`holder`), or a person the holder names (`nominee`, with the person as an applicant is given).
 * The process reads it as `application.manager`.
 */
export const ManagerInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('holder') }).strict(),
  z.object({ kind: z.literal('nominee'), person: ApplicantInput }).strict(),
]);

/**
 * The legal person that is to hold the licence (a company or an institute), when `holderType` is
 * `legal`: its national identifier (شناسه ملی, 11 digits with a check digit) and its registered
 * name. The applicant is then the natural person who applies for it. The process reads it as
 * `application.legalPerson`; the Welfare Services Centre counts a legal person's centres by it
 * (seed 002, Art. 8(5)).
 */
export const LegalPersonInput = z.object({
  nationalId: typedInput.legalPersonId(),
  name: name,
}).strict();

export const ApplicationInput = z.object({
  licenceType: z.string().regex(/^[a-z][a-z0-9-]*$/),
  county: z.enum(COUNTY_IDS),
  holderType: z.enum(['natural', 'legal']).default('natural'),
  applicant: ApplicantInput,
  legalPerson: LegalPersonInput.optional(),
  manager: ManagerInput.optional(),
}).strict();

export type ApplicationInput = z.infer<typeof ApplicationInput>;
